import { realSleep, type Sleep } from '../../shared/backoff';
import { batchGetAll, batchPutAll, type DocumentClient, queryAll } from '../../shared/dynamo';
import {
  type AssignmentItem,
  ELIGIBLE_INDEX_PK,
  type MemberItem,
  type MemberWeekItem,
  memberWeekKey,
} from '../../shared/model';
import type { AssignmentStore } from '../ports';

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

  /** Assignment items and week tallies of a window, 25 to a BatchWriteItem (same table). */
  async putAssignmentsAndTallies(
    assignments: readonly AssignmentItem[],
    tallies: readonly MemberWeekItem[],
  ): Promise<void> {
    await batchPutAll(this.doc, this.membersTable, [...assignments, ...tallies], { sleep: this.sleep });
  }
}
