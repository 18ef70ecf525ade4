import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from '../../shared/dynamo';
import {
  ASSIGNMENT_SK_PREFIX,
  type AssignmentItem,
  type MemberWeekItem,
  memberKey,
  memberWeekKey,
} from '../../shared/model';

/** A member's tally for one week (what the runs served), or undefined before the first delivery. */
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
