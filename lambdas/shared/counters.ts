import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type DocumentClient, isConditionalCheckFailed } from './dynamo';

/** A counters item as stored (every counter a number), or an empty one before the first count. */
export const readCounters = async (
  doc: DocumentClient,
  tableName: string,
  key: { readonly pk: string; readonly sk: string },
): Promise<Readonly<Record<string, unknown>>> => {
  const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: key }));
  return Item ?? {};
};

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
  doc: DocumentClient,
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
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
};

/** Step 4 of the protocol, for one marker or several (one write). */
export const releaseCounterMarker = async (
  doc: DocumentClient,
  tableName: string,
  key: Record<string, string>,
  marker: string | readonly string[],
): Promise<void> => {
  const markers = typeof marker === 'string' ? [marker] : marker;
  // DynamoDB refuses an empty set: nothing to release is no write at all.
  if (markers.length === 0) return;
  await doc.send(
    new UpdateCommand({
      TableName: tableName,
      Key: key,
      UpdateExpression: 'DELETE #inflight :marker',
      ExpressionAttributeNames: { '#inflight': 'inflight' },
      ExpressionAttributeValues: { ':marker': new Set(markers) },
    }),
  );
};

/** Plain atomic ADD, for counters whose exactly-once guard is the caller's own conditional write. */
export const addCounters = async (
  doc: DocumentClient,
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

export interface MarkedDeltas {
  readonly marker: string;
  readonly deltas: CounterDeltas;
}

/** Markers per write: keeps the condition expression well under DynamoDB's 4 KB limit. */
const MARKERS_PER_WRITE = 50;

/**
 * Step 2 of the protocol for many owners at once (for example the leads of one verification message): the
 * sum of the deltas of every marker not yet in `inflight`, and those markers, in one conditional write per
 * 50 markers instead of one write per owner. The condition refuses the write if any of its markers is
 * already there; then the item is read, the markers found are dropped (their deltas were added before),
 * and the rest is tried again. Returns the markers whose deltas this call added.
 */
export const addCountersOnceEach = async (
  doc: DocumentClient,
  tableName: string,
  key: Record<string, string>,
  entries: readonly MarkedDeltas[],
  maxAttempts = 4,
): Promise<string[]> => {
  const added: string[] = [];
  for (let start = 0; start < entries.length; start += MARKERS_PER_WRITE) {
    let pending = entries.slice(start, start + MARKERS_PER_WRITE);
    for (let attempt = 1; pending.length > 0; attempt++) {
      try {
        await addMarkedDeltas(doc, tableName, key, pending);
        added.push(...pending.map((entry) => entry.marker));
        break;
      } catch (error) {
        if (!isConditionalCheckFailed(error) || attempt >= maxAttempts) throw error;
      }
      const inflight = await readInflight(doc, tableName, key);
      pending = pending.filter((entry) => !inflight.has(entry.marker));
    }
  }
  return added;
};

const addMarkedDeltas = async (
  doc: DocumentClient,
  tableName: string,
  key: Record<string, string>,
  entries: readonly MarkedDeltas[],
): Promise<void> => {
  const sums: Record<string, number> = {};
  for (const { deltas } of entries) {
    for (const [name, delta] of Object.entries(deltas)) sums[name] = (sums[name] ?? 0) + delta;
  }
  const { clauses, names, values } = addClauses(sums);
  const markerValues = Object.fromEntries(entries.map((entry, index) => [`:m${index}`, entry.marker]));
  const noneThere = Object.keys(markerValues)
    .map((name) => `NOT contains(#inflight, ${name})`)
    .join(' AND ');
  await doc.send(
    new UpdateCommand({
      TableName: tableName,
      Key: key,
      UpdateExpression: `ADD ${[...clauses, '#inflight :markers'].join(', ')}`,
      ConditionExpression: `attribute_not_exists(#inflight) OR (${noneThere})`,
      ExpressionAttributeNames: { ...names, '#inflight': 'inflight' },
      ExpressionAttributeValues: {
        ...values,
        ...markerValues,
        ':markers': new Set(entries.map((entry) => entry.marker)),
      },
    }),
  );
};

const readInflight = async (
  doc: DocumentClient,
  tableName: string,
  key: Record<string, string>,
): Promise<ReadonlySet<string>> => {
  const { Item } = await doc.send(
    new GetCommand({
      TableName: tableName,
      Key: key,
      ConsistentRead: true,
      ProjectionExpression: '#inflight',
      ExpressionAttributeNames: { '#inflight': 'inflight' },
    }),
  );
  return (Item?.inflight as Set<string> | undefined) ?? new Set();
};
