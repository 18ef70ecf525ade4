import type { LedgerEntry } from '../../shared/model';
import { byCodeUnit } from '../../shared/order';
import type { MemberLedger } from './member-schemas';
import { type MemberSubscription, notOwedReason, type Tier } from './tiers';

/**
 * A member's ledger as people read it: per week what they were owed (accrued, carried in), what they
 * received and from which runs, and what was short and why. Pure; the entries come from the week ledger
 * the distribution runs write.
 */

/** The ledger an API answers with (`MemberLedgerSchema` documents it), but the time zone, which the reader adds. */
export type MemberLedgerView = Omit<MemberLedger, 'timeZone'>;
type LedgerWeekView = MemberLedgerView['weeks'][number];

/**
 * Weeks newest first. A week left short says why: the member is not eligible now (for the current week,
 * which they stopped being owed), or the supply ran short.
 */
export const memberLedgerView = (
  member: MemberSubscription,
  entries: readonly LedgerEntry[],
  currentWeek: string,
  now: Date,
  tiers: readonly Tier[],
): MemberLedgerView => {
  const notOwed = notOwedReason(member, now, tiers) ?? null;
  const weeks = [...entries]
    .sort((a, b) => byCodeUnit(b.weekKey, a.weekKey))
    .map((entry): LedgerWeekView => {
      const short = Math.max(0, entry.owed - entry.received);
      return {
        weekKey: entry.weekKey,
        quota: entry.quota,
        accruedFrom: entry.accruedFrom,
        accruedThrough: entry.accruedThrough,
        accrued: entry.accrued,
        carriedIn: entry.carriedIn,
        owed: entry.owed,
        received: entry.received,
        runs: Object.entries(entry.runs ?? {})
          .map(([runId, received]) => ({ runId, received }))
          .sort((a, b) => byCodeUnit(a.runId, b.runId)),
        short,
        shortReason: short === 0 ? null : entry.weekKey === currentWeek && notOwed ? notOwed : 'supply_short',
      };
    });
  return {
    memberId: member.memberId,
    notOwed,
    weeks,
    totals: {
      accrued: weeks.reduce((sum, week) => sum + week.accrued, 0),
      received: weeks.reduce((sum, week) => sum + week.received, 0),
    },
  };
};
