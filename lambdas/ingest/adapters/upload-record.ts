import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditional } from '../../shared/counting-claim';
import { isConditionalCheckFailed, queryAll } from '../../shared/dynamo';
import { type UploadItem, type UploadState, uploadKey, uploadStateIndexKeys } from '../../shared/model';

/**
 * The ingest's writes to the upload item outside the checkpoint: its lease, and the states it can end in
 * without reading the file (failed, duplicate_file).
 *
 * The lease keeps two deliveries of the same upload (S3 and async Lambda both deliver at least once; a
 * presigned POST can be replayed) from working at once, so queue messages are not sent twice in parallel.
 * It lasts the holder's remaining invocation time plus a margin, so a holder that died outright (out of
 * memory) is taken over once it cannot be running any more. A clean stop removes it; a handover to the
 * next invocation replaces it with a token the continuation message carries; a failure keeps the token but
 * ends the lease at once, so the retry can start and knows the last chunk may be half done ("dirty").
 */

export const LEASE_TOKEN = 'ingestLeaseToken';
export const LEASE_UNTIL = 'ingestLeaseUntil';
/** Covers a request already on the wire when the holder's time ran out, and clock skew. */
export const LEASE_MARGIN_MS = 30_000;
/** How long a handed-over lease waits for its continuation before anyone may take it. */
export const HANDOVER_MS = 15 * 60_000;

export interface Lease {
  readonly uploadId: string;
  readonly token: string;
}

export type LeaseResult =
  | {
      kind: 'acquired';
      lease: Lease;
      upload: UploadItem;
      /** The previous holder stopped without a clean stop: its last chunk may be half done. */
      dirty: boolean;
    }
  /** No such upload (an object we did not hand a slot for). */
  | { kind: 'missing' }
  /** Past ingesting (verifying, queued, failed, duplicate): a replay. */
  | { kind: 'settled'; upload: UploadItem }
  /** Another invocation holds it until `until` (epoch ms). */
  | { kind: 'busy'; until: number };

interface LeaseFields {
  ingestLeaseToken?: string;
  ingestLeaseUntil?: number;
  /** Failed by errors, not by its file: a redriven delivery resumes it from its checkpoint. */
  ingestResumable?: boolean;
  /** The last error an attempt recorded. */
  lastError?: string;
  /** How many times the stale-upload sweeper resumed it. */
  sweepResumes?: number;
}

const LEASE_EXPIRED = '(attribute_not_exists(#until) OR #until < :clock)';

const INGESTIBLE: readonly UploadState[] = ['awaiting_upload', 'ingesting'];

/** Can a delivery (a first one, a retry, a redrive from the DLQ) work on this upload? */
const ingestible = (upload: UploadItem & LeaseFields) =>
  INGESTIBLE.includes(upload.state) || (upload.state === 'failed' && upload.ingestResumable === true);

const stateSetters = (
  state: UploadState,
  upload: Pick<UploadItem, 'createdAt' | 'uploadId'>,
  now: number,
) => {
  const index = uploadStateIndexKeys(state, upload.createdAt, upload.uploadId);
  return {
    set: '#state = :state, updatedAt = :now, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk',
    names: { '#state': 'state' },
    values: {
      ':state': state,
      ':now': new Date(now).toISOString(),
      ':gsi1pk': index.gsi1pk,
      ':gsi1sk': index.gsi1sk,
    },
  };
};

