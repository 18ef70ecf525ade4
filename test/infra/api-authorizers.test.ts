import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app';
import { devConfig } from '../../lib/config';

type Resource = { Properties: Record<string, unknown> };

/** The platform-token authorizers and API Gateway's own answers. */
describe('API authorizers and gateway answers', () => {
  const config = devConfig({ auth: { maxTokenAgeSeconds: 3_600 } });
  let template: Template;
  beforeAll(() => {
    template = Template.fromStack(buildApp({ config, skipBundling: true }).stack);
  });

  it('caches no authorizer decision, so none outlives its token', () => {
    const authorizers = Object.values(
      template.findResources('AWS::ApiGateway::Authorizer') as Record<string, Resource>,
    );
    expect(authorizers.length).toBeGreaterThanOrEqual(3);
    for (const authorizer of authorizers)
      expect(authorizer.Properties.AuthorizerResultTtlInSeconds, String(authorizer.Properties.Name)).toBe(0);
  });

  it('gives the admin and member authorizers the configured maximum token age', () => {
    const functions = Object.values(
      template.findResources('AWS::Lambda::Function') as Record<
        string,
        Resource & { Metadata?: Record<string, unknown> }
      >,
    ).filter((fn) => fn.Metadata?.['proleads:function'] === 'authorizer');
    expect(functions).toHaveLength(2);
    for (const fn of functions)
      expect(
        (fn.Properties.Environment as { Variables: Record<string, string> }).Variables
          .JWT_MAX_TOKEN_AGE_SECONDS,
      ).toBe('3600');
  });

  it('answers an unknown route 403 Missing Authentication Token and an oversize request 413, as JSON', () => {
    for (const [type, error, message] of [
      ['MISSING_AUTHENTICATION_TOKEN', 'MissingAuthenticationToken', 'Missing Authentication Token'],
      ['REQUEST_TOO_LARGE', 'PayloadTooLarge', 'The request is larger than 10 MB'],
      ['UNAUTHORIZED', 'Unauthorized', undefined],
      ['ACCESS_DENIED', 'Forbidden', undefined],
    ] as const) {
      const [response] = Object.values(
        template.findResources('AWS::ApiGateway::GatewayResponse', {
          Properties: { ResponseType: type },
        }) as Record<string, Resource>,
      );
      const body = JSON.parse(
        ((response?.Properties.ResponseTemplates ?? {}) as Record<string, string>)['application/json'] ??
          '{}',
      );
      expect(body.error, type).toBe(error);
      if (message) expect(body.message).toBe(message);
    }
  });
});
