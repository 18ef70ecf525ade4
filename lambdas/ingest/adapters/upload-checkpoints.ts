import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { addCountersOnce, type CounterDeltas, releaseCounterMarker } from '../../shared/counters';
import { conditional } from '../../shared/counting-claim';
import {
  GLOBAL_COUNTERS_KEY,
  type GlobalCounters,
  type UploadItem,
  type UploadState,
  uploadKey,
  uploadStateIndexKeys,
} from '../../shared/model';
import { zeroCounters } from '../domain/ingest-upload';
import {
  CheckpointConflictError,
  type CheckpointStore,
  type FileFailure,
  type IngestCheckpoint,
  type IngestCounters,
} from '../domain/ports';
import { LEASE_TOKEN, LEASE_UNTIL } from './upload-record';

/** The global counters one chunk changes, waiting on the upload item until they are added once. */
export interface PendingGlobalCounts {
  marker: string;
  deltas: Partial<Record<keyof GlobalCounters, number>>;
}

/** What the upload item holds beyond the shared model: the checkpoint's own bookkeeping. */
export interface CheckpointFields {
  ingestFinished?: { failure?: FileFailure };
  ingestGlobalPending?: PendingGlobalCounts;
}

export const globalCountMarker = (uploadId: string, rowsDone: number) => `INGEST#${uploadId}#${rowsDone}`;

export const NO_DATA_ROWS = 'The file has a header line but no data rows';

/** Where a finished upload goes: on to verification, or `failed` when not one row could be read. */
export const finalState = (counters: IngestCounters): Extract<UploadState, 'verifying' | 'failed'> =>
  counters.rowsRead === 0 ? 'failed' : 'verifying';

export interface UploadCheckpointOptions {
  /** The upload as read when the lease was taken (a consistent read; nobody else moves the checkpoint). */
  upload: UploadItem & CheckpointFields;
  /** The previous attempt did not stop cleanly: a counter marker may be left to release. */
  dirty: boolean;
  /** Where the result file went, once written: the finished upload names it. */
  resultKey: () => string | undefined;
  now?: () => number;
}

/**
 * The ingest checkpoint, kept on the upload item, so that its counters are the upload's counters.
 *
 * Each save is ONE conditional UpdateItem (`rowsDone = expected`, not finished, still ingesting): it moves
 * the checkpoint, ADDs the chunk's counts to the upload's counters and its accepted leads to
 * `verificationPending` (which the verifier decrements), and parks the chunk's global deltas on the item
 * with their marker. A replayed chunk fails the condition, so it counts once. The global counters item then
 * gets the deltas by the exactly-once protocol of counters.ts: ADD under the marker, clear the parked
 * deltas on the upload, release the marker; a crash in between is finished by the next invocation. The
 * last save also moves the upload out of `ingesting` (to `verifying`, or `failed` when nothing was read)
 * and ends the lease, in the same write.
 */