export class UploadRecord {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly now: () => number = Date.now,
  ) {}

  async read(uploadId: string): Promise<(UploadItem & LeaseFields) | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: uploadKey(uploadId), ConsistentRead: true }),
    );
    return Item as (UploadItem & LeaseFields) | undefined;
  }

  /**
   * Takes the upload for this invocation and moves it to `ingesting`. Steps: read it -> missing, settled or
   * leased by a live holder (other than the handover we carry) ends here -> conditional write of the lease
   * (state unchanged since the read, lease still free) -> a lost race reads again. An upload that failed by
   * errors is resumed (a redrive after the cause was fixed), its failure count starting again.
   */
  async acquire(uploadId: string, remainingMs: number, handoverToken?: string): Promise<LeaseResult> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const upload = await this.read(uploadId);
      if (!upload) return { kind: 'missing' };
      if (!ingestible(upload)) return { kind: 'settled', upload };
      const now = this.now();
      const heldBy = upload.ingestLeaseToken;
      const until = upload.ingestLeaseUntil ?? 0;
      if (heldBy !== undefined && until >= now && heldBy !== handoverToken) return { kind: 'busy', until };

      const token = randomUUID();
      const state = stateSetters('ingesting', upload, now);
      const handover = handoverToken === undefined ? '' : ' OR #token = :handover';
      const resuming = upload.state === 'failed';
      const acquired = await conditional(
        this.doc.send(
          new UpdateCommand({
            TableName: this.table,
            Key: uploadKey(uploadId),
            UpdateExpression: `SET ${state.set}, #token = :token, #until = :until${resuming ? ', ingestFailures = :zero' : ''} REMOVE expiresAt, ingestResumable, failureReason`,
            ConditionExpression: `#state = :was AND (attribute_not_exists(#token) OR #until < :clock${handover})`,
            ExpressionAttributeNames: { ...state.names, '#token': LEASE_TOKEN, '#until': LEASE_UNTIL },
            ExpressionAttributeValues: {
              ...state.values,
              ':token': token,
              ':until': now + remainingMs + LEASE_MARGIN_MS,
              ':clock': now,
              ':was': upload.state,
              ...(resuming ? { ':zero': 0 } : {}),
              ...(handoverToken === undefined ? {} : { ':handover': handoverToken }),
            },
          }),
        ),
      );
      if (acquired) {
        return {
          kind: 'acquired',
          lease: { uploadId, token },
          upload: { ...upload, state: 'ingesting' },
          dirty: heldBy !== undefined && heldBy !== handoverToken,
        };
      }
    }
    // Three lost races in a row: someone else is actively taking it.
    return { kind: 'busy', until: this.now() + LEASE_MARGIN_MS };
  }

  /** Replaces our lease by a handover token for the continuation; undefined if the lease is no longer ours. */
  async handOver(lease: Lease): Promise<string | undefined> {
    const next = randomUUID();
    const moved = await this.ifLeaseHeld(lease, 'SET #token = :next, #until = :until', {
      ':next': next,
      ':until': this.now() + HANDOVER_MS,
    });
    return moved ? next : undefined;
  }

  /** A clean stop without finishing (another invocation is ahead). */
  async release(lease: Lease): Promise<void> {
    await this.ifLeaseHeld(lease, 'REMOVE #token, #until', {});
  }

  /** Records the object as first seen, so every later read can insist on the same bytes. */
  async pinObject(
    lease: Lease,
    object: { eTag: string; size: number; contentSha256: string },
  ): Promise<boolean> {
    return this.ifLeaseHeld(lease, 'SET objectETag = :eTag, objectSize = :size, contentSha256 = :sha', {
      ':eTag': object.eTag,
      ':size': object.size,
      ':sha': object.contentSha256,
    });
  }

  /**
   * An attempt failed: end the lease now (keeping the token, so the retry knows it is resuming) and count
   * the failure. Returns how many attempts in a row have failed without progress.
   */
  async recordFailure(lease: Lease, reason: string): Promise<number> {
    try {
      const { Attributes } = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: uploadKey(lease.uploadId),
          UpdateExpression:
            'SET #until = :zero, lastError = :reason, updatedAt = :now ADD ingestFailures :one',
          ConditionExpression: '#token = :mine',
          ExpressionAttributeNames: { '#token': LEASE_TOKEN, '#until': LEASE_UNTIL },
          ExpressionAttributeValues: {
            ':zero': 0,
            ':one': 1,
            ':reason': reason,
            ':now': new Date(this.now()).toISOString(),
            ':mine': lease.token,
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(Attributes?.ingestFailures ?? 1);
    } catch (error) {
      // The lease is no longer ours: whoever took it over owns the failure count now.
      if (isConditionalCheckFailed(error)) return 0;
      throw error;
    }
  }

  /** Ends the upload as failed by its file (or its object), with the reason an admin reads. Final. */
  async markFailed(upload: UploadItem, reason: string): Promise<boolean> {
    return this.end(upload, 'failed', 'failureReason = :reason', { ':reason': reason });
  }

  /**
   * Marks an upload whose attempts kept failing as `failed`, with the last error, but resumable: the lease
   * token stays (the next attempt knows the last chunk may be half done) and a redriven delivery takes
   * the upload back to `ingesting` from its checkpoint.
   */
  async markFailedResumable(upload: UploadItem, reason: string): Promise<boolean> {
    const setters = stateSetters('failed', upload, this.now());
    return conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: uploadKey(upload.uploadId),
          UpdateExpression: `SET ${setters.set}, failureReason = :reason, ingestResumable = :yes`,
          ConditionExpression: '#state = :ingesting',
          ExpressionAttributeNames: setters.names,
          ExpressionAttributeValues: {
            ...setters.values,
            ':reason': reason,
            ':yes': true,
            ':ingesting': 'ingesting',
          },
        }),
      ),
    );
  }

  /** Every upload in `ingesting` (the byState index: a Query, never a Scan). */
  async listIngesting(): Promise<(UploadItem & LeaseFields)[]> {
    return queryAll<UploadItem & LeaseFields>(this.doc, {
      TableName: this.table,
      IndexName: 'byState',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': uploadStateIndexKeys('ingesting', '', '').gsi1pk },
    });
  }

  /**
   * Ends at once every lease of an upload in `ingesting` (keeping its token, so the next holder knows the
   * last chunk may be half done). Only for a host that knows none of its invocations survived: the local
   * runtime after a restart, which then replays the deliveries it had not finished.
   */
  async endLeasesOfDeadInvocations(): Promise<number> {
    let ended = 0;
    for (const upload of await this.listIngesting()) {
      if (upload.ingestLeaseToken === undefined || (upload.ingestLeaseUntil ?? 0) < this.now()) continue;
      const done = await conditional(
        this.doc.send(
          new UpdateCommand({
            TableName: this.table,
            Key: uploadKey(upload.uploadId),
            UpdateExpression: 'SET #until = :zero',
            ConditionExpression: '#token = :token',
            ExpressionAttributeNames: { '#token': LEASE_TOKEN, '#until': LEASE_UNTIL },
            ExpressionAttributeValues: { ':zero': 0, ':token': upload.ingestLeaseToken },
          }),
        ),
      );
      if (done) ended += 1;
    }
    return ended;
  }

  /**
   * The sweeper takes a stuck upload for one more resume: counts the attempt and moves `updatedAt`, on
   * condition that nothing moved since it looked (same `updatedAt`, lease still expired). False: someone did.
   */
  async markSweptForResume(upload: UploadItem): Promise<boolean> {
    const now = this.now();
    return conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: uploadKey(upload.uploadId),
          UpdateExpression: 'SET updatedAt = :now ADD sweepResumes :one',
          ConditionExpression: `#state = :ingesting AND updatedAt = :seen AND ${LEASE_EXPIRED}`,
          ExpressionAttributeNames: { '#state': 'state', '#until': LEASE_UNTIL },
          ExpressionAttributeValues: {
            ':now': new Date(now).toISOString(),
            ':one': 1,
            ':ingesting': 'ingesting',
            ':seen': upload.updatedAt,
            ':clock': now,
          },
        }),
      ),
    );
  }

  /**
   * The sweeper gives up on a stuck upload: `failed` with the reason, resumable (a redrive still resumes it
   * from its checkpoint), on the same condition as a resume.
   */
  async giveUpStale(upload: UploadItem, reason: string): Promise<boolean> {
    const now = this.now();
    const setters = stateSetters('failed', upload, now);
    return conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: uploadKey(upload.uploadId),
          UpdateExpression: `SET ${setters.set}, failureReason = :reason, ingestResumable = :yes`,
          ConditionExpression: `#state = :ingesting AND updatedAt = :seen AND ${LEASE_EXPIRED}`,
          ExpressionAttributeNames: { ...setters.names, '#until': LEASE_UNTIL },
          ExpressionAttributeValues: {
            ...setters.values,
            ':reason': reason,
            ':yes': true,
            ':ingesting': 'ingesting',
            ':seen': upload.updatedAt,
            ':clock': now,
          },
        }),
      ),
    );
  }

  /** Ends the upload as a byte-identical copy of `duplicateOf`: nothing of it is ingested. */
  async markDuplicateFile(upload: UploadItem, duplicateOf: string, reason: string): Promise<boolean> {
    return this.end(upload, 'duplicate_file', 'duplicateOf = :duplicateOf, failureReason = :reason', {
      ':duplicateOf': duplicateOf,
      ':reason': reason,
    });
  }

  private async end(
    upload: UploadItem,
    state: UploadState,
    set: string,
    values: Record<string, unknown>,
  ): Promise<boolean> {
    const setters = stateSetters(state, upload, this.now());
    return conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: uploadKey(upload.uploadId),
          UpdateExpression: `SET ${setters.set}, ${set} REMOVE #token, #until, expiresAt`,
          ConditionExpression: '#state IN (:awaiting, :ingesting)',
          ExpressionAttributeNames: { ...setters.names, '#token': LEASE_TOKEN, '#until': LEASE_UNTIL },
          ExpressionAttributeValues: {
            ...setters.values,
            ...values,
            ':awaiting': 'awaiting_upload',
            ':ingesting': 'ingesting',
          },
        }),
      ),
    );
  }

  private ifLeaseHeld(lease: Lease, update: string, values: Record<string, unknown>): Promise<boolean> {
    return conditional(
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: uploadKey(lease.uploadId),
          UpdateExpression: update,
          ConditionExpression: '#token = :mine',
          // DynamoDB refuses a name the expressions do not use.
          ExpressionAttributeNames: {
            '#token': LEASE_TOKEN,
            ...(update.includes('#until') ? { '#until': LEASE_UNTIL } : {}),
          },
          ExpressionAttributeValues: { ...values, ':mine': lease.token },
        }),
      ),
    );
  }
}
