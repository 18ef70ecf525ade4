import { precedingWeekKeys, weekKey } from '../schedules/domain/schedule';
import type { DocumentClient } from '../shared/dynamo';
import { readLedgerEntries } from './adapters/member-reads';
import { memberLedgerView } from './domain/member-ledger';
import type { MemberLedger } from './domain/member-schemas';
import type { MemberSubscription, Tier } from './domain/tiers';

export interface MemberLedgerDeps {
  readonly doc: DocumentClient;
  readonly membersTable: string;
  readonly tiers: readonly Tier[];
  /** The zone weeks are counted in (distribution.timeZone). */
  readonly timeZone: string;
  readonly now: () => Date;
}

/** A member's ledger of the last `weeks` weeks, this one included, newest first: one read. */
export const readMemberLedger = async (
  deps: MemberLedgerDeps,
  member: MemberSubscription,
  weeks: number,
): Promise<MemberLedger> => {
  const now = deps.now();
  const current = weekKey(now, deps.timeZone);
  const keys = [current, ...precedingWeekKeys(now, deps.timeZone, weeks - 1)];
  const entries = await readLedgerEntries(deps.doc, deps.membersTable, member.memberId, keys);
  return { timeZone: deps.timeZone, ...memberLedgerView(member, entries, current, now, deps.tiers) };
};
