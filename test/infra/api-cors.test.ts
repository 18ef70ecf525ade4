import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../lambdas/api-routes';
import { buildApp } from '../../lib/app';
import { devConfig } from '../../lib/config';

type Resource = { Properties: Record<string, unknown> };

/** CORS in API Gateway: preflights, gateway error responses and nothing else name only the admin origin. */
describe('API CORS', () => {
  const config = devConfig({ adminOrigin: 'https://admin.proleads.example' });
  let template: Template;
  beforeAll(() => {
    template = Template.fromStack(buildApp({ config, skipBundling: true }).stack);
  });

  it('answers a preflight on every route path with the admin origin only', () => {
    const preflights = Object.values(
      template.findResources('AWS::ApiGateway::Method', {
        Properties: { HttpMethod: 'OPTIONS' },
      }) as Record<string, Resource>,
    );
    // One per resource on the way to the routes, root included.
    expect(preflights.length).toBeGreaterThanOrEqual(new Set(ROUTES.map((route) => route.path)).size);
    for (const method of preflights) {
      const integration = method.Properties.Integration as {
        Type: string;
        IntegrationResponses: { ResponseParameters: Record<string, string> }[];
      };
      expect(integration.Type).toBe('MOCK');
      expect(
        integration.IntegrationResponses[0]?.ResponseParameters[
          'method.response.header.Access-Control-Allow-Origin'
        ],
      ).toBe(`'${config.adminOrigin}'`);
    }
  });

  it("gives API Gateway's own error answers the admin origin", () => {
    const responses = Object.values(
      template.findResources('AWS::ApiGateway::GatewayResponse') as Record<string, Resource>,
    );
    expect(responses.length).toBeGreaterThan(0);
    for (const response of responses)
      expect(
        (response.Properties.ResponseParameters as Record<string, string>)[
          'gatewayresponse.header.Access-Control-Allow-Origin'
        ],
      ).toBe(`'${config.adminOrigin}'`);
  });

  it('never allows any origin', () => {
    expect(JSON.stringify(template.toJSON())).not.toMatch(/Access-Control-Allow-Origin[^,}]*\*/);
  });

  it('gives the API functions that answer browsers the admin origin', () => {
    const functions = Object.values(
      template.findResources('AWS::Lambda::Function') as Record<string, Resource>,
    );
    const origins = functions
      .map(
        (fn) => (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables,
      )
      .flatMap((variables) => (variables?.ADMIN_ORIGIN === undefined ? [] : [variables.ADMIN_ORIGIN]));
    expect(origins.length).toBeGreaterThan(0);
    expect(new Set(origins)).toEqual(new Set([config.adminOrigin]));
  });
});
