import { describe, expect, it } from 'vitest';
import { createLocalEventBus, matchesPattern } from './rules';
import type { CfnTemplate } from './template';

const pattern = {
  source: ['aws.ses'],
  'detail-type': ['Email Bounced', 'Email Complaint Received'],
  detail: { mail: { tags: { 'ses:configuration-set': ['proleads-dev'] } } },
};
const event = (configurationSet: string, detailType = 'Email Bounced') => ({
  source: 'aws.ses',
  'detail-type': detailType,
  detail: { mail: { tags: { 'ses:configuration-set': [configurationSet], member: ['bS0x'] } } },
});

describe('the local event bus', () => {
  it('matches an event as EventBridge does: every key, any listed value, any element of an array', () => {
    expect(matchesPattern(pattern, event('proleads-dev'))).toBe(true);
    expect(matchesPattern(pattern, event('proleads-dev', 'Email Complaint Received'))).toBe(true);
    expect(matchesPattern(pattern, event('proleads-prod'))).toBe(false);
    expect(matchesPattern(pattern, event('proleads-dev', 'Email Delivered'))).toBe(false);
    expect(matchesPattern(pattern, { source: 'aws.ses', 'detail-type': 'Email Bounced' })).toBe(false);
  });

  it('hands a matching event to the rule’s function targets and refuses a rule it cannot play', async () => {
    const rule = (eventPattern: unknown) =>
      ({
        Resources: {
          FeedbackRule: {
            Type: 'AWS::Events::Rule',
            Properties: {
              EventPattern: eventPattern,
              Targets: [{ Arn: { 'Fn::GetAtt': ['FeedbackFn', 'Arn'] } }],
            },
          },
        },
      }) as unknown as CfnTemplate;
    const invoked: string[] = [];
    const lambdas = {
      invoke: async (id: string) => {
        invoked.push(id);
        return 'done';
      },
      functionsOf: () => [],
    };
    const bus = createLocalEventBus(rule(pattern), lambdas as never);
    expect(await bus.put(event('proleads-dev'))).toEqual(['done']);
    expect(await bus.put(event('proleads-prod'))).toEqual([]);
    expect(invoked).toEqual(['FeedbackFn']);

    expect(() => createLocalEventBus(rule({ source: [{ prefix: 'aws.' }] }), lambdas as never)).toThrow(
      /content filter/,
    );
  });
});
