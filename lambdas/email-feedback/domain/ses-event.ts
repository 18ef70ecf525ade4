import { MEMBER_TAG_NAME, memberIdFromTag } from '../../shared/email-tags';
import * as z from '../../shared/zod';

/**
 * What SES's configuration set sends to EventBridge (source `aws.ses`) about a mail, reduced to what we act
 * on: for each recipient, the member the mail was for (its `member` tag) and what happened to the address.
 * A permanent bounce and a complaint mark the address; a transient or undetermined bounce is only counted.
 * Pure.
 */

export type AddressFeedbackKind = 'hard-bounce' | 'soft-bounce' | 'complaint';

export interface AddressFeedback {
  readonly memberId: string;
  readonly address: string;
  readonly kind: AddressFeedbackKind;
}

/** The EventBridge detail-types of the SES events the configuration set publishes and we subscribe to. */
export const SES_FEEDBACK_DETAIL_TYPES = ['Email Bounced', 'Email Complaint Received'] as const;

const recipients = z
  .array(z.looseObject({ emailAddress: z.string().check(z.minLength(3)) }))
  .check(z.minLength(1));
const mail = z.looseObject({ tags: z._default(z.record(z.string(), z.array(z.string())), {}) });

const SesFeedbackDetailSchema = z.discriminatedUnion('eventType', [
  z.looseObject({
    eventType: z.literal('Bounce'),
    mail,
    bounce: z.looseObject({ bounceType: z.string(), bouncedRecipients: recipients }),
  }),
  z.looseObject({
    eventType: z.literal('Complaint'),
    mail,
    complaint: z.looseObject({ complainedRecipients: recipients }),
  }),
]);

export const SesFeedbackEventSchema = z.looseObject({
  source: z.literal('aws.ses'),
  'detail-type': z.enum(SES_FEEDBACK_DETAIL_TYPES),
  detail: SesFeedbackDetailSchema,
});
export type SesFeedbackEvent = z.infer<typeof SesFeedbackEventSchema>;

/**
 * The feedback an event carries, one entry per recipient. Empty for a mail without a member tag (not one
 * of our notifications): nothing to mark.
 */
export const feedbackOf = (event: SesFeedbackEvent): AddressFeedback[] => {
  const { detail } = event;
  const memberId = memberIdFromTag(detail.mail.tags[MEMBER_TAG_NAME]?.[0]);
  if (!memberId) return [];
  if (detail.eventType === 'Complaint')
    return detail.complaint.complainedRecipients.map((recipient) => ({
      memberId,
      address: recipient.emailAddress,
      kind: 'complaint',
    }));
  const kind = detail.bounce.bounceType === 'Permanent' ? 'hard-bounce' : 'soft-bounce';
  return detail.bounce.bouncedRecipients.map((recipient) => ({
    memberId,
    address: recipient.emailAddress,
    kind,
  }));
};
