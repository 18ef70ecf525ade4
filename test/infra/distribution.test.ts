import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app';
import { devConfig } from '../../lib/config';

/** Schedules and distribution in the synthesized template. */
describe('distribution infrastructure', () => {
  let template: Template;
  let synthError: unknown;
  const distributionFunction = () => {
    const [id] = Object.keys(
      template.findResources('AWS::Lambda::Function', { Metadata: { 'proleads:function': 'distribution' } }),
    );
    if (!id) throw new Error('no distribution function');
    return id;
  };
  const ref = (logicalIdPrefix: string) => {
    const [id] = Object.keys(template.toJSON().Resources).filter((name) => name.startsWith(logicalIdPrefix));
    if (!id) throw new Error(`no resource ${logicalIdPrefix}*`);
    return id;
  };

  beforeAll(() => {
    const { app, stack } = buildApp({ config: devConfig({ retainData: true }), skipBundling: true });
    try {
      app.synth();
    } catch (error) {
      synthError = error;
    }
    template = Template.fromStack(stack);
  });

  it('passes the cdk-nag AwsSolutions checks', () => {
    expect(synthError).toBeUndefined();
  });

  it('owns a schedule group for the admin-defined schedules', () => {
    template.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'proleads-dev' });
  });

  it('gives Scheduler a role that may invoke only the distribution function and park events in the DLQ', () => {
    const roles = template.findResources('AWS::IAM::Role', {
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({ Principal: { Service: 'scheduler.amazonaws.com' } })],
        },
      },
    });
    const [roleId, role] = Object.entries(roles)[0] ?? [];
    expect(Object.keys(roles)).toHaveLength(1);
    expect(JSON.stringify(role?.Properties.AssumeRolePolicyDocument)).toContain('aws:SourceAccount');
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((policy) =>
      JSON.stringify(policy.Properties.Roles).includes(roleId ?? '-'),
    );
    const statements = policies.flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    const actions = statements.flatMap((statement: { Action: string | string[] }) =>
      [statement.Action].flat(),
    );
    expect(actions.sort()).toEqual(['lambda:InvokeFunction', 'sqs:SendMessage']);
    const invoke = statements.find(
      (statement: { Action: string }) => statement.Action === 'lambda:InvokeFunction',
    );
    expect(invoke.Resource).toEqual({ 'Fn::GetAtt': [distributionFunction(), 'Arn'] });
  });

  // Its alarm on any message, and the one on failed runs: test/infra/monitoring.test.ts.
  it('has an encrypted, TLS-only dead-letter queue', () => {
    const queueId = ref('DistributionSchedulerDeadLetterQueue');
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1_209_600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('bounds the distribution function’s async retries and parks final failures in that queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: distributionFunction() },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 21_600,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [ref('DistributionSchedulerDeadLetterQueue'), 'Arn'] } },
      },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 900,
      Environment: {
        Variables: Match.objectLike({
          TIERS: JSON.stringify(devConfig().tiers),
          MAX_ASSIGNMENTS_PER_LEAD: '1',
          SES_SENDER: 'leads@proleads.example',
          SES_MAX_SEND_RATE: '10',
          DEFAULT_TIME_ZONE: 'UTC',
        }),
      },
    });
  });

  it('lets the admin API manage only this group’s schedules and pass only the Scheduler role', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement,
    );
    const passRole = statements.filter(
      (statement: { Action: unknown }) => statement.Action === 'iam:PassRole',
    );
    expect(passRole).toEqual([
      expect.objectContaining({
        Resource: { 'Fn::GetAtt': [ref('DistributionSchedulerRole'), 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    ]);
    const manage = statements.find((statement: { Action: unknown }) =>
      JSON.stringify(statement.Action).includes('scheduler:CreateSchedule'),
    );
    expect(JSON.stringify(manage.Resource)).toContain(':schedule/proleads-dev/*');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          SCHEDULE_GROUP_NAME: 'proleads-dev',
          SCHEDULER_ROLE_ARN: Match.anyValue(),
          DISTRIBUTION_FUNCTION_ARN: Match.anyValue(),
          SCHEDULER_DLQ_ARN: Match.anyValue(),
        }),
      },
    });
  });
});
