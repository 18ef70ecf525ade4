import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

import { addClauses, type CounterDeltas } from '../../shared/counters';
import { type DocumentClient, isConditionalCheckFailed } from '../../shared/dynamo';
import { ConflictError } from '../../shared/errors';
import {
  type CountedMemberState,
  ELIGIBLE_INDEX_PK,
  eligibilityPrefix,
  eligibleTierCounter,
  GLOBAL_COUNTERS_KEY,
  MEMBER_DIRECTORY_PK,
  type MemberItem,
  memberKey,
  memberTierIndexKeys,
  NOT_ELIGIBLE_INDEX_PK,
} from '../../shared/model';
import type { MemberInput, MemberView } from '../domain/member-schemas';
import { isEligible, type Tier, weeklyQuota } from '../domain/tiers';
import { getMember } from './member-profile';

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
}

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

export const toMemberView = (item: MemberItem): MemberView => ({
  id: item.memberId,
  email: item.email,
  name: item.name,
  tier: item.tier,
  subscriptionStatus: item.subscriptionStatus,
  subscriptionEndsAt: item.subscriptionEndsAt ?? null,
  weeklyQuotaOverride: item.weeklyQuotaOverride ?? null,
  weeklyQuota: item.counted.weeklyQuota,
  eligible: item.counted.eligible,
  version: item.version,
  updatedAt: item.updatedAt,
});

const contribution = (counted: CountedMemberState | undefined): Record<string, number> =>
  counted?.eligible
    ? { eligibleMembers: 1, [eligibleTierCounter(counted.tier)]: 1, weeklyDemand: counted.weeklyQuota }
    : {};

/** What the global counters must change by when a member goes from `before` to `after`. */
export const counterDeltas = (
  before: CountedMemberState | undefined,
  after: CountedMemberState,
): CounterDeltas => {
  const deltas: Record<string, number> = {};
  for (const [name, value] of Object.entries(contribution(after))) deltas[name] = value;
  for (const [name, value] of Object.entries(contribution(before)))
    deltas[name] = (deltas[name] ?? 0) - value;
  return Object.fromEntries(Object.entries(deltas).filter(([, delta]) => delta !== 0));
};

const sameContent = (item: MemberItem, next: MemberItem): boolean =>
  item.email === next.email &&
  item.name === next.name &&
  item.tier === next.tier &&
  item.subscriptionStatus === next.subscriptionStatus &&
  (item.subscriptionEndsAt ?? null) === (next.subscriptionEndsAt ?? null) &&
  (item.weeklyQuotaOverride ?? null) === (next.weeklyQuotaOverride ?? null) &&
  item.counted.eligible === next.counted.eligible &&
  item.counted.tier === next.counted.tier &&
  item.counted.weeklyQuota === next.counted.weeklyQuota &&
  // A member written before an index key existed is rewritten by its next sync, which indexes it.
  item.gsi1pk === next.gsi1pk &&
  item.gsi3pk === next.gsi3pk &&
  item.gsi3sk === next.gsi3sk;

const intentAttribute = (marker: string) => `intent#${marker}`;
const INTENT_PREFIX = 'intent#';

interface CounterIntent {
  memberId: string;
  version: number;
  deltas: CounterDeltas;
  at: string;
}

const MAX_ATTEMPTS = 5;

export class MemberStore {
  constructor(private readonly deps: MemberStoreDeps) {}

  /** The member as stored, its profile fields checked (`getMember`), or undefined for an unknown member. */
  async get(memberId: string): Promise<MemberItem | undefined> {
    return (await getMember(this.deps.doc, this.deps.membersTable, memberId)) as MemberItem | undefined;
  }

