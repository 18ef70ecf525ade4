import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalUpdate } from '../../shared/dynamo';
import { handoffCodeKey } from '../../shared/model';
import type { HandoffCodeRecord } from '../domain/handoff-code';

/** Hand-off codes in the control table: only the hash is ever stored. */
export const saveHandoffCode = async (
  doc: DynamoDBDocumentClient,
  tableName: string,
  record: HandoffCodeRecord,
): Promise<void> => {
  await doc.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...handoffCodeKey(record.codeHash), ...record },
      // 256 random bits never collide; the condition still makes sure nothing is ever overwritten.
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
};

export const findHandoffCode = async (
  doc: DynamoDBDocumentClient,
  tableName: string,
  codeHash: string,
): Promise<HandoffCodeRecord | undefined> => {
  const { Item } = await doc.send(
    new GetCommand({ TableName: tableName, Key: handoffCodeKey(codeHash), ConsistentRead: true }),
  );
  if (!Item) return undefined;
  const { pk: _pk, sk: _sk, ...record } = Item;
  return record as HandoffCodeRecord;
};

/**
 * The single-use write's expressions: the code is marked used only while it exists, is unused, unexpired and
 * bound to the redeeming client, so of two concurrent redemptions exactly one wins.
 */
export const consumeHandoffCodeUpdate = ({ clientId, now }: { clientId: string; now: Date }) => ({
  UpdateExpression: 'SET #usedAt = :now',
  ConditionExpression:
    'attribute_exists(#codeHash) AND attribute_not_exists(#usedAt) AND #validUntil > :now AND #clientId = :clientId',
  ExpressionAttributeNames: {
    '#codeHash': 'codeHash',
    '#usedAt': 'usedAt',
    '#validUntil': 'validUntil',
    '#clientId': 'clientId',
  },
  ExpressionAttributeValues: { ':now': now.getTime(), ':clientId': clientId },
  ReturnValues: 'ALL_NEW' as const,
});

/**
 * Marks the code used in one conditional write (unused, unexpired, this client -> used). Returns false
 * when the condition fails: someone redeemed it first, or it expired in between.
 */
export const consumeHandoffCode = async (
  doc: DynamoDBDocumentClient,
  tableName: string,
  codeHash: string,
  use: { clientId: string; now: Date },
): Promise<boolean> =>
  conditionalUpdate(doc, {
    TableName: tableName,
    Key: handoffCodeKey(codeHash),
    ...consumeHandoffCodeUpdate(use),
  });
