import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';

export type CounterDeltas = Readonly<Record<string, number>>;

/**
 * `ADD` clauses for counters, to merge into an UpdateItem that also changes the state they count
 * (one item, one write: the counter cannot drift from the state).
 */
export const addClauses = (deltas: CounterDeltas, prefix = 'c') => {
  const entries = Object.entries(deltas).filter(([, delta]) => delta !== 0);
  return {
    clauses: entries.map((_, index) => `#${prefix}${index} :${prefix}${index}`),
    names: Object.fromEntries(entries.map(([name], index) => [`#${prefix}${index}`, name])),
    values: Object.fromEntries(entries.map(([, delta], index) => [`:${prefix}${index}`, delta])),
  };
};

/**
 * Adds deltas to a counters item (for example the global counters) at most once per marker, without a
 * multi-item transaction. The protocol, for an owner whose own item records its progress:
 *  1. the owner changes its state with a conditional write (e.g. "chunk 7 done", "lead settled");
 *  2. `addCountersOnce(marker)`: ADD the deltas and put the marker in the item's `inflight` set, on
 *     condition that the marker is not there yet — a retry of this step is a no-op;
 *  3. the owner records "marker applied" on its own item;
 *  4. `releaseCounterMarker(marker)` removes it from `inflight`.
 * A retry resumes at the first step the owner's state says is not done. Returns false when the marker
 * was already in flight (the deltas had been added before).
 */
export const addCountersOnce = async (
  doc: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
  key: Record<string, string>,
  marker: string,
  deltas: CounterDeltas,
): Promise<boolean> => {
  const { clauses, names, values } = addClauses(deltas);
  try {
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: key,
        UpdateExpression: `ADD ${[...clauses, '#inflight :marker'].join(', ')}`,
        ConditionExpression: 'attribute_not_exists(#inflight) OR NOT contains(#inflight, :markerValue)',
        ExpressionAttributeNames: { ...names, '#inflight': 'inflight' },
        ExpressionAttributeValues: { ...values, ':marker': new Set([marker]), ':markerValue': marker },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
};

export const releaseCounterMarker = async (
  doc: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
  key: Record<string, string>,
  marker: string,
): Promise<void> => {
  await doc.send(
    new UpdateCommand({
      TableName: tableName,
      Key: key,
      UpdateExpression: 'DELETE #inflight :marker',
      ExpressionAttributeNames: { '#inflight': 'inflight' },
      ExpressionAttributeValues: { ':marker': new Set([marker]) },
    }),
  );
};

/** Plain atomic ADD, for counters whose exactly-once guard is the caller's own conditional write. */
export const addCounters = async (
  doc: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
  key: Record<string, string>,
  deltas: CounterDeltas,
): Promise<void> => {
  const { clauses, names, values } = addClauses(deltas);
  if (clauses.length === 0) return;
  await doc.send(
    new UpdateCommand({
      TableName: tableName,
      Key: key,
      UpdateExpression: `ADD ${clauses.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    }),
  );
};
