import { Match, Template } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app';
import { devConfig } from '../../lib/config';

const synth = (overrides: Parameters<typeof devConfig>[0] = {}) => {
  const { stack } = buildApp({ config: devConfig(overrides), skipBundling: true });
  return Template.fromStack(stack);
};

describe('the stack passes cdk-nag AwsSolutions checks', () => {
  it('synthesizes with no unacknowledged finding', () => {
    const { app } = buildApp({ config: devConfig({ retainData: true }), skipBundling: true });
    expect(() => app.synth()).not.toThrow();
  });

  it('fails synthesis when a construct breaks a rule (the checks are live)', () => {
    const { app, stack } = buildApp({ config: devConfig(), skipBundling: true });
    new Bucket(stack, 'CarelessBucket');
    expect(() => app.synth()).toThrow(/AwsSolutions-S1[^0-9]/);
  });
});

describe('storage', () => {
  let template: Template;
  beforeAll(() => {
    template = synth({ retainData: true, uploads: { rawUploadExpiryDays: 14 } });
  });

  it('indexes members by tier and runs by id, so the console filters and opens them with a Query', () => {
    const indexesOf = (tablePrefix: string) =>
      Object.entries(template.findResources('AWS::DynamoDB::GlobalTable'))
        .filter(([id]) => id.startsWith(tablePrefix))
        .flatMap(
          ([, table]) =>
            table.Properties.GlobalSecondaryIndexes as { IndexName: string; KeySchema: unknown }[],
        );
    expect(indexesOf('StorageMembersTable')).toContainEqual({
      IndexName: 'byTier',
      KeySchema: [
        { AttributeName: 'gsi3pk', KeyType: 'HASH' },
        { AttributeName: 'gsi3sk', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    });
    expect(indexesOf('StorageControlTable')).toContainEqual({
      IndexName: 'byRunId',
      KeySchema: [
        { AttributeName: 'runId', KeyType: 'HASH' },
        { AttributeName: 'pk', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    });
  });

  it('bills tables on demand with point-in-time recovery and deletion protection in production', () => {
    const tables = template.findResources('AWS::DynamoDB::GlobalTable');
    expect(Object.keys(tables)).toHaveLength(4);
    for (const table of Object.values(tables)) {
      expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
      expect(table.DeletionPolicy).toBe('Retain');
      for (const replica of table.Properties.Replicas) {
        expect(replica.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
        expect(replica.DeletionProtectionEnabled).toBe(true);
      }
    }
  });

  it('keys lead hashes by the hash alone, and gives uploads and members their query indexes', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [{ AttributeName: 'hash', KeyType: 'HASH' }],
    });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      GlobalSecondaryIndexes: Match.arrayWith([
        Match.objectLike({ IndexName: 'byState' }),
        Match.objectLike({ IndexName: 'byCreation' }),
      ]),
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      GlobalSecondaryIndexes: Match.arrayWith([Match.objectLike({ IndexName: 'eligible' })]),
    });
  });

  it('blocks public access, encrypts, expires raw uploads and allows CORS only from the admin origin', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: Match.objectLike({}),
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({ Prefix: 'uploads/', ExpirationInDays: 14 })]),
      },
      CorsConfiguration: {
        CorsRules: [
          Match.objectLike({ AllowedOrigins: ['http://localhost:5173'], AllowedMethods: ['POST'] }),
        ],
      },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'uploads-bucket/' }),
    });
  });

  it('refuses plain-HTTP access to the buckets', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

/**
 * Our functions (lambdas/<folder>). CDK's own custom-resource handlers (the bucket-notification one) keep the
 * runtime and managed policy CDK gives them; their cdk-nag findings are acknowledged where they are made.
 */
const isOurs = (fn: { Metadata?: Record<string, unknown> }) =>
  typeof fn.Metadata?.['proleads:function'] === 'string';

describe('functions', () => {
  it('run on Node.js 24 on arm64 with JSON logs into a log group with retention, without loading source maps at start', () => {
    const template = synth();
    const functions = Object.values(template.findResources('AWS::Lambda::Function')).filter(isOurs);
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions) {
      expect(fn.Properties.Runtime).toBe('nodejs24.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.LoggingConfig.LogFormat).toBe('JSON');
      // Parsing the bundle's source map on every cold start nearly doubled the import time.
      expect(fn.Properties.Environment.Variables.NODE_OPTIONS ?? '').not.toContain('--enable-source-maps');
    }
    for (const group of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
      expect(group.Properties.RetentionInDays).toBeGreaterThan(0);
    }
  });

  it('use no AWS-managed policy', () => {
    const template = synth();
    const ourRoles = new Set(
      Object.values(template.findResources('AWS::Lambda::Function'))
        .filter(isOurs)
        .map((fn) => fn.Properties.Role['Fn::GetAtt'][0]),
    );
    const lambdaRoles = Object.entries(template.findResources('AWS::IAM::Role'))
      .filter(([id]) => ourRoles.has(id))
      .map(([, role]) => role);
    expect(lambdaRoles.length).toBeGreaterThan(0);
    for (const role of lambdaRoles) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  });
});

describe('api', () => {
  let template: Template;
  beforeAll(() => {
    template = synth();
  });

  it('puts the admin authorizer on the health route', () => {
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      AuthorizationType: 'CUSTOM',
      AuthorizerId: Match.anyValue(),
      RequestValidatorId: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'REQUEST',
      IdentitySource: 'method.request.header.Authorization',
    });
  });

  it('pins the authorizer to the configured issuer, audience, JWKS and algorithms', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          REQUIRED_ROLE: 'admin',
          JWT_ISSUER: 'https://platform.proleads.example',
          JWT_AUDIENCE: 'proleads-pipeline',
          JWT_ALGORITHMS: 'RS256',
          JWT_TYP: 'at+jwt',
        }),
      },
    });
  });

  it('logs access without bodies, throttles the stage and traces', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
      TracingEnabled: true,
      MethodSettings: [
        Match.objectLike({
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
          ThrottlingRateLimit: 50,
          ThrottlingBurstLimit: 100,
        }),
      ],
    });
  });

  it('answers API Gateway errors as JSON', () => {
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'UNAUTHORIZED',
      ResponseTemplates: { 'application/json': Match.stringLikeRegexp('"error":"Unauthorized"') },
    });
  });

  it('sits behind a WAF web ACL with a per-IP rate rule', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([
        Match.objectLike({ Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP' } } }),
      ]),
    });
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
  });
});
