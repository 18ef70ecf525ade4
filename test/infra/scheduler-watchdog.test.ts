import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app';
import { devConfig } from '../../lib/config';

describe('the scheduler watchdog', () => {
  let template: Template;
  beforeAll(() => {
    const { stack } = buildApp({
      config: devConfig({ distribution: { overdueSlackMinutes: 45 } }),
      skipBundling: true,
    });
    template = Template.fromStack(stack);
  });

  const functionId = (folder: string) => {
    const [id] = Object.entries(template.findResources('AWS::Lambda::Function')).find(
      ([, resource]) => resource.Metadata?.['proleads:function'] === folder,
    ) ?? [undefined];
    if (!id) throw new Error(`no ${folder} function`);
    return id;
  };
  const dlqIds = () =>
    Object.keys(template.findResources('AWS::SQS::Queue'))
      .filter((id) => /DeadLetterQueue/.test(id))
      .sort();

  it('runs every five minutes from an EventBridge rule, without retrying a stale assessment', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [functionId('scheduler-watchdog'), 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 0 },
        }),
      ],
    });
  });

  it.each(['scheduler-watchdog', 'admin-api'])(
    'gives %s the overdue slack from the configuration and every dead-letter queue to watch',
    (folder) => {
      const fn = template.findResources('AWS::Lambda::Function')[functionId(folder)];
      const variables = fn?.Properties.Environment.Variables as Record<string, unknown>;
      expect(variables.SCHEDULE_OVERDUE_SLACK_MINUTES).toBe('45');
      const watched = Object.entries(variables)
        .filter(([name]) => name.startsWith('DLQ_URL_'))
        .map(([name, value]) => [name, (value as { Ref: string }).Ref]);
      expect(watched.map(([name]) => name).sort()).toEqual([
        'DLQ_URL_EMAIL',
        'DLQ_URL_INGEST',
        'DLQ_URL_SCHEDULER',
        'DLQ_URL_VERIFICATION',
      ]);
      expect(watched.map(([, ref]) => ref).sort()).toEqual(dlqIds());
    },
  );

  it('may read the depth of the dead-letter queues and nothing else of them', () => {
    const role =
      template.findResources('AWS::Lambda::Function')[functionId('scheduler-watchdog')]?.Properties.Role[
        'Fn::GetAtt'
      ][0];
    const [policy] = Object.values(
      template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: role }] } }),
    );
    const statements = policy?.Properties.PolicyDocument.Statement as {
      Action: unknown;
      Resource: unknown;
    }[];
    const sqs = statements.filter((statement) => JSON.stringify(statement.Action).includes('sqs:'));
    expect(sqs.map((statement) => statement.Action)).toEqual(dlqIds().map(() => 'sqs:GetQueueAttributes'));
    expect(
      sqs.map((statement) => (statement.Resource as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]).sort(),
    ).toEqual(dlqIds());
  });
});
