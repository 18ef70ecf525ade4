import { describe, expect, it } from 'vitest';
import { loadEvent } from '../../../test/support/events';
import { memberTag } from '../../shared/email-tags';
import { feedbackOf, type SesFeedbackEvent, SesFeedbackEventSchema } from './ses-event';

const bounce = () => SesFeedbackEventSchema.parse(loadEvent('ses/bounce-permanent.json'));

describe('SES feedback events', () => {
  it('reads a permanent bounce as a hard bounce of the tagged member’s address', () => {
    expect(feedbackOf(bounce())).toEqual([
      { memberId: 'm-1', address: 'ann@members.example', kind: 'hard-bounce' },
    ]);
  });

  it('reads transient and undetermined bounces as soft ones', () => {
    for (const bounceType of ['Transient', 'Undetermined']) {
      const event = bounce();
      if (event.detail.eventType !== 'Bounce') throw new Error('fixture is a bounce');
      event.detail.bounce.bounceType = bounceType;
      expect(feedbackOf(event).map((entry) => entry.kind)).toEqual(['soft-bounce']);
    }
  });

  it('reads a complaint, and a member id with characters a tag value cannot hold', () => {
    const event = SesFeedbackEventSchema.parse(loadEvent('ses/complaint.json'));
    event.detail.mail.tags.member = [memberTag('crm:42.a').Value];
    expect(feedbackOf(event)).toEqual([
      { memberId: 'crm:42.a', address: 'ann@members.example', kind: 'complaint' },
    ]);
  });

  it('ignores a mail without a member tag or with a tag it did not make', () => {
    const untagged: SesFeedbackEvent = bounce();
    untagged.detail.mail.tags = {};
    expect(feedbackOf(untagged)).toEqual([]);
    untagged.detail.mail.tags.member = ['not base64url!'];
    expect(feedbackOf(untagged)).toEqual([]);
  });

  it('refuses an event that is not an SES bounce or complaint', () => {
    expect(SesFeedbackEventSchema.safeParse({ ...bounce(), source: 'aws.s3' }).success).toBe(false);
    const delivery = loadEvent<{ detail: { eventType: string } }>('ses/bounce-permanent.json');
    delivery.detail.eventType = 'Delivery';
    expect(SesFeedbackEventSchema.safeParse(delivery).success).toBe(false);
  });
});
