import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app';
import { devConfig } from '../../lib/config';
import { ProleadsFunction } from '../../lib/constructs/lambda-function';

type Resource = { Type: string; Properties: Record<string, unknown> };
type MetricQuery = {
  Id: string;
  Expression?: string;
  MetricStat?: {
    Metric: { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: unknown }[] };
    Period: number;
    Stat: string;
  };
};

/** The monitoring of the synthesized stack: each alarm, the topic, the dashboard. */
describe('monitoring', () => {
  let template: Template;
  let resources: Record<string, Resource>;
  let synthError: unknown;

  const idOf = (type: string, prefix: string) => {
    const id = Object.keys(resources).find(
      (name) => name.startsWith(prefix) && resources[name]?.Type === type,
    );
    if (!id) throw new Error(`no ${type} ${prefix}*`);
    return id;
  };
  const topicRef = () => [{ Ref: idOf('AWS::SNS::Topic', 'MonitoringAlarmTopic') }];

  /** The one alarm whose metrics include `metricName` (and, for a queue, that queue). */
  const alarmOn = (metricName: string, queueLogicalId?: string) => {
    const found = Object.values(resources).filter((resource) => {
      if (resource.Type !== 'AWS::CloudWatch::Alarm') return false;
      const queries = resource.Properties.Metrics as MetricQuery[];
      return queries.some(
        (query) =>
          query.MetricStat?.Metric.MetricName === metricName &&
          (queueLogicalId === undefined ||
            JSON.stringify(query.MetricStat.Metric.Dimensions).includes(`"${queueLogicalId}"`)),
      );
    });
    expect(found).toHaveLength(1);
    return (found[0] as Resource).Properties;
  };

  /** Every alarm notifies the topic when it fires and when it is over. */
  const expectNotifiesTopic = (alarm: Record<string, unknown>) => {
    expect(alarm.AlarmActions).toEqual(topicRef());
    expect(alarm.OKActions).toEqual(topicRef());
    expect(alarm.ActionsEnabled).toBe(true);
    expect(String(alarm.AlarmDescription)).toMatch(/README/);
  };

  const metricOf = (alarm: Record<string, unknown>) => (alarm.Metrics as MetricQuery[])[0]?.MetricStat;

  beforeAll(() => {
    const { app, stack } = buildApp({
      config: devConfig({
        monitoring: {
          alarmEmail: 'ops@proleads.example',
          supplyWeeksAlarmBelow: 3,
          verifierErrorRateAlarmPercent: 15,
          api5xxAlarmCount: 7,
        },
      }),
      skipBundling: true,
    });
    try {
      app.synth();
    } catch (error) {
      synthError = error;
    }
    template = Template.fromStack(stack);
    resources = template.toJSON().Resources;
  });

  it('passes the cdk-nag AwsSolutions checks', () => {
    expect(synthError).toBeUndefined();
  });

  it('has exactly the alarms below, each of them once', () => {
    expect(Object.keys(template.findResources('AWS::CloudWatch::Alarm'))).toHaveLength(12);
  });

  it('alarms as soon as the stale-upload sweeper gives up on an upload', () => {
    const alarm = alarmOn('StaleUploadsFailed');
    expect(metricOf(alarm)).toEqual({
      Metric: {
        Namespace: 'Proleads',
        MetricName: 'StaleUploadsFailed',
        Dimensions: [{ Name: 'service', Value: 'proleads-stale-upload-sweeper' }],
      },
      Period: 300,
      Stat: 'Sum',
    });
    expect(alarm).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    expectNotifiesTopic(alarm);
  });

  it('alarms when a distribution run fails', () => {
    const alarm = alarmOn('DistributionRunFailures');
    expect(metricOf(alarm)).toEqual({
      Metric: {
        Namespace: 'Proleads',
        MetricName: 'DistributionRunFailures',
        Dimensions: [{ Name: 'service', Value: 'proleads-distribution' }],
      },
      Period: 300,
      Stat: 'Sum',
    });
    expect(alarm).toMatchObject({
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      TreatMissingData: 'notBreaching',
    });
    expectNotifiesTopic(alarm);
  });

  it('alarms when a schedule is overdue for 15 minutes, or when the watchdog falls silent', () => {
    const alarm = alarmOn('OverdueSchedules');
    expect(metricOf(alarm)).toEqual({
      Metric: {
        Namespace: 'Proleads',
        MetricName: 'OverdueSchedules',
        Dimensions: [{ Name: 'service', Value: 'proleads-scheduler-watchdog' }],
      },
      Period: 300,
      Stat: 'Maximum',
    });
    expect(alarm).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      TreatMissingData: 'breaching',
    });
    expectNotifiesTopic(alarm);
  });

  it('alarms when supply falls below the configured weeks', () => {
    const alarm = alarmOn('SupplyWeeksLeft');
    expect(metricOf(alarm)).toEqual({
      Metric: {
        Namespace: 'Proleads',
        MetricName: 'SupplyWeeksLeft',
        Dimensions: [{ Name: 'service', Value: 'proleads-scheduler-watchdog' }],
      },
      Period: Duration.hours(1).toSeconds(),
      Stat: 'Minimum',
    });
    expect(alarm).toMatchObject({
      Threshold: 3,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
    expectNotifiesTopic(alarm);
  });

  it('alarms when the verifier error rate over 15 minutes passes the configured percentage', () => {
    const alarm = alarmOn('VerifierErrors');
    const queries = alarm.Metrics as MetricQuery[];
    const returned = queries.find((query) => query.Expression);
    expect(returned?.Expression).toBe('IF(requests >= 10, 100 * errors / requests)');
    for (const [id, metricName] of [
      ['requests', 'VerifierRequests'],
      ['errors', 'VerifierErrors'],
    ]) {
      expect(queries.find((query) => query.Id === id)?.MetricStat).toEqual({
        Metric: {
          Namespace: 'Proleads',
          MetricName: metricName,
          Dimensions: [{ Name: 'service', Value: 'proleads-verification' }],
        },
        Period: 900,
        Stat: 'Sum',
      });
    }
    expect(alarm).toMatchObject({
      Threshold: 15,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
    expectNotifiesTopic(alarm);
  });

  it.each([
    ['ingest', 'IngestDeadLetterQueue'],
    ['verification', 'VerificationDeadLetterQueue'],
    ['distribution (Scheduler and async invocations)', 'DistributionSchedulerDeadLetterQueue'],
  ])('alarms as soon as the %s dead-letter queue holds a message', (_, queuePrefix) => {
    const queueId = idOf('AWS::SQS::Queue', queuePrefix);
    const alarm = alarmOn('ApproximateNumberOfMessagesVisible', queueId);
    expect(metricOf(alarm)).toEqual({
      Metric: {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      },
      Period: 60,
      Stat: 'Maximum',
    });
    expect(alarm).toMatchObject({
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
    expectNotifiesTopic(alarm);
  });

  it('alarms when the API answers more 5xx than configured in 5 minutes', () => {
    const alarm = alarmOn('5XXError');
    expect(metricOf(alarm)).toEqual({
      Metric: {
        Namespace: 'AWS/ApiGateway',
        MetricName: '5XXError',
        Dimensions: [
          { Name: 'ApiName', Value: 'proleads-dev' },
          { Name: 'Stage', Value: { Ref: idOf('AWS::ApiGateway::Stage', 'ApiRestApiDeploymentStage') } },
        ],
      },
      Period: 300,
      Stat: 'Sum',
    });
    expect(alarm).toMatchObject({
      Threshold: 7,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
    expectNotifiesTopic(alarm);
  });

  it('sends to a KMS-encrypted, TLS-only topic that CloudWatch alarms of this account may publish to', () => {
    const keyId = idOf('AWS::KMS::Key', 'MonitoringAlarmTopicKey');
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: topicRef(),
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
          }),
        ]),
      },
    });
  });

  it('subscribes the configured email to the topic, and nobody when none is configured', () => {
    template.resourceCountIs('AWS::SNS::Subscription', 1);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@proleads.example',
      TopicArn: topicRef()[0],
    });
    const { stack } = buildApp({ config: devConfig(), skipBundling: true });
    Template.fromStack(stack).resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('has one dashboard named for the stage, with the explanation and every function on it', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'Proleads-dev' });
    const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]);
    for (const text of [
      'How to read this dashboard',
      'LeadShortfall',
      'MembersShort',
      'IngestRowsRejected',
    ]) {
      expect(body).toContain(text);
    }
    expect(body).toContain('VerifiedLeads');
    const functions = Object.keys(
      template.findResources('AWS::Lambda::Function', { Metadata: Match.anyValue() }),
    );
    expect(functions.length).toBeGreaterThan(5);
    for (const fn of functions) expect(body).toContain(fn);
  });

  it('fails synthesis when a function is added after the monitoring (it would be missing from the dashboard)', () => {
    const { app, stack } = buildApp({ config: devConfig(), skipBundling: true });
    new ProleadsFunction(stack, 'LateFn', { folder: 'public-api', description: 'added too late' });
    expect(() => app.synth()).toThrow(/LateFn is not on the dashboard/);
  });
});