  /**
   * Creates or changes a member. Steps, retried from the top when another writer got there first:
   * 1. read the member (its version and what the counters count for it);
   * 2. build the new item; identical content and eligibility -> nothing to write (imports are idempotent);
   * 3. if the counted state changes, record an intent on the global counters item and ADD the deltas there
   *    in the same conditional write (marker member#<id>#<version>, so it cannot apply twice);
   * 4. put the member on condition that its version is still the one read; if that fails, revert step 3;
   * 5. clear the intent. A crash between 3 and 5 leaves an intent that `repairCounterIntents` settles.
   */
  async upsert(memberId: string, input: MemberInput): Promise<{ item: MemberItem; outcome: UpsertOutcome }> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const current = await this.get(memberId);
      const next = this.build(memberId, input, current);
      if (current && sameContent(current, next)) return { item: current, outcome: 'unchanged' };
      const deltas = counterDeltas(current?.counted, next.counted);
      const marker = `member#${memberId}#${next.version}`;
      const hasDeltas = Object.keys(deltas).length > 0;
      if (hasDeltas && !(await this.applyIntent(marker, { memberId, version: next.version, deltas }))) {
        // Another writer holds this version's intent: let it finish (or repair a stale one), then retry.
        await this.repairCounterIntents();
        continue;
      }
      try {
        await this.deps.doc.send(
          new PutCommand({
            TableName: this.deps.membersTable,
            Item: next,
            ConditionExpression: current ? '#version = :version' : 'attribute_not_exists(pk)',
            ...(current
              ? {
                  ExpressionAttributeNames: { '#version': 'version' },
                  ExpressionAttributeValues: { ':version': current.version },
                }
              : {}),
          }),
        );
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
        if (hasDeltas) await this.settleIntent(marker, deltas, 'revert');
        continue;
      }
      if (hasDeltas) await this.settleIntent(marker, deltas, 'keep');
      return { item: next, outcome: current ? 'updated' : 'created' };
    }
    throw new ConflictError(`Member ${memberId} is being changed by another request; try again`);
  }

  /** Re-evaluates a member with its own content: eligibility lapses when a subscription's end date passes. */
  async reconcile(item: MemberItem): Promise<MemberItem> {
    const { item: updated } = await this.upsert(item.memberId, {
      email: item.email,
      name: item.name,
      tier: item.tier,
      subscriptionStatus: item.subscriptionStatus as MemberInput['subscriptionStatus'],
      subscriptionEndsAt: item.subscriptionEndsAt ?? null,
      weeklyQuotaOverride: item.weeklyQuotaOverride ?? null,
    });
    return updated;
  }

  /** Whether the counted state of the item is still right now (tiers and end dates move on their own). */
  isCountedCurrent(item: MemberItem): boolean {
    const counted = this.countedStateOf(item);
    return (
      counted.eligible === item.counted.eligible &&
      counted.tier === item.counted.tier &&
      counted.weeklyQuota === item.counted.weeklyQuota
    );
  }

  /**
   * Settles intents left on the global counters item by a writer that died between its counter write and
   * its member write (older than `staleIntentMs`): if the member reached that version the deltas stand,
   * otherwise they are taken back. One GetItem when there is nothing to repair.
   */
  async repairCounterIntents(): Promise<number> {
    const { Item } = await this.deps.doc.send(
      new GetCommand({ TableName: this.deps.controlTable, Key: GLOBAL_COUNTERS_KEY, ConsistentRead: true }),
    );
    if (!Item) return 0;
    const staleBefore = this.deps.now().getTime() - (this.deps.staleIntentMs ?? 5 * 60_000);
    let repaired = 0;
    for (const [attribute, value] of Object.entries(Item)) {
      if (!attribute.startsWith(INTENT_PREFIX)) continue;
      const intent = value as CounterIntent;
      if (Date.parse(intent.at) > staleBefore) continue;
      const member = await this.get(intent.memberId);
      const reached = member !== undefined && member.version >= intent.version;
      await this.settleIntent(
        attribute.slice(INTENT_PREFIX.length),
        intent.deltas,
        reached ? 'keep' : 'revert',
      );
      repaired += 1;
    }
    return repaired;
  }

  /**
   * Members a page at a time, each filter one index Query: a tier (optionally narrowed to eligible or not)
   * reads `byTier`, eligibility alone reads `eligible`, no filter reads the directory (by id).
   */
  async list(options: {
    limit: number;
    cursor?: Record<string, unknown>;
    eligible?: boolean;
    tier?: string;
  }) {
    const { eligible, tier } = options;
    const query =
      tier !== undefined
        ? {
            IndexName: 'byTier',
            KeyConditionExpression:
              eligible === undefined ? 'gsi3pk = :pk' : 'gsi3pk = :pk AND begins_with(gsi3sk, :prefix)',
            ExpressionAttributeValues: {
              ':pk': memberTierIndexKeys(tier, false, '').gsi3pk,
              ...(eligible === undefined ? {} : { ':prefix': eligibilityPrefix(eligible) }),
            },
          }
        : eligible !== undefined
          ? {
              IndexName: 'eligible',
              KeyConditionExpression: 'gsi1pk = :pk',
              ExpressionAttributeValues: { ':pk': eligible ? ELIGIBLE_INDEX_PK : NOT_ELIGIBLE_INDEX_PK },
            }
          : {
              IndexName: 'directory',
              KeyConditionExpression: 'gsi2pk = :pk',
              ExpressionAttributeValues: { ':pk': MEMBER_DIRECTORY_PK },
            };
    const { Items, LastEvaluatedKey } = await this.deps.doc.send(
      new QueryCommand({
        TableName: this.deps.membersTable,
        ...query,
        Limit: options.limit,
        ExclusiveStartKey: options.cursor,
      }),
    );
    return { items: (Items ?? []) as MemberItem[], next: LastEvaluatedKey };
  }

  private countedStateOf(member: {
    memberId: string;
    tier: string;
    subscriptionStatus: string;
    subscriptionEndsAt?: string | null;
    weeklyQuotaOverride?: number | null;
  }): CountedMemberState {
    return {
      eligible: isEligible(member, this.deps.now(), this.deps.tiers),
      tier: member.tier,
      weeklyQuota: weeklyQuota(member, this.deps.tiers),
    };
  }

  private build(memberId: string, input: MemberInput, current: MemberItem | undefined): MemberItem {
    const now = this.deps.now().toISOString();
    const fields = {
      memberId,
      email: input.email,
      name: input.name,
      tier: input.tier,
      subscriptionStatus: input.subscriptionStatus,
      subscriptionEndsAt: input.subscriptionEndsAt ?? null,
      weeklyQuotaOverride: input.weeklyQuotaOverride ?? null,
    };
    const counted = this.countedStateOf(fields);
    return {
      ...memberKey(memberId),
      sk: 'PROFILE',
      ...fields,
      version: (current?.version ?? 0) + 1,
      counted,
      createdAt: current?.createdAt ?? now,
      updatedAt: now,
      gsi1pk: counted.eligible ? ELIGIBLE_INDEX_PK : NOT_ELIGIBLE_INDEX_PK,
      gsi1sk: memberId,
      gsi2pk: MEMBER_DIRECTORY_PK,
      gsi2sk: memberId,
      ...memberTierIndexKeys(input.tier, counted.eligible, memberId),
    };
  }

  /** ADD the deltas and record the intent, once per marker. False when the marker is already in flight. */
  private async applyIntent(marker: string, intent: Omit<CounterIntent, 'at'>): Promise<boolean> {
    const { clauses, names, values } = addClauses(intent.deltas);
    try {
      await this.deps.doc.send(
        new UpdateCommand({
          TableName: this.deps.controlTable,
          Key: GLOBAL_COUNTERS_KEY,
          UpdateExpression: `ADD ${[...clauses, '#inflight :markerSet'].join(', ')} SET #intent = :intent`,
          ConditionExpression: 'attribute_not_exists(#inflight) OR NOT contains(#inflight, :marker)',
          ExpressionAttributeNames: { ...names, '#inflight': 'inflight', '#intent': intentAttribute(marker) },
          ExpressionAttributeValues: {
            ...values,
            ':markerSet': new Set([marker]),
            ':marker': marker,
            ':intent': { ...intent, at: this.deps.now().toISOString() },
          },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  /** Clears an intent, keeping its deltas or taking them back. A no-op when someone settled it already. */
  private async settleIntent(marker: string, deltas: CounterDeltas, how: 'keep' | 'revert'): Promise<void> {
    const negated = Object.fromEntries(Object.entries(deltas).map(([name, delta]) => [name, -delta]));
    const { clauses, names, values } = addClauses(how === 'revert' ? negated : {});
    try {
      await this.deps.doc.send(
        new UpdateCommand({
          TableName: this.deps.controlTable,
          Key: GLOBAL_COUNTERS_KEY,
          UpdateExpression: `${clauses.length ? `ADD ${clauses.join(', ')} ` : ''}DELETE #inflight :markerSet REMOVE #intent`,
          ConditionExpression: 'contains(#inflight, :marker)',
          ExpressionAttributeNames: { ...names, '#inflight': 'inflight', '#intent': intentAttribute(marker) },
          ExpressionAttributeValues: { ...values, ':markerSet': new Set([marker]), ':marker': marker },
        }),
      );
    } catch (error) {
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
}
