import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app';
import { devConfig } from '../../lib/config';

/** The ingest construct: notifications, async failure handling, its continuation queue, grants. */
describe('ingest infrastructure', () => {
  let template: Template;
  let ids: { fn: string; dlq: string; continuation: string; bucket: string; sweeper: string };
  beforeAll(() => {
    const { stack } = buildApp({
      config: devConfig({ uploads: { maxBytes: 20 * 1024 * 1024 } }),
      skipBundling: true,
    });
    template = Template.fromStack(stack);
    const idOf = (type: string, prefix: string) =>
      Object.keys(template.findResources(type)).find((id) => id.startsWith(prefix)) as string;
    ids = {
      fn: idOf('AWS::Lambda::Function', 'IngestIngestFn'),
      dlq: idOf('AWS::SQS::Queue', 'IngestDeadLetterQueue'),
      continuation: idOf('AWS::SQS::Queue', 'IngestContinuationQueue'),
      bucket: idOf('AWS::S3::Bucket', 'StorageUploadBucket'),
      sweeper: idOf('AWS::Lambda::Function', 'IngestStaleUploadSweeperFn'),
    };
  });

  it('is invoked for CSVs created under uploads/ by a presigned POST or a PUT', () => {
    const rule = (event: string) =>
      Match.objectLike({
        Events: [event],
        Filter: {
          Key: {
            // CDK writes the suffix rule first.
            FilterRules: [
              { Name: 'suffix', Value: '.csv' },
              { Name: 'prefix', Value: 'uploads/' },
            ],
          },
        },
        LambdaFunctionArn: { 'Fn::GetAtt': [ids.fn, 'Arn'] },
      });
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: ids.bucket },
      NotificationConfiguration: {
        LambdaFunctionConfigurations: Match.arrayWith([
          rule('s3:ObjectCreated:Post'),
          rule('s3:ObjectCreated:Put'),
        ]),
      },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 's3.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [ids.fn, 'Arn'] },
    });
  });

  // The DLQ's alarm on any message: test/infra/monitoring.test.ts.
  it('runs the stale-upload sweeper every 5 minutes with its settings, without retries', () => {
    const { sweeper } = ids;
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: Match.arrayWith([
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [sweeper, 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 0 },
        }),
      ]),
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ UPLOAD_STALE_AFTER_MINUTES: '20', UPLOAD_MAX_RESUME_ATTEMPTS: '3' }),
      },
    });
  });

  it('retries a failed async invocation twice, for at most 6 hours, then parks it in its DLQ', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: ids.fn },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 6 * 3600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [ids.dlq, 'Arn'] } } },
    });
  });

  it('continues long files through its own queue: one record per invocation, redriven to the DLQ after 3 receives', () => {
    const fn = template.findResources('AWS::Lambda::Function')[ids.fn];
    const timeout = fn?.Properties.Timeout as number;
    expect(timeout).toBe(300);
    expect(fn?.Properties.MemorySize).toBe(1024);
    template.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: timeout * 6,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [ids.dlq, 'Arn'] }, maxReceiveCount: 3 },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: ids.fn },
      EventSourceArn: { 'Fn::GetAtt': [ids.continuation, 'Arn'] },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('knows its bucket, tables, queues, pepper secret and the configured size limit', () => {
    const variables =
      template.findResources('AWS::Lambda::Function')[ids.fn]?.Properties.Environment.Variables;
    expect(Object.keys(variables).sort()).toEqual(
      expect.arrayContaining([
        'CONTINUATION_QUEUE_URL',
        'DEDUPE_ON_PHONE',
        'DEFAULT_PHONE_REGION',
        'FOLD_GMAIL_ALIASES',
        'LEAD_HASH_PEPPER_SECRET_ARN',
        'TABLE_CONTROL',
        'TABLE_LEAD_HASHES',
        'TABLE_UPLOADS',
        'UPLOAD_BUCKET',
        'VERIFICATION_QUEUE_URL',
      ]),
    );
    expect(variables.MAX_UPLOAD_BYTES).toBe(String(20 * 1024 * 1024));
  });

  it('may read uploads, write results and list only the result parts; nothing else in the bucket', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy.Properties.Roles).includes('IngestIngestFnRole'))
      .flatMap(
        (policy) =>
          policy.Properties.PolicyDocument.Statement as {
            Action: string | string[];
            Resource: unknown;
            Condition?: unknown;
          }[],
      );
    const s3 = statements.filter((statement) =>
      [statement.Action].flat().some((action) => action.startsWith('s3:')),
    );
    const objects = (prefix: string) => ({
      'Fn::Join': ['', [{ 'Fn::GetAtt': [ids.bucket, 'Arn'] }, `/${prefix}*`]],
    });
    expect(s3).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Action: 's3:GetObject', Resource: objects('uploads/') }),
        expect.objectContaining({
          Action: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload'],
          Resource: objects('results/'),
        }),
        expect.objectContaining({
          Action: 's3:ListBucket',
          Condition: { StringLike: { 's3:prefix': ['results/parts/*'] } },
        }),
      ]),
    );
    expect(s3).toHaveLength(3);
  });

  it('lets the admin API reach objects under uploads/ and results/ only: slots, result links, erasure', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => JSON.stringify(policy.Properties.Roles).includes('ApiadminapiRole'))
      .flatMap(
        (policy) =>
          policy.Properties.PolicyDocument.Statement as {
            Action: string | string[];
            Resource: unknown;
            Condition?: unknown;
          }[],
      )
      .filter((statement) => [statement.Action].flat().some((action) => action.startsWith('s3:')));
    expect(statements.map((statement) => [statement.Action].flat().sort().join(' ')).sort()).toEqual([
      's3:GetObject',
      's3:GetObject s3:PutObject',
      's3:ListBucket',
      's3:PutObject',
    ]);
    for (const statement of statements) {
      const resources = JSON.stringify(statement.Resource);
      if ([statement.Action].flat().includes('s3:ListBucket')) {
        // Listing is the bucket itself, narrowed to the two prefixes by condition.
        expect(statement.Condition).toEqual({ StringLike: { 's3:prefix': ['uploads/*', 'results/*'] } });
      } else {
        expect(resources).toMatch(/(uploads|results)\/\*/);
        // Never the whole bucket.
        expect(resources).not.toMatch(/"\/\*"|"\*"/);
      }
    }
  });

  it('passes the cdk-nag AWS Solutions checks', () => {
    const { app } = buildApp({ config: devConfig(), skipBundling: true });
    expect(() => app.synth()).not.toThrow();
  });
});
