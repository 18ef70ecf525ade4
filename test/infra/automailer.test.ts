import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../lambdas/api-routes';
import { buildApp } from '../../lib/app';
import { devConfig } from '../../lib/config';

type Resource = { Type: string; Properties: Record<string, unknown> };

const synth = (automailer: Partial<ReturnType<typeof devConfig>['automailer']> = {}) => {
  const { stack } = buildApp({
    config: devConfig({ automailer: { ...devConfig().automailer, ...automailer } }),
    skipBundling: true,
  });
  return Template.fromStack(stack);
};

const only = (template: Template, type: string): [string, Resource] => {
  const entries = Object.entries(template.findResources(type)) as [string, Resource][];
  expect(entries).toHaveLength(1);
  return entries[0] as [string, Resource];
};

/** Every API Gateway method with its full path, rebuilt from the resource tree. */
const methodsByPath = (template: Template): Map<string, Record<string, unknown>> => {
  const resources = template.findResources('AWS::ApiGateway::Resource');
  const pathOf = (ref: unknown): string => {
    const id = (ref as { Ref?: string }).Ref;
    if (!id) return '';
    const { ParentId, PathPart } = (resources[id]?.Properties ?? {}) as {
      ParentId: unknown;
      PathPart: string;
    };
    return `${pathOf(ParentId)}/${PathPart}`;
  };
  const methods = new Map<string, Record<string, unknown>>();
  for (const method of Object.values(template.findResources('AWS::ApiGateway::Method'))) {
    const properties = method.Properties as Record<string, unknown>;
    methods.set(`${properties.HttpMethod} ${pathOf(properties.ResourceId)}`, properties);
  }
  return methods;
};

const partnerRoutes = ROUTES.filter((route) => route.auth === 'partner');

describe('AutoMailer usage plan and API key', () => {
  let template: Template;
  beforeAll(() => {
    template = synth({ usagePlan: { rateLimit: 7, burstLimit: 9, dailyQuota: 1234 } });
  });

  it('throttles and caps AutoMailer per day with the configured figures', () => {
    const [, plan] = only(template, 'AWS::ApiGateway::UsagePlan');
    expect(plan.Properties).toMatchObject({
      Throttle: { RateLimit: 7, BurstLimit: 9 },
      Quota: { Limit: 1234, Period: 'DAY' },
    });
  });

  it('is bound to the API stage, with a method throttle on the partner methods and on nothing else', () => {
    const [, plan] = only(template, 'AWS::ApiGateway::UsagePlan');
    const [stageId] = only(template, 'AWS::ApiGateway::Stage');
    const [restApiId] = only(template, 'AWS::ApiGateway::RestApi');
    const stages = plan.Properties.ApiStages as {
      ApiId: unknown;
      Stage: unknown;
      Throttle: Record<string, unknown>;
    }[];

    expect(stages).toHaveLength(1);
    expect(stages[0]?.ApiId).toEqual({ Ref: restApiId });
    expect(stages[0]?.Stage).toEqual({ Ref: stageId });
    expect(Object.keys(stages[0]?.Throttle ?? {}).sort()).toEqual(
      partnerRoutes.map((route) => `${route.path}/${route.method}`).sort(),
    );
    for (const throttle of Object.values(stages[0]?.Throttle ?? {})) {
      expect(throttle).toEqual({ RateLimit: 7, BurstLimit: 9 });
    }
  });

  it("holds AutoMailer's key, whose value is a Secrets Manager reference, never a literal", () => {
    const [keyId, key] = only(template, 'AWS::ApiGateway::ApiKey');
    const [planId] = only(template, 'AWS::ApiGateway::UsagePlan');
    template.hasResourceProperties('AWS::ApiGateway::UsagePlanKey', {
      KeyId: { Ref: keyId },
      KeyType: 'API_KEY',
      UsagePlanId: { Ref: planId },
    });

    // Assert: the value is `{{resolve:secretsmanager:<generated secret>:SecretString:::}}`.
    const value = key.Properties.Value as { 'Fn::Join': [string, unknown[]] };
    const [, parts] = value['Fn::Join'];
    expect(parts[0]).toBe('{{resolve:secretsmanager:');
    expect(parts[2]).toBe(':SecretString:::}}');
    const secretId = (parts[1] as { Ref: string }).Ref;
    const secret = template.findResources('AWS::SecretsManager::Secret')[secretId];
    expect(secret?.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 40 });
    expect(secret?.Properties.SecretString).toBeUndefined();
  });

  it('meters only methods that also sit behind the partner authorizer', () => {
    const authorizers = Object.entries(template.findResources('AWS::ApiGateway::Authorizer'));
    const [authorizerId, authorizer] =
      authorizers.find(([id]) => id.startsWith('ApiPartnerAuthorizer')) ?? [];
    expect(authorizerId).toBeDefined();
    expect(authorizer?.Properties).toMatchObject({
      Type: 'REQUEST',
      IdentitySource: 'method.request.header.Authorization',
      // Client assertions are single-use: a cached Allow would let a replay through.
      AuthorizerResultTtlInSeconds: 0,
    });

    const methods = methodsByPath(template);
    for (const route of ROUTES) {
      const method = methods.get(`${route.method} ${route.path}`);
      expect(method, `${route.method} ${route.path}`).toBeDefined();
      if (route.auth === 'partner') {
        expect(method).toMatchObject({
          ApiKeyRequired: true,
          AuthorizationType: 'CUSTOM',
          AuthorizerId: { Ref: authorizerId },
        });
      } else {
        expect(method?.ApiKeyRequired ?? false).toBe(false);
        expect(method?.AuthorizerId).not.toEqual({ Ref: authorizerId });
      }
    }
  });

  it('backs the usage plan up with stage throttling and a WAF rate rule on the AutoMailer paths', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([
        Match.objectLike({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 }),
      ]),
    });
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([
        Match.objectLike({
          Name: 'AutomailerRatePerIp',
          Action: { Block: { CustomResponse: { ResponseCode: 429 } } },
          Statement: {
            RateBasedStatement: Match.objectLike({
              Limit: 7 * 300,
              AggregateKeyType: 'IP',
              ScopeDownStatement: {
                ByteMatchStatement: Match.objectLike({
                  SearchString: '/automailer/',
                  PositionalConstraint: 'CONTAINS',
                }),
              },
            }),
          },
        }),
      ]),
    });
  });
});

