import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { realSleep, type Sleep } from '../../shared/backoff';
import { mapWithConcurrency } from '../../shared/concurrency';
import {
  batchGetAll,
  batchPutAll,
  chunksOf,
  type DocumentClient,
  isConditionalCheckFailed,
  queryAll,
} from '../../shared/dynamo';
import {
  type AssignmentItem,
  ELIGIBLE_INDEX_PK,
  type LedgerBucketItem,
  type LedgerEntry,
  ledgerBucketKey,
  ledgerBucketOf,
  type MemberItem,
  type MemberWeekItem,
  memberKey,
  memberWeekKey,
} from '../../shared/model';
import { LostRunError } from '../domain/run';
import type { AssignmentStore } from '../ports';
import { FENCE_CONDITION } from './fence';

/** Fenced ledger bucket reads and writes go a few at a time. */
const LEDGER_WRITE_CONCURRENCY = 8;
/** Entries set by one UpdateItem: its expression stays well under DynamoDB's 4 KB. */
const ENTRIES_PER_UPDATE = 100;

/** Eligible members, their ledger and their assignments, all in the members table. */
export class DynamoAssignmentStore implements AssignmentStore {
  constructor(
    private readonly doc: DocumentClient,
    private readonly membersTable: string,
    private readonly sleep: Sleep = realSleep,
  ) {}

  /** Every member the sparse `eligible` index holds. */
  async eligibleMembers(): Promise<MemberItem[]> {
    return queryAll<MemberItem>(this.doc, {
      TableName: this.membersTable,
      IndexName: 'eligible',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': ELIGIBLE_INDEX_PK },
    });
  }

  /**
   * Tallies as runs wrote them before the ledger, one item per member and week: a member's first ledger
   * week starts from what they had received that week.
   */
  async legacyWeekTallies(
    memberIds: readonly string[],
    weekKey: string,
  ): Promise<Map<string, MemberWeekItem>> {
    const items = await batchGetAll<MemberWeekItem>(
      this.doc,
      this.membersTable,
      memberIds.map((memberId) => memberWeekKey(memberId, weekKey)),
      { consistentRead: true, sleep: this.sleep },
    );
    return new Map(items.filter((item) => item.received !== undefined).map((item) => [item.memberId, item]));
  }

  /** These members' ledger entries of these weeks (week -> member -> entry): one read per bucket and week. */
  async ledgerWeeks(
    memberIds: readonly string[],
    weekKeys: readonly string[],
  ): Promise<Map<string, Map<string, LedgerEntry>>> {
    const buckets = [...new Set(memberIds.map(ledgerBucketOf))];
    const items = await batchGetAll<LedgerBucketItem>(
      this.doc,
      this.membersTable,
      [...new Set(weekKeys)].flatMap((week) => buckets.map((bucket) => ledgerBucketKey(week, bucket))),
      { consistentRead: true, sleep: this.sleep },
    );
    const wanted = new Set(memberIds);
    const weeks = new Map<string, Map<string, LedgerEntry>>(weekKeys.map((week) => [week, new Map()]));
    for (const item of items)
      for (const [memberId, entry] of Object.entries(item.entries ?? {}))
        if (wanted.has(memberId)) weeks.get(item.weekKey)?.set(memberId, entry);
    return weeks;
  }

  /**
   * Reads a run's members' ledger entries of this week and raises their buckets' fence to the run's lock
   * generation in the same write (an UpdateItem returning the bucket), so a run that lost the lock can no
   * longer write an entry this run has read. Throws LostRunError when a newer generation fenced a bucket.
   */
  async fenceLedgerWeek(
    memberIds: readonly string[],
    weekKey: string,
    { fence, runId, expiresAt }: { fence: number; runId: string; expiresAt: number },
  ): Promise<Map<string, LedgerEntry>> {
    const buckets = [...new Set(memberIds.map(ledgerBucketOf))];
    const items = await mapWithConcurrency(buckets, LEDGER_WRITE_CONCURRENCY, async (bucket) => {
      try {
        const { Attributes } = await this.doc.send(
          new UpdateCommand({
            TableName: this.membersTable,
            Key: ledgerBucketKey(weekKey, bucket),
            UpdateExpression:
              'SET fence = :fence, expiresAt = :expires, weekKey = :week, entries = if_not_exists(entries, :none)',
            ConditionExpression: FENCE_CONDITION,
            ExpressionAttributeValues: {
              ':fence': fence,
              ':expires': expiresAt,
              ':week': weekKey,
              ':none': {},
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return Attributes as LedgerBucketItem;
      } catch (error) {
        if (isConditionalCheckFailed(error)) throw new LostRunError(runId);
        throw error;
      }
    });
    const wanted = new Set(memberIds);
    return new Map(
      items.flatMap((item) =>
        Object.entries(item.entries ?? {}).filter(([memberId]) => wanted.has(memberId)),
      ),
    );
  }

  /**
   * A window's ledger entries, one update per bucket fenced by the run's lock generation, then its
   * assignment items (25 to a BatchWriteItem). A run that lost the lock is refused at the ledger
   * (LostRunError) and writes no assignment: a member never gets more than the newest run counted.
   */
  async putAssignmentsAndLedger(
    assignments: readonly AssignmentItem[],
    entries: readonly LedgerEntry[],
    { fence, runId }: { fence: number; runId: string },
  ): Promise<void> {
    const byBucket = new Map<string, LedgerEntry[]>();
    for (const entry of entries) {
      const key = `${entry.weekKey}\t${ledgerBucketOf(entry.memberId)}`;
      byBucket.set(key, [...(byBucket.get(key) ?? []), entry]);
    }
    const writes = [...byBucket.values()].flatMap((bucket) => chunksOf(bucket, ENTRIES_PER_UPDATE));
    await mapWithConcurrency(writes, LEDGER_WRITE_CONCURRENCY, async (chunk) => {
      const first = chunk[0] as LedgerEntry;
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = { ':fence': fence };
      const clauses = chunk.map((entry, index) => {
        names[`#m${index}`] = entry.memberId;
        values[`:e${index}`] = entry;
        return `entries.#m${index} = :e${index}`;
      });
      try {
        await this.doc.send(
          new UpdateCommand({
            TableName: this.membersTable,
            Key: ledgerBucketKey(first.weekKey, ledgerBucketOf(first.memberId)),
            UpdateExpression: `SET fence = :fence, ${clauses.join(', ')}`,
            ConditionExpression: `attribute_exists(entries) AND (${FENCE_CONDITION})`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
      } catch (error) {
        if (isConditionalCheckFailed(error)) throw new LostRunError(runId);
        throw error;
      }
    });
    await batchPutAll(this.doc, this.membersTable, assignments, { sleep: this.sleep });
  }

  /**
   * Takes what a run delivered for a member's replacements off what they are owed: one write, once per run
   * (the member keeps the run and what was owed before it, so a resumed run plans as the first attempt did).
   * It bumps the version, so a concurrent profile write re-reads the member.
   */
  async settleReplacements(memberId: string, runId: string, owedBefore: number, delivered: number) {
    if (delivered <= 0) return;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.membersTable,
          Key: memberKey(memberId),
          UpdateExpression:
            'ADD replacementsOwed :delivered, version :one SET replacementsSettled = :settled',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(replacementsSettled) OR replacementsSettled.runId <> :run)',
          ExpressionAttributeValues: {
            ':delivered': -delivered,
            ':one': 1,
            ':settled': { runId, owedBefore },
            ':run': runId,
          },
        }),
      );
    } catch (error) {
      // Settled by an earlier attempt of this run.
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
}
