import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ASSIGNMENT_SK_PREFIX, type AssignmentItem, memberKey } from '../../shared/model';

/** What one member export may hold, whatever the caller asks. */
export const MAX_ASSIGNMENTS_PER_READ = 500;

export interface NewestAssignmentsOptions {
  /** ISO-8601 UTC (`toISOString()` form): only leads assigned strictly after it. */
  since?: string;
  limit: number;
}

/** Sorts after every character a sort key of ours can hold, so `BETWEEN` can close the `ASSIGN#` range. */
const PREFIX_END = `${ASSIGNMENT_SK_PREFIX}\uffff`;

/**
 * A member's newest assignments first: one Query on the member's partition, descending on
 * `ASSIGN#<assignedAt>#...`, following pages (DynamoDB stops a page at 1 MB) until `limit` items.
 * With `since`, the range starts just after every sort key of that instant (`~` sorts after `#`).
 */
export const newestAssignments = async (
  doc: DynamoDBDocumentClient,
  tableName: string,
  memberId: string,
  { since, limit }: NewestAssignmentsOptions,
): Promise<AssignmentItem[]> => {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_ASSIGNMENTS_PER_READ) {
    throw new RangeError(`limit must be a whole number from 1 to ${MAX_ASSIGNMENTS_PER_READ}`);
  }
  const { pk } = memberKey(memberId);
  const items: AssignmentItem[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression:
          since === undefined
            ? 'pk = :pk AND begins_with(sk, :from)'
            : 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': pk,
          ...(since === undefined
            ? { ':from': ASSIGNMENT_SK_PREFIX }
            : { ':from': `${ASSIGNMENT_SK_PREFIX}${since}~`, ':to': PREFIX_END }),
        },
        ScanIndexForward: false,
        Limit: limit - items.length,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...((page.Items ?? []) as AssignmentItem[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey && items.length < limit);
  return items;
};
