import { isEligible, type MemberSubscription, type Tier, weeklyQuota } from '../../members/domain/tiers';

/**
 * What a member is owed. Entitlement accrues from the weekly quota (the tier's, or the member's override)
 * while the member is eligible, pro rata for part weeks, and is taken in advance to the end of the run's
 * week: a weekly run delivers a week's quota, a monthly run the four or five weeks since the last one, and
 * a second run in a week only tops up. Entitlement a run could not meet is carried into the next week, at
 * most `carryOverWeeks` weekly quotas of it; the rest is forgotten.
 *
 * Steps, per member and week (the ledger entry of the week keeps each figure):
 * 1. Accrual starts where the member's latest earlier entry stopped (its `accruedThrough`), or at the
 *    start of this week when there is none (a new ledger, or existing members before it), and never
 *    before the subscription began or before the member became eligible again after a pause or lapse.
 * 2. It ends at the end of the week, or earlier when the subscription ends in the week.
 * 3. Carried in: the latest earlier entry's unmet entitlement (owed - received), capped.
 * 4. Owed this week = accrued + carried in; owed in a run = owed this week - received this week.
 */

export const WEEK_MS = 7 * 86_400_000;

/** The week's accrual, fixed at the week's first run (a resumed or later run recomputes the same). */
export interface WeekAccrual {
  accruedFrom: string;
  accruedThrough: string;
  carriedIn: number;
}

/** The part of a member's latest earlier ledger entry the next week starts from. */
export interface EarlierWeek {
  accruedThrough: string;
  owed: number;
  received: number;
}

/**
 * A member as entitlement needs them: the subscription, when it began and when the member last became
 * eligible again after a pause or lapse (absent: long before).
 */
export type EntitledMember = MemberSubscription & {
  subscriptionStartedAt?: string | null;
  eligibleSince?: string | null;
};

const msOf = (value: string | Date | null | undefined): number | undefined => {
  if (value === undefined || value === null) return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
};

/** Where this week's accrual starts and what it carries in, from the latest earlier entry (if any). */
export const weekAccrual = (
  member: EntitledMember,
  week: { start: Date; end: Date },
  earlier: EarlierWeek | undefined,
  tiers: readonly Tier[],
  carryOverWeeks: number,
): WeekAccrual => {
  const starts = [
    msOf(earlier?.accruedThrough) ?? week.start.getTime(),
    msOf(member.subscriptionStartedAt) ?? 0,
    msOf(member.eligibleSince) ?? 0,
  ];
  const from = Math.min(Math.max(...starts), week.end.getTime());
  const unmet = earlier ? Math.max(0, earlier.owed - earlier.received) : 0;
  return {
    accruedFrom: new Date(from).toISOString(),
    accruedThrough: week.end.toISOString(),
    carriedIn: Math.min(unmet, Math.max(0, carryOverWeeks) * weeklyQuota(member, tiers)),
  };
};

export interface WeekEntitlement {
  quota: number;
  /** accrued this week (pro rata from `accruedFrom`, whole leads) */
  accrued: number;
  carriedIn: number;
  /** accrued + carried in */
  owed: number;
}

/** The week's entitlement with the member's quota as it is now; nothing for a member not eligible now. */
export const weekEntitlement = (
  member: EntitledMember,
  accrual: WeekAccrual,
  now: Date,
  tiers: readonly Tier[],
): WeekEntitlement => {
  if (!isEligible(member, now, tiers)) return { quota: 0, accrued: 0, carriedIn: 0, owed: 0 };
  const quota = weeklyQuota(member, tiers);
  const from = msOf(accrual.accruedFrom) ?? 0;
  const through = Math.min(
    msOf(accrual.accruedThrough) ?? from,
    msOf(member.subscriptionEndsAt) ?? Number.POSITIVE_INFINITY,
  );
  const accrued = Math.round((quota * Math.max(0, through - from)) / WEEK_MS);
  return { quota, accrued, carriedIn: accrual.carriedIn, owed: accrued + accrual.carriedIn };
};

/**
 * What a member is owed in a run: the week's entitlement minus what the week has delivered so far, never
 * negative. Every planned delivery starts here; another owed term (such as replacements) joins this sum.
 */
export const owedInRun = (entitlement: WeekEntitlement, receivedThisWeek: number): number =>
  Math.max(0, entitlement.owed - Math.max(0, Math.floor(receivedThisWeek)));