describe('AutoMailer partner authorizer and signing keys', () => {
  let template: Template;
  beforeAll(() => {
    template = synth();
  });

  it("pins the partner authorizer to AutoMailer's client id, our issuer and its registered JWKS", () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          POWERTOOLS_SERVICE_NAME: 'proleads-partner-authorizer',
          AUTOMAILER_CLIENT_ID: 'automailer',
          AUTOMAILER_ISSUER: 'https://api.proleads.example/automailer',
          AUTOMAILER_CLIENT_JWKS_URL: 'https://automailer.example/.well-known/jwks.json',
        }),
      },
    });
  });

  it('registers a single public key instead when AutoMailer publishes no JWKS, and still passes cdk-nag', () => {
    const publicJwk = { kty: 'EC', crv: 'P-256', x: 'x', y: 'y' } as const;
    const config = devConfig({
      automailer: { ...devConfig().automailer, clientJwksUrl: undefined, clientPublicJwk: publicJwk },
    });
    const { app, stack } = buildApp({ config, skipBundling: true });

    expect(() => app.synth()).not.toThrow();
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ AUTOMAILER_CLIENT_PUBLIC_JWK: JSON.stringify(publicJwk) }),
      },
    });
  });

  it('rotates the signing key secret with its own function, the first time at deploy', () => {
    const [rotationId, rotation] = only(template, 'AWS::SecretsManager::RotationSchedule');
    expect(rotationId).toMatch(/^AutomailerSigningKeys/);
    expect(rotation.Properties).toMatchObject({
      RotateImmediatelyOnUpdate: true,
      RotationRules: { ScheduleExpression: 'rate(90 days)' },
      RotationLambdaARN: { 'Fn::GetAtt': [expect.stringMatching(/^AutomailerSigningKeyRotationFn/), 'Arn'] },
    });
  });

  it('lets only the token signer and the rotation write the key set: the public JWKS route only reads', () => {
    const writers = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
      JSON.stringify(policy.Properties.PolicyDocument).includes('secretsmanager:PutSecretValue'),
    );
    const roles = writers.flatMap((policy) =>
      (policy.Properties.Roles as { Ref: string }[]).map((role) => role.Ref),
    );

    expect(roles.sort()).toEqual([
      expect.stringMatching(/^ApipartnerapiRole/),
      expect.stringMatching(/^AutomailerSigningKeyRotationFnRole/),
    ]);
  });
});
