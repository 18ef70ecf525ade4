import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { addCountersOnceEach, type CounterDeltas, releaseCounterMarker } from '../../shared/counters';
import {
  claimClauses,
  claimOf,
  conditional,
  endClaim,
  newClaim,
  takeOverClaim,
} from '../../shared/counting-claim';
import type { DocumentClient } from '../../shared/dynamo';
import { ConflictError, NotFoundError } from '../../shared/errors';
import {
  GLOBAL_COUNTERS_KEY,
  LEAD_SK_PREFIX,
  type LeadItem,
  type UploadItem,
  type UploadState,
  uploadKey,
  uploadStateIndexKeys,
} from '../../shared/model';

/**
 * An admin's hold on an upload after ingest: pause and resume a queued upload, withdraw one from the supply.
 *
 * Each is one conditional state change on the upload item (which also moves it in the byState index, keeping
 * its createdAt, so a resumed upload is walked in its original place) and the counters that follow it, added
 * once under a marker with the counting-claim protocol (counting-claim.ts): the transition's marker and deltas
 * are stored with the claim on the upload, so whoever finds a claim whose lease ran out finishes the very same
 * counting. Repeating a request that already took effect answers with the upload as it is.
 */

export interface UploadControlTables {
  readonly uploads: string;
  readonly leadHashes: string;
  readonly control: string;
}

export interface UploadControlOptions {
  /** Deliverable leads each give this many slots to the global `leadsAvailable`. */
  readonly maxAssignmentsPerLead: number;
  /** How long the caller may still run: the counting claim's lease outlives it. */
  readonly remainingMs: number;
  readonly now?: () => number;
}

/** Attributes the upload keeps of the transition being counted. */
const MARKER = 'controlMarker';
const DELTAS = 'controlDeltas';

interface Transition {
  readonly from: readonly UploadState[];
  readonly to: UploadState;
  /** What the counters lose or gain when the upload leaves `from` for `to`. */
  readonly deltas: (upload: UploadItem) => CounterDeltas;
  /** Says which states the move is for, in the 409 of any other. */
  readonly refusal: string;
}

/** Deliverable slots of an upload not handed out yet: what leaves the supply when it is withdrawn. */
export const undistributedSlots = (upload: UploadItem, maxAssignmentsPerLead: number): number =>
  Math.max(0, (upload.deliverable ?? 0) * maxAssignmentsPerLead - (upload.assigned ?? 0));

const PAUSE: Transition = {
  from: ['queued'],
  to: 'paused',
  deltas: () => ({ queuedUploads: -1 }),
  refusal: 'only a queued upload can be paused',
};

const RESUME: Transition = {
  from: ['paused'],
  to: 'queued',
  deltas: () => ({ queuedUploads: 1 }),
  refusal: 'only a paused upload can be resumed',
};

const withdrawal = (maxAssignmentsPerLead: number): Transition => ({
  from: ['queued', 'paused'],
  to: 'withdrawn',
  deltas: (upload) => ({
    queuedUploads: upload.state === 'queued' ? -1 : 0,
    leadsAvailable: -undistributedSlots(upload, maxAssignmentsPerLead),
  }),
  refusal:
    'only a queued or paused upload can be withdrawn (an upload still verifying can be released first)',
});

export const pauseUpload = (
  doc: DocumentClient,
  tables: UploadControlTables,
  uploadId: string,
  options: UploadControlOptions,
) => moveUpload(doc, tables, uploadId, PAUSE, options);

export const resumeUpload = (
  doc: DocumentClient,
  tables: UploadControlTables,
  uploadId: string,
  options: UploadControlOptions,
) => moveUpload(doc, tables, uploadId, RESUME, options);

/**
 * Takes an upload out of the supply: it leaves the queue for good (the walk reads queued uploads only), its
 * undistributed slots leave `leadsAvailable`, and what was delivered stays delivered. The lead hashes stay, so
 * the same people are still duplicates, unless `releaseHashes`: then the hashes of its leads nobody received
 * are deleted (only while this upload owns them), and the same people can be uploaded again.
 */
export const withdrawUpload = async (
  doc: DocumentClient,
  tables: UploadControlTables,
  uploadId: string,
  options: UploadControlOptions & { readonly releaseHashes: boolean },
): Promise<UploadItem> => {
  const upload = await moveUpload(doc, tables, uploadId, withdrawal(options.maxAssignmentsPerLead), options);
  if (!options.releaseHashes || upload.hashesReleasedAt) return upload;
  await releaseLeadHashes(doc, tables, uploadId);
  const releasedAt = new Date((options.now ?? Date.now)()).toISOString();
  const { Attributes } = await doc.send(
    new UpdateCommand({
      TableName: tables.uploads,
      Key: uploadKey(uploadId),
      UpdateExpression: 'SET hashesReleasedAt = :at',
      ReturnValues: 'ALL_NEW',
      ExpressionAttributeValues: { ':at': releasedAt },
    }),
  );
  return Attributes as UploadItem;
};

