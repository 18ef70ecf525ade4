import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { realSleep, type Sleep } from '../../shared/backoff';
import { mapWithConcurrency } from '../../shared/concurrency';
import {
  batchGetAll,
  batchPutAll,
  type DocumentClient,
  isConditionalCheckFailed,
  queryAll,
} from '../../shared/dynamo';
import {
  type AssignmentItem,
  ELIGIBLE_INDEX_PK,
  type MemberItem,
  type MemberWeekItem,
  memberKey,
  memberWeekKey,
} from '../../shared/model';
import { LostRunError } from '../domain/run';
import type { AssignmentStore } from '../ports';
import { FENCE_CONDITION } from './fence';

/** Fenced writes on one member-week tally go a few at a time. */
const TALLY_WRITE_CONCURRENCY = 8;

/** Eligible members, their week tallies and their assignments, all in the members table. */
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

  async weekTallies(memberIds: readonly string[], weekKey: string): Promise<Map<string, MemberWeekItem>> {
    const items = await batchGetAll<MemberWeekItem>(
      this.doc,
      this.membersTable,
      memberIds.map((memberId) => memberWeekKey(memberId, weekKey)),
      { consistentRead: true, sleep: this.sleep },
    );
    return new Map(items.map((item) => [item.memberId, item]));
  }

  /**
   * Reads this week's tallies of a run's members and raises their fence to the run's lock generation in
   * the same write (an UpdateItem returning the item), so a run that lost the lock can no longer write a
   * tally this run has read. Throws LostRunError when a newer generation already fenced one.
   */
  async fenceWeekTallies(
    memberIds: readonly string[],
    weekKey: string,
    { fence, runId, expiresAt }: { fence: number; runId: string; expiresAt: number },
  ): Promise<Map<string, MemberWeekItem>> {
    const items = await mapWithConcurrency(memberIds, TALLY_WRITE_CONCURRENCY, async (memberId) => {
      try {
        const { Attributes } = await this.doc.send(
          new UpdateCommand({
            TableName: this.membersTable,
            Key: memberWeekKey(memberId, weekKey),
            // A member not served yet this week gets a tally holding only the fence, expiring like the rest.
            UpdateExpression: 'SET fence = :fence, expiresAt = :expires',
            ConditionExpression: FENCE_CONDITION,
            ExpressionAttributeValues: { ':fence': fence, ':expires': expiresAt },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return Attributes as MemberWeekItem;
      } catch (error) {
        if (isConditionalCheckFailed(error)) throw new LostRunError(runId);
        throw error;
      }
    });
    return new Map(
      items
        .map((item, index) => [memberIds[index] as string, item] as const)
        .filter(([, item]) => item.received !== undefined),
    );
  }

  /**
   * A window's week tallies, each a put fenced by the run's lock generation, then its assignment items
   * (25 to a BatchWriteItem). A run that lost the lock is refused at the tallies (LostRunError) and writes
   * no assignment: a member never gets more than the newest run counted.
   */
  async putAssignmentsAndTallies(
    assignments: readonly AssignmentItem[],
    tallies: readonly MemberWeekItem[],
    fence: number,
  ): Promise<void> {
    await mapWithConcurrency(tallies, TALLY_WRITE_CONCURRENCY, async (tally) => {
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.membersTable,
            Item: { ...tally, fence },
            ConditionExpression: FENCE_CONDITION,
            ExpressionAttributeValues: { ':fence': fence },
          }),
        );
      } catch (error) {
        if (isConditionalCheckFailed(error)) throw new LostRunError(tally.runId);
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
