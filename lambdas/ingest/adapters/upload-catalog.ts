import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient } from '../../shared/dynamo';
import { type UploadItem, uploadKey, uploadListIndexKeys, uploadStateIndexKeys } from '../../shared/model';

/** What the console reads and writes of the uploads table: new slots, the newest-first list, one upload. */

/** Records a new upload slot; refuses to overwrite an upload with the same id. */
export const putNewUpload = async (
  doc: DocumentClient,
  tableName: string,
  item: UploadItem,
): Promise<void> => {
  await doc.send(
    new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
  );
};

/** One page of uploads, newest first (the byCreation index); `next` is the key to continue from. */
export const uploadsNewestFirst = async (
  doc: DocumentClient,
  tableName: string,
  page: { readonly limit: number; readonly cursor?: Record<string, unknown> },
): Promise<{ items: UploadItem[]; next?: Record<string, unknown> }> => {
  const result = await doc.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'byCreation',
      KeyConditionExpression: 'gsi2pk = :uploads',
      ExpressionAttributeValues: { ':uploads': uploadListIndexKeys('x').gsi2pk },
      ScanIndexForward: false,
      Limit: page.limit,
      ExclusiveStartKey: page.cursor,
    }),
  );
  return { items: (result.Items ?? []) as UploadItem[], next: result.LastEvaluatedKey };
};

/** One upload by id (consistent read), or undefined. */
export const readUpload = async (
  doc: DocumentClient,
  tableName: string,
  uploadId: string,
): Promise<UploadItem | undefined> => {
  const { Item } = await doc.send(
    new GetCommand({ TableName: tableName, Key: uploadKey(uploadId), ConsistentRead: true }),
  );
  return Item as UploadItem | undefined;
};

/**
 * The creation date of the oldest upload still queued, or undefined when none is. The byState index key is
 * `<createdAt>#<uploadId>`, so the date is in the key whatever the index projects.
 */
export const oldestQueuedUploadAt = async (
  doc: DocumentClient,
  tableName: string,
): Promise<string | undefined> => {
  const result = await doc.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'byState',
      KeyConditionExpression: 'gsi1pk = :queued',
      ExpressionAttributeValues: { ':queued': uploadStateIndexKeys('queued', '', '').gsi1pk },
      ProjectionExpression: 'gsi1sk',
      Limit: 1,
    }),
  );
  return (result.Items?.[0]?.gsi1sk as string | undefined)?.split('#')[0];
};
