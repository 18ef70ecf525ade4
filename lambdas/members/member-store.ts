import type { DocumentClient } from '../shared/dynamo';
import { ConflictError } from '../shared/errors';
import type { AddressMarkReason, MemberItem } from '../shared/model';
import { DynamoMemberRecords } from './adapters/member-records';
import {
  activeAddressMark,
  buildMemberItem,
  countedStateOf,
  counterDeltas,
  sameContent,
} from './domain/member-record';
import type { MemberInput } from './domain/member-schemas';
import type { Tier } from './domain/tiers';
import type { MemberRecords } from './ports';

/**
 * Members as distribution needs them: the main platform owns them and syncs them here (one by one or in
 * bulk). The global counters of eligible members (overall and per tier) and of weekly demand stay exact:
 * every change goes through `upsert`, which computes its delta from the item it read and applies it once.
 */

export interface MemberStoreDeps {
  readonly doc: DocumentClient;
  readonly membersTable: string;
  readonly controlTable: string;
  readonly tiers: readonly Tier[];
  readonly now: () => Date;
  /** Intents older than this are left over from a crash and may be repaired. Default 5 minutes. */
  readonly staleIntentMs?: number;
  /** Where members are kept; DynamoDB (the two tables above) unless given. */
  readonly records?: MemberRecords;
}

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

/** The synced fields of a stored member, as an upsert takes them. */
const profileOf = (item: MemberItem): MemberInput => ({
  email: item.email,
  name: item.name,
  tier: item.tier,
  subscriptionStatus: item.subscriptionStatus as MemberInput['subscriptionStatus'],
  subscriptionEndsAt: item.subscriptionEndsAt ?? null,
  subscriptionStartedAt: item.subscriptionStartedAt ?? null,
  weeklyQuotaOverride: item.weeklyQuotaOverride ?? null,
});

const MAX_ATTEMPTS = 5;

export class MemberStore {
  private readonly records: MemberRecords;

  constructor(private readonly deps: MemberStoreDeps) {
    this.records = deps.records ?? new DynamoMemberRecords(deps);
  }

  /** The member as stored, its profile fields checked (`getMember`), or undefined for an unknown member. */
  get(memberId: string): Promise<MemberItem | undefined> {
    return this.records.get(memberId);
  }

  /**
   * Creates or changes a member from the platform's fields (see `change` for the steps). The feedback on
   * the address (mark, soft bounces) stays while the address does.
   */
  async upsert(memberId: string, input: MemberInput): Promise<{ item: MemberItem; outcome: UpsertOutcome }> {
    return this.change(memberId, (current) =>
      buildMemberItem(memberId, input, current, this.deps.now(), this.deps.tiers),
    );
  }

  /**
   * Records SES feedback on the address `address`: a hard bounce or a complaint marks it (the member is not
   * mailed while it is their address), a soft bounce is counted. Nothing changes when the member is unknown,
   * has another address by now, or the address is marked already. Counters follow as in `upsert`.
   */
  async recordAddressFeedback(
    memberId: string,
    address: string,
    feedback: AddressMarkReason | 'soft-bounce',
  ): Promise<UpsertOutcome | 'unknown-member' | 'other-address'> {
    let skipped: 'unknown-member' | 'other-address' | undefined;
    const result = await this.change(memberId, (current) => {
      skipped = !current
        ? 'unknown-member'
        : current.email !== address.trim().toLowerCase()
          ? 'other-address'
          : undefined;
      if (!current || skipped) return undefined;
      if (feedback === 'soft-bounce')
        return this.rebuild({ ...current, softBounces: (current.softBounces ?? 0) + 1 });
      if (activeAddressMark(current)) return current;
      const at = this.deps.now().toISOString();
      return this.rebuild({ ...current, addressMark: { address: current.email, reason: feedback, at } });
    });
    return skipped ?? result?.outcome ?? 'unchanged';
  }

  /** An admin's word that the member's address may be mailed again: the mark and the soft bounces go. */
  async clearAddressMark(
    memberId: string,
  ): Promise<{ item: MemberItem; outcome: UpsertOutcome } | undefined> {
    return this.change(memberId, (current) =>
      current ? this.rebuild({ ...current, addressMark: null, softBounces: 0 }) : undefined,
    );
  }

