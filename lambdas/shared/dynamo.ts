import {
  type ConditionalCheckFailedException,
  DescribeTableCommand,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  QueryCommand,
  UpdateCommand,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { awsClientConfig } from './aws';
import { BATCH_RETRY_ATTEMPTS, batchBackoff, realSleep, type Sleep } from './backoff';
import { mapWithConcurrency } from './concurrency';
import type { Env } from './env';

/** The one DynamoDB operation the app needs: `send`. Tests and the benchmarks pass stand-ins. */
export type DocumentClient = Pick<DynamoDBDocumentClient, 'send'>;

type Key = Record<string, unknown>;

/** A document client for a function's environment: plain JS values in, sets for string sets. */
export const createDocumentClient = (
  env: Env,
  client: DynamoDBClient = new DynamoDBClient(awsClientConfig(env, 'DYNAMODB')),
): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });

/** The control-plane operation the health report needs: DescribeTable through a plain client. */
export type TableClient = Pick<DynamoDBClient, 'send'>;

/** A table's status as DynamoDB reports it (ACTIVE, UPDATING, ...); throws when the table does not answer. */
export const tableStatus = async (dynamodb: TableClient, tableName: string): Promise<string | undefined> => {
  const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
  return Table?.TableStatus;
};

/**
 * A refused conditional write. Told by name, which the SDK's exception class sets and every stand-in of
 * DynamoDB (emulator or in-memory fake) reproduces; `Item` carries the item when the write asked for it.
 */
export const isConditionalCheckFailed = (error: unknown): error is ConditionalCheckFailedException =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

/** An UpdateItem with a condition: true when written, false when the condition refused it. */
export const conditionalUpdate = async (doc: DocumentClient, input: UpdateCommandInput): Promise<boolean> => {
  try {
    await doc.send(new UpdateCommand(input));
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
};

/** Every item of a Query, page after page: for partitions known to stay small (schedules, a week's runs). */
export const queryAll = async <T>(
  doc: DocumentClient,
  input: ConstructorParameters<typeof QueryCommand>[0],
): Promise<T[]> => {
  const items: T[] = [];
  let cursor: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey: cursor }));
    items.push(...((page.Items ?? []) as T[]));
    cursor = page.LastEvaluatedKey;
  } while (cursor);
  return items;
};

/** DynamoDB's own limits: 25 writes per BatchWriteItem, 100 keys per BatchGetItem. */
export const BATCH_WRITE_LIMIT = 25;
export const BATCH_GET_LIMIT = 100;

export interface BatchOptions {
  /** Requests in flight at once (default 1). */
  readonly concurrency?: number;
  readonly sleep?: Sleep;
}

export const chunksOf = <T>(items: readonly T[], size: number): T[][] => {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
};

/**
 * Puts every item, 25 to a request, re-sending what DynamoDB leaves unprocessed (with backoff and jitter)
 * until BATCH_RETRY_ATTEMPTS rounds have passed. Puts of the same item are idempotent, so a retried batch is
 * harmless.
 */
export const batchPutAll = async (
  doc: DocumentClient,
  tableName: string,
  items: readonly object[],
  { concurrency = 1, sleep = realSleep }: BatchOptions = {},
): Promise<void> => {
  await mapWithConcurrency(chunksOf(items, BATCH_WRITE_LIMIT), concurrency, async (chunk) => {
    let requests = chunk.map((Item) => ({ PutRequest: { Item: Item as Record<string, unknown> } }));
    for (let round = 0; requests.length > 0; round += 1) {
      if (round >= BATCH_RETRY_ATTEMPTS)
        throw new Error(
          `BatchWriteItem left ${requests.length} items unprocessed on ${tableName} (throttled)`,
        );
      if (round > 0) await batchBackoff(round, sleep);
      const { UnprocessedItems } = await doc.send(
        new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
      );
      requests = (UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
  });
};

export interface BatchGetOptions extends BatchOptions {
  readonly consistentRead?: boolean;
  readonly projection?: { readonly expression: string; readonly names?: Record<string, string> };
}

/** Gets every key, 100 to a request, re-asking for unprocessed keys. Missing items are simply absent. */
export const batchGetAll = async <T>(
  doc: DocumentClient,
  tableName: string,
  keys: readonly Key[],
  { concurrency = 1, sleep = realSleep, consistentRead = false, projection }: BatchGetOptions = {},
): Promise<T[]> => {
  const pages = await mapWithConcurrency(chunksOf(keys, BATCH_GET_LIMIT), concurrency, async (chunk) => {
    const found: T[] = [];
    let pending: Key[] = chunk;
    for (let round = 0; pending.length > 0; round += 1) {
      if (round >= BATCH_RETRY_ATTEMPTS)
        throw new Error(`BatchGetItem left ${pending.length} keys unprocessed on ${tableName} (throttled)`);
      if (round > 0) await batchBackoff(round, sleep);
      const { Responses, UnprocessedKeys } = await doc.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: {
              Keys: pending,
              ...(consistentRead ? { ConsistentRead: true } : {}),
              ...(projection
                ? { ProjectionExpression: projection.expression, ExpressionAttributeNames: projection.names }
                : {}),
            },
          },
        }),
      );
      found.push(...((Responses?.[tableName] ?? []) as T[]));
      pending = (UnprocessedKeys?.[tableName]?.Keys ?? []) as Key[];
    }
    return found;
  });
  return pages.flat();
};