export class UploadCheckpointStore implements CheckpointStore {
  private counted: IngestCounters;
  private readonly now: () => number;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: { uploads: string; control: string },
    private readonly options: UploadCheckpointOptions,
  ) {
    this.counted = countersOf(options.upload);
    this.now = options.now ?? Date.now;
  }

  async load(uploadId: string): Promise<IngestCheckpoint | undefined> {
    const { upload, dirty } = this.options;
    if (upload.ingestGlobalPending) await this.countGlobally(uploadId, upload.ingestGlobalPending);
    else if (dirty && upload.rowsDone !== undefined) {
      // Counted and cleared, but maybe not released when the last attempt stopped.
      await releaseCounterMarker(
        this.doc,
        this.tables.control,
        GLOBAL_COUNTERS_KEY,
        globalCountMarker(uploadId, upload.rowsDone),
      );
    }
    if (upload.rowsDone === undefined) return undefined;
    return {
      rowsDone: upload.rowsDone,
      chunkSize: upload.chunkSize ?? 1,
      counters: countersOf(upload),
      ...(upload.ingestFinished ? { finished: upload.ingestFinished } : {}),
    };
  }

  async save(uploadId: string, checkpoint: IngestCheckpoint, expectedRowsDone: number | undefined) {
    const deltas = difference(checkpoint.counters, this.counted);
    const globalDeltas = toGlobal(deltas);
    const pending: PendingGlobalCounts | undefined = Object.values(globalDeltas).some((delta) => delta !== 0)
      ? { marker: globalCountMarker(uploadId, checkpoint.rowsDone), deltas: globalDeltas }
      : undefined;

    const set = [
      'rowsDone = :rowsDone',
      'chunkSize = :chunkSize',
      'updatedAt = :now',
      'ingestFailures = :zero',
    ];
    // The chunk's counts (zeros too: an ingested upload shows every counter), and its accepted leads as
    // pending verification, which the verifier ADDs down as they settle.
    const counted = { ...deltas, verificationPending: deltas.accepted };
    const names: Record<string, string> = { '#state': 'state' };
    const values: Record<string, unknown> = {
      ':rowsDone': checkpoint.rowsDone,
      ':chunkSize': checkpoint.chunkSize,
      ':now': new Date(this.now()).toISOString(),
      ':zero': 0,
      ':ingesting': 'ingesting',
      ...Object.fromEntries(Object.entries(counted).map(([name, delta]) => [`:${name}`, delta])),
    };
    const remove: string[] = [];
    if (pending) {
      set.push('ingestGlobalPending = :pending');
      values[':pending'] = pending;
    }
    const add = ` ADD ${Object.keys(counted)
      .map((name) => `${name} :${name}`)
      .join(', ')}`;
    if (checkpoint.finished) {
      const end = this.ending(uploadId, checkpoint);
      set.push('#state = :state', 'gsi1pk = :gsi1pk', 'gsi1sk = :gsi1sk', 'ingestFinished = :finished');
      Object.assign(values, end.values, { ':finished': checkpoint.finished });
      set.push(...end.set);
      remove.push('#leaseToken', '#leaseUntil');
      Object.assign(names, { '#leaseToken': LEASE_TOKEN, '#leaseUntil': LEASE_UNTIL });
    }
    const expected =
      expectedRowsDone === undefined ? 'attribute_not_exists(rowsDone)' : 'rowsDone = :expected';
    if (expectedRowsDone !== undefined) values[':expected'] = expectedRowsDone;

    const saved = await conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tables.uploads,
          Key: uploadKey(uploadId),
          UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}${add}`,
          ConditionExpression: `${expected} AND attribute_not_exists(ingestFinished) AND #state = :ingesting`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      ),
    );
    if (!saved) throw new CheckpointConflictError(uploadId);
    this.counted = checkpoint.counters;
    if (pending) await this.countGlobally(uploadId, pending);
  }

  /** The state a finished upload moves to, and why, in the finishing write. */
  private ending(uploadId: string, checkpoint: IngestCheckpoint) {
    const failure = checkpoint.finished?.failure;
    const state = finalState(checkpoint.counters);
    const reason = failure?.reason ?? (state === 'failed' ? NO_DATA_ROWS : undefined);
    const index = uploadStateIndexKeys(state, this.options.upload.createdAt, uploadId);
    const set: string[] = [];
    const values: Record<string, unknown> = {
      ':state': state,
      ':gsi1pk': index.gsi1pk,
      ':gsi1sk': index.gsi1sk,
    };
    if (reason !== undefined) {
      set.push('failureReason = :reason');
      values[':reason'] = reason;
    }
    if (failure?.row !== undefined) {
      set.push('stoppedAtRow = :stoppedAtRow');
      values[':stoppedAtRow'] = failure.row;
    }
    const resultKey = this.options.resultKey();
    if (resultKey !== undefined) {
      set.push('resultKey = :resultKey');
      values[':resultKey'] = resultKey;
    }
    return { set, values };
  }

  /** Steps 2-4 of the counters protocol for one chunk: add once, clear on the upload, release the marker. */
  private async countGlobally(uploadId: string, pending: PendingGlobalCounts): Promise<void> {
    await addCountersOnce(
      this.doc,
      this.tables.control,
      GLOBAL_COUNTERS_KEY,
      pending.marker,
      pending.deltas as CounterDeltas,
    );
    await conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.tables.uploads,
          Key: uploadKey(uploadId),
          UpdateExpression: 'REMOVE ingestGlobalPending',
          ConditionExpression: 'ingestGlobalPending.marker = :marker',
          ExpressionAttributeValues: { ':marker': pending.marker },
        }),
      ),
    );
    await releaseCounterMarker(this.doc, this.tables.control, GLOBAL_COUNTERS_KEY, pending.marker);
  }
}

const countersOf = (upload: Partial<IngestCounters>): IngestCounters => {
  const counters = zeroCounters();
  for (const name of Object.keys(counters) as (keyof IngestCounters)[]) counters[name] = upload[name] ?? 0;
  return counters;
};

const difference = (after: IngestCounters, before: IngestCounters): IngestCounters => {
  const delta = zeroCounters();
  for (const name of Object.keys(delta) as (keyof IngestCounters)[]) delta[name] = after[name] - before[name];
  return delta;
};

/** Upload counters -> the global counters' names (every accepted lead also waits for verification). */
const toGlobal = (delta: IngestCounters): PendingGlobalCounts['deltas'] => ({
  rowsRead: delta.rowsRead,
  leadsAccepted: delta.accepted,
  leadsPendingVerification: delta.accepted,
  duplicatesInFile: delta.duplicateInFile,
  duplicatesOfEarlier: delta.duplicateOfEarlier,
  rowsRejected: delta.rejected,
});