/** Deletes the hash of each undelivered lead of the upload, on condition that this upload's row owns it. */
const releaseLeadHashes = async (doc: DocumentClient, tables: UploadControlTables, uploadId: string) => {
  let cursor: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: tables.uploads,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :leads)',
        FilterExpression: 'attribute_not_exists(assignedCount) OR assignedCount = :zero',
        ProjectionExpression: 'emailHash, #row',
        ExpressionAttributeNames: { '#row': 'row' },
        ExpressionAttributeValues: { ':pk': uploadKey(uploadId).pk, ':leads': LEAD_SK_PREFIX, ':zero': 0 },
        ExclusiveStartKey: cursor,
        ConsistentRead: true,
      }),
    );
    for (const lead of (page.Items ?? []) as Pick<LeadItem, 'emailHash' | 'row'>[]) {
      await conditional(
        doc.send(
          new DeleteCommand({
            TableName: tables.leadHashes,
            Key: { hash: lead.emailHash },
            ConditionExpression: 'uploadId = :uploadId AND #row = :row',
            ExpressionAttributeNames: { '#row': 'row' },
            ExpressionAttributeValues: { ':uploadId': uploadId, ':row': lead.row },
          }),
        ),
      );
    }
    cursor = page.LastEvaluatedKey;
  } while (cursor);
};

/**
 * Steps: read the upload -> already in the target state: finish a counting a crashed caller left (lease
 * over) or release its leftover marker -> in a state it may leave: move it (state, byState keys with its
 * createdAt, claim, marker and deltas) on condition the state and the absence of a claim still hold -> add
 * the deltas once (marker) -> end the claim -> release the marker.
 */
const moveUpload = async (
  doc: DocumentClient,
  tables: UploadControlTables,
  uploadId: string,
  transition: Transition,
  options: UploadControlOptions,
): Promise<UploadItem> => {
  const now = options.now ?? Date.now;
  const key = uploadKey(uploadId);
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const upload = await read(doc, tables.uploads, uploadId);
    const claim = newClaim(now(), options.remainingMs);
    if (upload.state === transition.to) {
      const left = claimOf(upload as unknown as Record<string, unknown>);
      const marker = upload.controlMarker;
      if (!left) {
        if (marker) await releaseCounterMarker(doc, tables.control, GLOBAL_COUNTERS_KEY, marker);
        return upload;
      }
      if (left.until >= now()) return upload;
      if (!(await takeOverClaim(doc, tables.uploads, key, left, claim, now()))) return upload;
      await count(doc, tables, upload, claim, marker, upload.controlDeltas);
      return read(doc, tables.uploads, uploadId);
    }
    if (!transition.from.includes(upload.state)) {
      throw new ConflictError(`Upload ${uploadId} is ${upload.state}: ${transition.refusal}`, {
        state: upload.state,
      });
    }
    const marker = `${transition.to.toUpperCase()}#${uploadId}#${randomUUID()}`;
    const deltas = transition.deltas(upload);
    const claimed = claimClauses(claim);
    const indexKeys = uploadStateIndexKeys(transition.to, upload.createdAt, uploadId);
    const moved = await conditional(
      doc.send(
        new UpdateCommand({
          TableName: tables.uploads,
          Key: key,
          UpdateExpression: `SET #state = :to, updatedAt = :now, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk, #marker = :marker, #deltas = :deltas, ${claimed.set}`,
          ConditionExpression: `#state = :from AND ${claimed.noClaimCondition}`,
          ExpressionAttributeNames: {
            '#state': 'state',
            '#marker': MARKER,
            '#deltas': DELTAS,
            ...claimed.names,
          },
          ExpressionAttributeValues: {
            ':to': transition.to,
            ':from': upload.state,
            ':now': new Date(now()).toISOString(),
            ':gsi1pk': indexKeys.gsi1pk,
            ':gsi1sk': indexKeys.gsi1sk,
            ':marker': marker,
            ':deltas': deltas,
            ...claimed.values,
          },
        }),
      ),
    );
    // Another change landed between the read and the write (a run exhausted it, another admin moved it).
    if (!moved) continue;
    await count(doc, tables, upload, claim, marker, deltas);
    return read(doc, tables.uploads, uploadId);
  }
  throw new ConflictError(`Upload ${uploadId} is being changed by another request; try again`);
};

const count = async (
  doc: DocumentClient,
  tables: UploadControlTables,
  upload: UploadItem,
  claim: ReturnType<typeof newClaim>,
  marker: string | undefined,
  deltas: CounterDeltas | undefined,
) => {
  if (!marker || !deltas) return;
  await addCountersOnceEach(doc, tables.control, GLOBAL_COUNTERS_KEY, [{ marker, deltas }]);
  if (await endClaim(doc, tables.uploads, uploadKey(upload.uploadId), claim)) {
    await releaseCounterMarker(doc, tables.control, GLOBAL_COUNTERS_KEY, marker);
  }
};

const read = async (doc: DocumentClient, table: string, uploadId: string): Promise<UploadItem> => {
  const { Item } = await doc.send(
    new GetCommand({ TableName: table, Key: uploadKey(uploadId), ConsistentRead: true }),
  );
  if (!Item) throw new NotFoundError(`No upload ${uploadId}`);
  return Item as UploadItem;
};
