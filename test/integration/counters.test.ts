import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { documentClient, localName } from '../../fixtures/clients';
import { addCounters, addCountersOnce, releaseCounterMarker } from '../../lambdas/shared/counters';
import { useLocalStack } from '../support/local-stack';

describe('counters on DynamoDB (dynalite)', () => {
  const stack = useLocalStack();

  it('adds a marker’s deltas once, however often the step is retried', async () => {
    const doc = documentClient(stack.current);
    const table = localName(stack.current, 'StorageControlTable');
    const key = { pk: 'COUNTERS', sk: 'TEST-ONCE' };

    expect(await addCountersOnce(doc, table, key, 'upload-1#chunk-0', { accepted: 7, rejected: 1 })).toBe(
      true,
    );
    expect(await addCountersOnce(doc, table, key, 'upload-1#chunk-0', { accepted: 7, rejected: 1 })).toBe(
      false,
    );
    expect(await addCountersOnce(doc, table, key, 'upload-1#chunk-1', { accepted: 3, rejected: 0 })).toBe(
      true,
    );
    await releaseCounterMarker(doc, table, key, 'upload-1#chunk-0');
    await releaseCounterMarker(doc, table, key, 'upload-1#chunk-1');

    const { Item } = await doc.send(new GetCommand({ TableName: table, Key: key }));
    expect(Item).toMatchObject({ accepted: 10, rejected: 1 });
    expect(Item?.inflight).toBeUndefined();
  });

  it('adds concurrently without losing an update', async () => {
    const doc = documentClient(stack.current);
    const table = localName(stack.current, 'StorageControlTable');
    const key = { pk: 'COUNTERS', sk: 'TEST-CONCURRENT' };
    await Promise.all(
      Array.from({ length: 40 }, () => addCounters(doc, table, key, { hits: 1, misses: -1 })),
    );
    const { Item } = await doc.send(new GetCommand({ TableName: table, Key: key }));
    expect(Item).toMatchObject({ hits: 40, misses: -40 });
  });
});
