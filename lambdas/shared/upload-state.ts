import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { addCountersOnceEach, releaseCounterMarker } from './counters';
import { claimClauses, claimOf, conditional, endClaim, newClaim, takeOverClaim } from './counting-claim';
import type { DocumentClient } from './dynamo';
import { GLOBAL_COUNTERS_KEY, type UploadItem, uploadKey, uploadStateIndexKeys } from './model';

export type QueueUploadOutcome =
  /** This call moved the upload to `queued` (or finished counting a move a crashed caller began). */
  | 'queued'
  /**
   * Ingest has not finished reading the file, or some leads are unsettled (or awaiting a re-check), or
   * another caller moved it at the same moment (and counts it).
   */
  | 'not-ready'
  /** Every lead settled with none deliverable: this call ended it as `completed`, never counted as queued. */
  | 'completed'
  /** Queued before, counting done (or being done by a live caller). */
  | 'already-queued'
  /** Past `verifying` in another way (failed, duplicate file, exhausted) or no such upload. */
  | 'not-applicable';

export interface QueueUploadOptions {
  /** The caller's invocation time left: the counting claim's lease outlives it (counting-claim.ts). */
  remainingMs: number;
  now?: () => number;
}

/** The marker under which the global `queuedUploads` counts this upload. */
export const queuedMarker = (uploadId: string) => `QUEUED#${uploadId}`;

/**
 * Moves an upload from `verifying` to `queued` once every lead has settled: exactly once, and counted once
 * in the global `queuedUploads`.
 *
 * The contract between ingest and verification: an upload is ready when BOTH hold —
 *  - `state = verifying`: ingest has read every row and counted every accepted lead into
 *    `verificationPending` (it moves `ingesting` -> `verifying` with a conditional write);
 *  - `verificationPending = 0`: every lead settled (verification decrements it per settled lead; a lead
 *    awaiting its delayed re-check still counts as pending).
 * Each side first makes its own change, then calls this function. Whichever change lands last, its caller
 * reads both halves true, so an upload whose leads all settle before ingest finishes is queued by ingest,
 * and otherwise by the verification of its last lead. Safe to call at any time, any number of times,
 * concurrently: the move is one conditional write, so exactly one caller wins it.
 *
 * An upload with nothing deliverable (no accepted lead, or every one undeliverable) has nothing to wait for
 * in the queue: it moves to `completed` instead, in one conditional write, and is not counted as queued.
 *
 * Steps: read the upload (consistent) -> if it is `queued`: release a marker a crashed caller may have
 * left, or, if it left its counting claim behind (lease over), take the claim over -> else if ready, move it to `queued` (state, byState index
 * keys, claim) on condition it is still ready -> add `queuedUploads` once (marker) -> end the claim ->
 * release the marker.
 */
export const queueUploadIfSettled = async (
  doc: DocumentClient,
  tables: { uploads: string; control: string },
  uploadId: string,
  options: QueueUploadOptions,
): Promise<QueueUploadOutcome> => {
  const now = options.now ?? Date.now;
  const key = uploadKey(uploadId);
  const { Item } = await doc.send(
    new GetCommand({ TableName: tables.uploads, Key: key, ConsistentRead: true }),
  );
  const upload = Item as UploadItem | undefined;
  if (!upload) return 'not-applicable';

  const claim = newClaim(now(), options.remainingMs);
  const marker = queuedMarker(uploadId);
  if (upload.state === 'queued') {
    const left = claimOf(Item);
    if (!left) {
      // Counted; a caller that crashed before releasing the marker left it behind: release it now.
      await releaseCounterMarker(doc, tables.control, GLOBAL_COUNTERS_KEY, marker);
      return 'already-queued';
    }
    if (left.until >= now()) return 'already-queued';
    if (!(await takeOverClaim(doc, tables.uploads, key, left, claim, now()))) return 'already-queued';
  } else if (upload.state !== 'verifying') {
    return 'not-applicable';
  } else {
    if ((upload.verificationPending ?? 0) !== 0) return 'not-ready';
    if ((upload.deliverable ?? 0) === 0) return completeUpload(doc, tables.uploads, upload, now);
    const claimed = claimClauses(claim);
    const moved = await conditional(
      doc.send(
        new UpdateCommand({
          TableName: tables.uploads,
          Key: key,
          UpdateExpression: `SET #state = :queued, updatedAt = :now, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk, ${claimed.set}`,
          ConditionExpression: `#state = :verifying AND (attribute_not_exists(verificationPending) OR verificationPending = :zero) AND ${claimed.noClaimCondition}`,
          ExpressionAttributeNames: { '#state': 'state', ...claimed.names },
          ExpressionAttributeValues: {
            ':queued': 'queued',
            ':verifying': 'verifying',
            ':zero': 0,
            ':now': new Date(now()).toISOString(),
            ...queuedIndexKeyValues(upload.createdAt, uploadId),
            ...claimed.values,
          },
        }),
      ),
    );
    // Another caller won the move, or a lead was re-counted as pending in between: not ours to queue.
    if (!moved) return 'not-ready';
  }

  await addCountersOnceEach(doc, tables.control, GLOBAL_COUNTERS_KEY, [
    { marker, deltas: { queuedUploads: 1 } },
  ]);
  if (await endClaim(doc, tables.uploads, key, claim)) {
    await releaseCounterMarker(doc, tables.control, GLOBAL_COUNTERS_KEY, marker);
  }
  return 'queued';
};

const completeUpload = async (
  doc: DocumentClient,
  table: string,
  upload: UploadItem,
  now: () => number,
): Promise<QueueUploadOutcome> => {
  const keys = uploadStateIndexKeys('completed', upload.createdAt, upload.uploadId);
  const moved = await conditional(
    doc.send(
      new UpdateCommand({
        TableName: table,
        Key: uploadKey(upload.uploadId),
        UpdateExpression: 'SET #state = :completed, updatedAt = :now, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk',
        ConditionExpression:
          '#state = :verifying AND (attribute_not_exists(verificationPending) OR verificationPending = :zero) ' +
          'AND (attribute_not_exists(deliverable) OR deliverable = :zero)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':completed': 'completed',
          ':verifying': 'verifying',
          ':zero': 0,
          ':now': new Date(now()).toISOString(),
          ':gsi1pk': keys.gsi1pk,
          ':gsi1sk': keys.gsi1sk,
        },
      }),
    ),
  );
  return moved ? 'completed' : 'not-ready';
};

const queuedIndexKeyValues = (createdAt: string, uploadId: string) => {
  const keys = uploadStateIndexKeys('queued', createdAt, uploadId);
  return { ':gsi1pk': keys.gsi1pk, ':gsi1sk': keys.gsi1sk };
};
