import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../lambdas/api-routes';
import { buildApp } from '../../lib/app';
import { devConfig } from '../../lib/config';
import { requestModelSchema } from '../../lib/request-models';

type Resource = { Type: string; Properties: Record<string, unknown> };

describe('API Gateway validates request bodies against models made from the zod schemas', () => {
  let resources: Record<string, Resource>;
  const pathOf = (resourceRef: unknown): string => {
    const id = (resourceRef as { Ref?: string }).Ref;
    if (!id) return '';
    const props = resources[id]?.Properties ?? {};
    return `${pathOf(props.ParentId)}/${String(props.PathPart)}`;
  };
  const methodOf = (method: string, path: string) =>
    Object.values(resources).find(
      (r) =>
        r.Type === 'AWS::ApiGateway::Method' &&
        r.Properties.HttpMethod === method &&
        pathOf(r.Properties.ResourceId) === path,
    );

  beforeAll(() => {
    const { stack } = buildApp({ config: devConfig(), skipBundling: true });
    resources = Template.fromStack(stack).toJSON().Resources as Record<string, Resource>;
  });

  const withBody = ROUTES.filter((route) => route.request?.body);

  it('has routes with a body to check', () => {
    expect(withBody.length).toBeGreaterThanOrEqual(6);
  });

  it.each(withBody.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s: the JSON model is the body schema in draft 4, and the validator checks bodies',
    (_, route) => {
      const method = methodOf(route.method, route.path);
      const modelRef = (method?.Properties.RequestModels as Record<string, { Ref: string }> | undefined)?.[
        'application/json'
      ];
      const model = resources[modelRef?.Ref ?? ''];
      expect(model?.Type).toBe('AWS::ApiGateway::Model');
      expect(model?.Properties.ContentType).toBe('application/json');
      expect(model?.Properties.Schema).toEqual(requestModelSchema(route.request?.body ?? ({} as never)));
      expect((model?.Properties.Schema as { $schema?: string } | undefined)?.$schema).toBe(
        'http://json-schema.org/draft-04/schema#',
      );
      const validator =
        resources[(method?.Properties.RequestValidatorId as { Ref: string } | undefined)?.Ref ?? ''];
      expect(validator?.Properties.ValidateRequestBody).toBe(true);
    },
  );

  it('puts no model on a method without a body', () => {
    for (const route of ROUTES.filter((r) => !r.request?.body)) {
      expect(methodOf(route.method, route.path)?.Properties.RequestModels).toBeUndefined();
    }
  });
});

describe('requestModelSchema', () => {
  it('keeps the shape of the zod schema and leaves value rules to the function, which names the field', async () => {
    const { z } = await import('zod');
    const schema = requestModelSchema(
      z.strictObject({
        name: z.string().min(1).max(5),
        count: z.number().int().min(1),
        tag: z.string().regex(/^a+$/).optional(),
        kind: z.enum(['weekly', 'monthly']),
      }),
    );
    expect(schema).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: ['name', 'count', 'kind'],
      properties: {
        name: { type: 'string' },
        count: { type: 'integer' },
        tag: { type: 'string' },
        kind: { enum: ['weekly', 'monthly'] },
      },
    });
    const properties = (schema as { properties: Record<string, Record<string, unknown>> }).properties;
    for (const rule of ['minLength', 'maxLength', 'minimum', 'pattern']) {
      for (const property of Object.values(properties)) expect(property).not.toHaveProperty(rule);
    }
  });
});
