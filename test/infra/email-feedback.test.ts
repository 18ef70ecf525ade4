import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { SES_FEEDBACK_DETAIL_TYPES } from '../../lambdas/email-feedback/domain/ses-event';
import { buildApp } from '../../lib/app';
import { devConfig } from '../../lib/config';
import { SES_FEEDBACK_DETAIL_TYPES as CONSTRUCT_DETAIL_TYPES } from '../../lib/constructs/email-feedback';
import { SES_BOUNCE_RATE_ALARM, SES_COMPLAINT_RATE_ALARM } from '../../lib/constructs/monitoring';

describe('email feedback (SES configuration set, bounces and complaints)', () => {
  let template: Template;
  beforeAll(() => {
    const { stack } = buildApp({ config: devConfig(), skipBundling: true });
    template = Template.fromStack(stack);
  });

  const functionOf = (folder: string) => {
    const found = Object.entries(template.findResources('AWS::Lambda::Function')).find(
      ([, resource]) => resource.Metadata?.['proleads:function'] === folder,
    );
    if (!found) throw new Error(`no ${folder} function`);
    return { id: found[0], resource: found[1] };
  };
  const policyStatementsOf = (folder: string) => {
    const roleId = functionOf(folder).resource.Properties.Role['Fn::GetAtt'][0] as string;
    return Object.values(template.findResources('AWS::IAM::Policy'))
      .filter((policy) => (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === roleId))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Record<string, unknown>[]);
  };

  it('has a configuration set with an event destination sending bounces and complaints to EventBridge', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSet', {
      Name: 'proleads-dev',
      ReputationOptions: { ReputationMetricsEnabled: true },
    });
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: Match.anyValue(),
      EventDestination: {
        Enabled: true,
        MatchingEventTypes: Match.arrayEquals(['bounce', 'complaint']),
        EventBridgeDestination: {
          EventBusArn: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':event-bus/default$')])] },
        },
      },
    });
  });

  it('sends every notification through the configuration set, and may send only through it and the sender', () => {
    const { resource } = functionOf('distribution');
    expect(resource.Properties.Environment.Variables.SES_CONFIGURATION_SET).toBe('proleads-dev');
    const sends = policyStatementsOf('distribution').filter((statement) =>
      [statement.Action].flat().includes('ses:SendEmail'),
    );
    expect(JSON.stringify(sends)).toContain(':configuration-set/proleads-dev');
    expect(JSON.stringify(sends)).toContain(':identity/leads@proleads.example');
  });

  it('hands exactly this set’s bounces and complaints to the feedback function, with retries and a dead-letter queue', () => {
    expect(CONSTRUCT_DETAIL_TYPES).toEqual([...SES_FEEDBACK_DETAIL_TYPES]);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ses'],
        'detail-type': [...SES_FEEDBACK_DETAIL_TYPES],
        detail: { mail: { tags: { 'ses:configuration-set': ['proleads-dev'] } } },
      },
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [functionOf('email-feedback').id, 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86_400 },
          DeadLetterConfig: { Arn: Match.anyValue() },
        }),
      ],
    });
  });

  it('lets the feedback function read and write members and the counters, and nothing else', () => {
    const actions = policyStatementsOf('email-feedback')
      .flatMap((statement) => [statement.Action].flat() as string[])
      .filter((action) => !action.startsWith('logs:') && !action.startsWith('xray:'));
    expect([...new Set(actions)].sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
  });

  it('alarms on the account’s bounce and complaint rates below the rates at which SES reviews it', () => {
    expect(SES_BOUNCE_RATE_ALARM).toBeLessThan(0.05);
    expect(SES_COMPLAINT_RATE_ALARM).toBeLessThan(0.001);
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    for (const [metricName, threshold] of [
      ['Reputation.BounceRate', SES_BOUNCE_RATE_ALARM],
      ['Reputation.ComplaintRate', SES_COMPLAINT_RATE_ALARM],
    ] as const) {
      const alarm = alarms.find((candidate) =>
        JSON.stringify(candidate.Properties.Metrics ?? candidate.Properties).includes(`"${metricName}"`),
      );
      expect(alarm?.Properties).toMatchObject({
        Threshold: threshold,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [expect.anything()],
      });
      expect(JSON.stringify(alarm?.Properties)).toContain('"AWS/SES"');
    }
    // And a feedback event that could not be recorded (parked in the rule's dead-letter queue) alarms.
    const queueIds = Object.keys(template.findResources('AWS::SQS::Queue')).filter((id) =>
      id.startsWith('EmailFeedbackDeadLetterQueue'),
    );
    expect(queueIds).toHaveLength(1);
    expect(alarms.some((alarm) => JSON.stringify(alarm.Properties).includes(`"${queueIds[0]}"`))).toBe(true);
  });
});
