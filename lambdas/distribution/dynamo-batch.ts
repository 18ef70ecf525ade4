import { BatchGetCommand, BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentClient, Sleep } from './ports';

/** DynamoDB's own limits: 25 writes per BatchWriteItem, 100 keys per BatchGetItem. */
export const BATCH_WRITE_LIMIT = 25;
export const BATCH_GET_LIMIT = 100;
const MAX_BATCH_ROUNDS = 8;

const backoffMs = (round: number) => Math.min(1_000, 25 * 2 ** round) * (0.5 + Math.random() / 2);

type Key = Record<string, unknown>;

/**
 * Puts every item, 25 to a request, re-sending what DynamoDB leaves unprocessed (with backoff and jitter).
 * Puts of the same item are idempotent, so a retried batch is harmless.
 */
export const batchPutAll = async (
  doc: DocumentClient,
  tableName: string,
  items: readonly Record<string, unknown>[],
  sleep: Sleep,
): Promise<void> => {
  for (let start = 0; start < items.length; start += BATCH_WRITE_LIMIT) {
    let requests = items.slice(start, start + BATCH_WRITE_LIMIT).map((Item) => ({ PutRequest: { Item } }));
    for (let round = 0; requests.length > 0; round += 1) {
      if (round >= MAX_BATCH_ROUNDS)
        throw new Error(`BatchWriteItem left ${requests.length} items unprocessed on ${tableName}`);
      if (round > 0) await sleep(backoffMs(round));
      const { UnprocessedItems } = await doc.send(
        new BatchWriteCommand({ RequestItems: { [tableName]: requests } }),
      );
      requests = (UnprocessedItems?.[tableName] ?? []) as typeof requests;
    }
  }
};

/** Gets every key, 100 to a request, re-asking for unprocessed keys. Missing items are simply absent. */
export const batchGetAll = async <T>(
  doc: DocumentClient,
  tableName: string,
  keys: readonly Key[],
  sleep: Sleep,
): Promise<T[]> => {
  const found: T[] = [];
  for (let start = 0; start < keys.length; start += BATCH_GET_LIMIT) {
    let pending: Key[] = keys.slice(start, start + BATCH_GET_LIMIT);
    for (let round = 0; pending.length > 0; round += 1) {
      if (round >= MAX_BATCH_ROUNDS)
        throw new Error(`BatchGetItem left ${pending.length} keys unprocessed on ${tableName}`);
      if (round > 0) await sleep(backoffMs(round));
      const { Responses, UnprocessedKeys } = await doc.send(
        new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
      );
      found.push(...((Responses?.[tableName] ?? []) as T[]));
      pending = (UnprocessedKeys?.[tableName]?.Keys ?? []) as Key[];
    }
  }
  return found;
};
