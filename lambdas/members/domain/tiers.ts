import * as z from '../../shared/zod';

/**
 * Membership tiers and who is owed leads (what they are owed: distribution/domain/entitlement.ts).
 *
 * A member is eligible while the subscription is `active`, its end date (if any) has not passed, and the
 * weekly quota is above zero. The quota is the tier's, unless the member carries an override (an override
 * of 0 pauses the member).
 */

const TIER_NAME = /^[a-z][a-z0-9-]{0,31}$/;

export const TierSchema = z.strictObject({
  name: z.string().check(
    z.regex(TIER_NAME, {
      error: 'must be 1-32 lower-case letters, digits or hyphens, starting with a letter',
    }),
  ),
  weeklyQuota: z.number().check(z.int(), z.minimum(0), z.maximum(10_000)),
});
export type Tier = z.infer<typeof TierSchema>;

/** The tier list from configuration: at least one tier, names unique. */
export const TierConfigSchema = z.array(TierSchema).check(
  z.minLength(1, { error: 'at least one tier is required' }),
  z.superRefine((tiers, ctx) => {
    const seen = new Set<string>();
    tiers.forEach((tier, index) => {
      if (seen.has(tier.name))
        ctx.addIssue({
          code: 'custom',
          path: [index, 'name'],
          message: `tier '${tier.name}' is listed twice`,
        });
      seen.add(tier.name);
    });
  }),
);

export const DEFAULT_TIERS: readonly Tier[] = Object.freeze([
  { name: 'starter', weeklyQuota: 10 },
  { name: 'growth', weeklyQuota: 25 },
  { name: 'pro', weeklyQuota: 50 },
  { name: 'elite', weeklyQuota: 100 },
]);

/** Tiers from configuration (for example a JSON env var), or an Error naming each bad entry. */
export const parseTierConfig = (input: unknown): Tier[] => {
  const parsed = TierConfigSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'tiers'}: ${issue.message}`);
  throw new Error(`Invalid tier configuration: ${problems.join('; ')}`);
};

/** Tiers from an environment variable holding their JSON (TIERS), or an Error naming the variable. */
export const tiersFromJson = (text: string): Tier[] => {
  let tiers: unknown;
  try {
    tiers = JSON.parse(text);
  } catch {
    throw new Error('Invalid environment: TIERS: must be a JSON array of tiers');
  }
  return parseTierConfig(tiers);
};

/** What the distribution needs to know about a member's subscription. */
export interface MemberSubscription {
  memberId: string;
  tier: string;
  /** Only 'active' counts; anything else ('canceled', 'past_due', ...) is not eligible. */
  subscriptionStatus: string;
  /** When the paid period ends; eligible strictly before it. Absent or null: no end date. */
  subscriptionEndsAt?: Date | string | null;
  /** Replaces the tier's weekly quota for this member; a whole number >= 0. */
  weeklyQuotaOverride?: number | null;
}

/** Schema for a member record at the boundary (members sync, repository reads). */
export const MemberSubscriptionSchema = z.object({
  memberId: z.string().check(z.minLength(1)),
  tier: z.string().check(z.minLength(1)),
  subscriptionStatus: z.string().check(z.minLength(1)),
  subscriptionEndsAt: z.nullish(z.iso.datetime({ offset: true })),
  weeklyQuotaOverride: z.nullish(z.number().check(z.int(), z.minimum(0), z.maximum(10_000))),
});

/** The member's weekly quota: the override if set, else the tier's, else 0 for a tier not configured. */
export const weeklyQuota = (member: MemberSubscription, tiers: readonly Tier[]): number => {
  const override = member.weeklyQuotaOverride;
  if (override !== undefined && override !== null) {
    if (!Number.isInteger(override) || override < 0)
      throw new RangeError(`Member ${member.memberId}: weeklyQuotaOverride must be a whole number >= 0`);
    return override;
  }
  return tiers.find((tier) => tier.name === member.tier)?.weeklyQuota ?? 0;
};

const subscriptionEnded = (endsAt: MemberSubscription['subscriptionEndsAt'], now: Date): boolean => {
  if (endsAt === undefined || endsAt === null) return false;
  const endMs = endsAt instanceof Date ? endsAt.getTime() : Date.parse(endsAt);
  // An end date that cannot be read is treated as passed: handing out paid leads on a guess is worse
  // than one member missing a week while the record is fixed.
  if (Number.isNaN(endMs)) return true;
  return endMs <= now.getTime();
};

/** Whether the member is owed leads at all right now. */
export const isEligible = (member: MemberSubscription, now: Date, tiers: readonly Tier[]): boolean =>
  member.subscriptionStatus === 'active' &&
  !subscriptionEnded(member.subscriptionEndsAt, now) &&
  weeklyQuota(member, tiers) > 0;

/** Why a member is owed nothing new: the reason a ledger gives for a short or empty week. */
export type NotOwedReason = 'paused' | 'lapsed' | 'quota_0';

/** Why the member is not eligible now, or undefined when they are. */
export const notOwedReason = (
  member: MemberSubscription,
  now: Date,
  tiers: readonly Tier[],
): NotOwedReason | undefined => {
  if (isEligible(member, now, tiers)) return undefined;
  if (member.subscriptionStatus !== 'active') return 'lapsed';
  if (subscriptionEnded(member.subscriptionEndsAt, now)) return 'lapsed';
  return member.weeklyQuotaOverride === 0 ? 'paused' : 'quota_0';
};
