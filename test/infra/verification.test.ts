import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app';
import { devConfig } from '../../lib/config';

const synth = (overrides: Parameters<typeof devConfig>[0] = {}) => {
  const { stack } = buildApp({ config: devConfig(overrides), skipBundling: true });
  return Template.fromStack(stack);
};

/** The one resource of a type that is the verification's (its logical id starts with the construct's id). */
const onlyOne = (template: Template, type: string, props: Record<string, unknown> = {}) => {
  const found = Object.entries(template.findResources(type, { Properties: props })).filter(([logicalId]) =>
    logicalId.startsWith('Verification'),
  );
  expect(found).toHaveLength(1);
  const [entry] = found;
  if (!entry) throw new Error(`no ${type}`);
  return { logicalId: entry[0], properties: entry[1].Properties as Record<string, unknown> };
};

describe('verification', () => {
  let template: Template;
  beforeAll(() => {
    template = synth({ verifier: { maxConcurrency: 3, policy: { roleAccount: 'rejected' } } });
  });

  const verifyFunction = () =>
    onlyOne(template, 'AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ VERIFIER_BASE_URL: Match.anyValue() }) },
    });
  const sourceQueue = () =>
    onlyOne(template, 'AWS::SQS::Queue', {
      RedrivePolicy: Match.objectLike({ maxReceiveCount: Match.anyValue() }),
    });

  it('consumes the queue with partial batch responses and a concurrency cap from the configuration', () => {
    const mapping = onlyOne(template, 'AWS::Lambda::EventSourceMapping').properties;
    expect(mapping).toMatchObject({
      FunctionName: { Ref: verifyFunction().logicalId },
      EventSourceArn: { 'Fn::GetAtt': [sourceQueue().logicalId, 'Arn'] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 3 },
    });
    // Each record is one verifier request: batch x concurrency bounds the requests in flight (the hosted
    // verifier takes 25 connections).
    expect(Number(mapping.BatchSize) * 3).toBeLessThanOrEqual(25);
  });

  it('gives the queue a visibility timeout of at least six times the function timeout plus the batching window', () => {
    const timeout = Number(verifyFunction().properties.Timeout);
    const window = Number(
      onlyOne(template, 'AWS::Lambda::EventSourceMapping').properties.MaximumBatchingWindowInSeconds ?? 0,
    );
    expect(Number(sourceQueue().properties.VisibilityTimeout)).toBeGreaterThanOrEqual(6 * timeout + window);
  });

  // Its alarm on any message there: test/infra/monitoring.test.ts.
  it('parks a message in an encrypted DLQ after five receives', () => {
    const { RedrivePolicy } = sourceQueue().properties as {
      RedrivePolicy: { deadLetterTargetArn: unknown; maxReceiveCount: number };
    };
    expect(RedrivePolicy.maxReceiveCount).toBe(5);
    const dlqLogicalId = (RedrivePolicy.deadLetterTargetArn as { 'Fn::GetAtt': [string, string] })[
      'Fn::GetAtt'
    ][0];
    expect(template.toJSON().Resources[dlqLogicalId]).toMatchObject({
      Type: 'AWS::SQS::Queue',
      Properties: { SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 24 * 3600 },
    });
  });

  it('passes the verifier, the policy override, the tables and its own queue URL in the environment', () => {
    expect(verifyFunction().properties.Environment).toMatchObject({
      Variables: {
        VERIFIER_BASE_URL: 'https://rapid-email-verifier.fly.dev',
        VERIFIER_PATH_PREFIX: '/api',
        VERIFIER_TIMEOUT_MS: '8000',
        VERIFICATION_POLICY: JSON.stringify({ roleAccount: 'rejected' }),
        MAX_ASSIGNMENTS_PER_LEAD: '1',
        VERIFICATION_QUEUE_URL: { Ref: sourceQueue().logicalId },
        TABLE_UPLOADS: { Ref: expect.stringMatching(/^StorageUploadsTable/) },
        TABLE_CONTROL: { Ref: expect.stringMatching(/^StorageControlTable/) },
      },
    });
  });

  it('grants exactly the item actions settling needs, and sending to its own queue', () => {
    const role = (verifyFunction().properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const policy = onlyOne(template, 'AWS::IAM::Policy', { Roles: [{ Ref: role }] }).properties as {
      PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] };
    };
    const actions = policy.PolicyDocument.Statement.flatMap((statement) => statement.Action);
    expect(actions.filter((action) => action.startsWith('dynamodb:')).sort()).toEqual(
      [
        'dynamodb:BatchGetItem',
        'dynamodb:GetItem',
        'dynamodb:GetItem',
        'dynamodb:UpdateItem',
        'dynamodb:UpdateItem',
      ].sort(),
    );
    expect(actions).toContain('sqs:SendMessage');
    expect(actions).not.toContain('dynamodb:Scan');
    expect(actions).not.toContain('dynamodb:DeleteItem');
  });

  it('reads a keyed verifier’s API key from Secrets Manager only when one is configured', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:rapidapi-key-AbCdEf';
    const keyed = synth({
      verifier: { baseUrl: 'https://verifier.p.rapidapi.com', pathPrefix: '', apiKeySecretArn: arn },
    });
    keyed.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ VERIFIER_API_KEY_SECRET_ARN: arn, VERIFIER_PATH_PREFIX: '' }),
      },
    });
    keyed.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'secretsmanager:GetSecretValue',
            Resource: arn,
          }),
        ]),
      },
    });
    expect(JSON.stringify(template.toJSON())).not.toContain('VERIFIER_API_KEY_SECRET_ARN');
  });

  it('refuses a re-check delay longer than an SQS message timer at synth', () => {
    expect(() => devConfig({ verifier: { policy: { recheckDelaySeconds: 3_600 } } })).toThrow(
      /recheckDelaySeconds/,
    );
  });
});