  /** The next version of `item` with its own profile (and the feedback it now carries). */
  private rebuild(item: MemberItem): MemberItem {
    return buildMemberItem(item.memberId, profileOf(item), item, this.deps.now(), this.deps.tiers);
  }

  /**
   * Changes a member to what `next` builds from the stored item (undefined: nothing to do). Steps, retried
   * from the top when another writer got there first:
   * 1. read the member (its version and what the counters count for it);
   * 2. build the new item; identical content and counted state -> nothing to write (imports are idempotent);
   * 3. if the counted state changes, record an intent on the global counters item and ADD the deltas there
   *    in the same conditional write (marker member#<id>#<version>, so it cannot apply twice);
   * 4. put the member on condition that its version is still the one read; if that fails, revert step 3;
   * 5. clear the intent. A crash between 3 and 5 leaves an intent that `repairCounterIntents` settles.
   */
  private change(
    memberId: string,
    next: (current: MemberItem | undefined) => MemberItem,
  ): Promise<{ item: MemberItem; outcome: UpsertOutcome }>;
  private change(
    memberId: string,
    next: (current: MemberItem | undefined) => MemberItem | undefined,
  ): Promise<{ item: MemberItem; outcome: UpsertOutcome } | undefined>;
  private async change(
    memberId: string,
    next: (current: MemberItem | undefined) => MemberItem | undefined,
  ): Promise<{ item: MemberItem; outcome: UpsertOutcome } | undefined> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const current = await this.records.get(memberId);
      const built = next(current);
      if (!built) return undefined;
      if (current && (built === current || sameContent(current, built)))
        return { item: current, outcome: 'unchanged' };
      const deltas = counterDeltas(current?.counted, built.counted);
      const marker = `member#${memberId}#${built.version}`;
      const hasDeltas = Object.keys(deltas).length > 0;
      const intent = { memberId, version: built.version, deltas, at: this.deps.now().toISOString() };
      if (hasDeltas && !(await this.records.applyCounterIntent(marker, intent))) {
        // Another writer holds this version's intent: let it finish (or repair a stale one), then retry.
        await this.repairCounterIntents();
        continue;
      }
      if (!(await this.records.putIfVersion(built, current?.version))) {
        if (hasDeltas) await this.records.settleCounterIntent(marker, deltas, 'revert');
        continue;
      }
      if (hasDeltas) await this.records.settleCounterIntent(marker, deltas, 'keep');
      return { item: built, outcome: current ? 'updated' : 'created' };
    }
    throw new ConflictError(`Member ${memberId} is being changed by another request; try again`);
  }

  /** Re-evaluates a member with its own content: eligibility lapses when a subscription's end date passes. */
  async reconcile(item: MemberItem): Promise<MemberItem> {
    const { item: updated } = await this.upsert(item.memberId, profileOf(item));
    return updated;
  }

  /** Whether the counted state of the item is still right now (tiers and end dates move on their own). */
  isCountedCurrent(item: MemberItem): boolean {
    const counted = countedStateOf(item, this.deps.now(), this.deps.tiers);
    return (
      counted.eligible === item.counted.eligible &&
      counted.tier === item.counted.tier &&
      counted.weeklyQuota === item.counted.weeklyQuota &&
      counted.marked === (item.counted.marked ?? false)
    );
  }

  /**
   * Settles intents left on the global counters item by a writer that died between its counter write and
   * its member write (older than `staleIntentMs`): if the member reached that version the deltas stand,
   * otherwise they are taken back. One read when there is nothing to repair.
   */
  async repairCounterIntents(): Promise<number> {
    const staleBefore = this.deps.now().getTime() - (this.deps.staleIntentMs ?? 5 * 60_000);
    let repaired = 0;
    for (const { marker, intent } of await this.records.counterIntents()) {
      if (Date.parse(intent.at) > staleBefore) continue;
      const member = await this.records.get(intent.memberId);
      const reached = member !== undefined && member.version >= intent.version;
      await this.records.settleCounterIntent(marker, intent.deltas, reached ? 'keep' : 'revert');
      repaired += 1;
    }
    return repaired;
  }

  /**
   * Members a page at a time, each filter one index Query: a tier (optionally narrowed to eligible or not)
   * reads `byTier`, eligibility alone reads `eligible`, no filter reads the directory (by id).
   */
  list(options: Parameters<MemberRecords['list']>[0]): ReturnType<MemberRecords['list']> {
    return this.records.list(options);
  }
}
