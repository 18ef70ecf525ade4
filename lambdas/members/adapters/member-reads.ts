import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetAll, type DocumentClient } from '../../shared/dynamo';
import {
  ASSIGNMENT_SK_PREFIX,
  type AssignmentItem,
  type LedgerBucketItem,
  type LedgerEntry,
  ledgerBucketKey,
  ledgerBucketOf,
  type MemberWeekItem,
  memberKey,
  memberWeekKey,
} from '../../shared/model';

/** A member's ledger entries of these weeks: one BatchGetItem reading only their part of each bucket. */
export const readLedgerEntries = async (
  doc: DocumentClient,
  tableName: string,
  memberId: string,
  weekKeys: readonly string[],
): Promise<LedgerEntry[]> => {
  const bucket = ledgerBucketOf(memberId);
  const items = await batchGetAll<Pick<LedgerBucketItem, 'weekKey' | 'entries'>>(
    doc,
    tableName,
    [...new Set(weekKeys)].map((week) => ledgerBucketKey(week, bucket)),
    { projection: { expression: 'weekKey, entries.#member', names: { '#member': memberId } } },
  );
  return items.flatMap((item) => (item.entries?.[memberId] ? [item.entries[memberId]] : []));
};

/** A member's tally for one week as runs kept it before the ledger, or undefined. */
export const readMemberWeek = async (
  doc: DocumentClient,
  tableName: string,
  memberId: string,
  week: string,
): Promise<MemberWeekItem | undefined> => {
  const { Item } = await doc.send(
    new GetCommand({ TableName: tableName, Key: memberWeekKey(memberId, week) }),
  );
  return Item as MemberWeekItem | undefined;
};

/** One page of the leads a member received, newest first; `next` is the key to continue from. */
export const memberAssignmentsPage = async (
  doc: DocumentClient,
  tableName: string,
  memberId: string,
  page: { readonly limit: number; readonly cursor?: Record<string, unknown> },
): Promise<{ items: AssignmentItem[]; next?: Record<string, unknown> }> => {
  const result = await doc.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :assigned)',
      ExpressionAttributeValues: { ':pk': memberKey(memberId).pk, ':assigned': ASSIGNMENT_SK_PREFIX },
      ScanIndexForward: false,
      Limit: page.limit,
      ExclusiveStartKey: page.cursor,
    }),
  );
  return { items: (result.Items ?? []) as AssignmentItem[], next: result.LastEvaluatedKey };
};
