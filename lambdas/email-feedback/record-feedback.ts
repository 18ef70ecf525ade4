import type { MemberStore } from '../members/member-store';
import type { Logger } from '../shared/logger';
import { emailTag } from '../shared/redact';
import { type AddressFeedbackKind, feedbackOf, type SesFeedbackEvent } from './domain/ses-event';

export interface FeedbackMetrics {
  /** Called once per recipient the event reports, with what it reported. */
  record(kind: AddressFeedbackKind): void;
}

export interface FeedbackDeps {
  readonly members: Pick<MemberStore, 'recordAddressFeedback'>;
  readonly metrics: FeedbackMetrics;
  readonly logger: Pick<Logger, 'info' | 'warn'>;
}

/**
 * Records one SES bounce or complaint event: for each recipient, marks the member's address (hard bounce,
 * complaint) or counts a soft bounce, then publishes the count. Safe to run twice (EventBridge delivers at
 * least once): a marked address stays marked; a soft bounce delivered twice is counted twice, which only
 * costs the figure an admin reads, never a mail. Feedback about an address the member no longer has, or
 * about a member we do not know, changes nothing.
 */
export const recordSesFeedback = async (deps: FeedbackDeps, event: SesFeedbackEvent) => {
  const entries = feedbackOf(event);
  if (entries.length === 0) deps.logger.warn('SES feedback without a member tag ignored', {});
  const outcomes = [];
  for (const entry of entries) {
    deps.metrics.record(entry.kind);
    const outcome = await deps.members.recordAddressFeedback(entry.memberId, entry.address, entry.kind);
    deps.logger.info('SES feedback recorded', {
      memberId: entry.memberId,
      to: emailTag(entry.address),
      kind: entry.kind,
      outcome,
    });
    outcomes.push({ memberId: entry.memberId, kind: entry.kind, outcome });
  }
  return outcomes;
};
