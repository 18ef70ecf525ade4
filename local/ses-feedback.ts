import { randomUUID } from 'node:crypto';
import { memberTag } from '../lambdas/shared/email-tags';

export type SesFeedbackKind = 'hard-bounce' | 'soft-bounce' | 'complaint';

/**
 * The event SES publishes to EventBridge for a bounce or a complaint about a notification of configuration
 * set `configurationSet` to `address` (member `memberId`): what `npm start` has no SES to produce. Shaped as
 * `events/ses/*.json`, the samples of the real thing.
 */
export const sesFeedbackEvent = (
  configurationSet: string,
  feedback: { memberId: string; address: string; kind: SesFeedbackKind },
  now = new Date(),
) => {
  const at = now.toISOString();
  const mail = {
    timestamp: at,
    source: 'local',
    messageId: randomUUID(),
    destination: [feedback.address],
    tags: { 'ses:configuration-set': [configurationSet], member: [memberTag(feedback.memberId).Value] },
  };
  const recipients = [{ emailAddress: feedback.address }];
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': feedback.kind === 'complaint' ? 'Email Complaint Received' : 'Email Bounced',
    source: 'aws.ses',
    account: '000000000000',
    time: at,
    region: 'us-east-1',
    resources: [],
    detail:
      feedback.kind === 'complaint'
        ? { eventType: 'Complaint', mail, complaint: { complainedRecipients: recipients, timestamp: at } }
        : {
            eventType: 'Bounce',
            mail,
            bounce: {
              bounceType: feedback.kind === 'hard-bounce' ? 'Permanent' : 'Transient',
              bounceSubType: 'General',
              bouncedRecipients: recipients,
              timestamp: at,
            },
          },
  };
};
