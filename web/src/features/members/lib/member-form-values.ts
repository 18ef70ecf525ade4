import type { Member, MemberInput } from '../api/members';

export const SUBSCRIPTION_STATUSES = [
  'active',
  'trialing',
  'past_due',
  'unpaid',
  'paused',
  'canceled',
  'incomplete',
  'incomplete_expired',
] as const;

export interface MemberFormValues {
  tier: string;
  subscriptionStatus: MemberInput['subscriptionStatus'];
  subscriptionEndsAt: string;
  weeklyQuotaOverride: string;
}

export const memberFormFrom = (member: Member): MemberFormValues => ({
  tier: member.tier,
  subscriptionStatus: (SUBSCRIPTION_STATUSES as readonly string[]).includes(member.subscriptionStatus)
    ? (member.subscriptionStatus as MemberInput['subscriptionStatus'])
    : 'active',
  subscriptionEndsAt: member.subscriptionEndsAt ?? '',
  weeklyQuotaOverride: member.weeklyQuotaOverride === null ? '' : String(member.weeklyQuotaOverride),
});

/**
 * The full upsert: the member's own name, email and subscription start (the platform's) with the edited
 * fields; blanks clear the optional ones.
 */
export const memberInputFrom = (member: Member, values: MemberFormValues): MemberInput => ({
  email: member.email,
  name: member.name,
  subscriptionStartedAt: member.subscriptionStartedAt,
  tier: values.tier.trim(),
  subscriptionStatus: values.subscriptionStatus,
  subscriptionEndsAt: values.subscriptionEndsAt.trim() === '' ? null : values.subscriptionEndsAt.trim(),
  weeklyQuotaOverride: values.weeklyQuotaOverride.trim() === '' ? null : Number(values.weeklyQuotaOverride),
});

/** CSV when the text starts with a header row rather than a JSON array or object. */
export const guessImportFormat = (text: string): 'csv' | 'json' => (/^\s*[[{]/.test(text) ? 'json' : 'csv');
