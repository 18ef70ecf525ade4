import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { MAX_FAILED_ATTEMPTS } from '../contracts/limits';
import type { Logger } from '../shared/logger';
import type { UploadItem, UploadState } from '../shared/model';
import { queueUploadIfSettled } from '../shared/upload-state';
import { SuppressionListReader } from '../suppression/adapters/suppression-store';
import { sendContinuation } from './adapters/continuation-queue';
import { checkDedupeSetting } from './adapters/dedupe-setting';
import { claimFileHash } from './adapters/file-hashes';
import { DynamoLeadHashStore } from './adapters/lead-hash-store';
import { DynamoLeadStore } from './adapters/lead-store';
import { S3ResultSink } from './adapters/result-sink';
import { type CheckpointFields, finalState, UploadCheckpointStore } from './adapters/upload-checkpoints';
import { hashObject, inspectObject, s3UploadSource, UnusableObjectError } from './adapters/upload-object';
import { type Lease, UploadRecord } from './adapters/upload-record';
import { SqsVerificationQueue } from './adapters/verification-queue';
import { type IngestOutcome, ingestUpload } from './domain/ingest-upload';
import type { LeadHasher } from './domain/lead-hash';
import { CheckpointConflictError, type FileFailure, type IngestCounters } from './domain/ports';
import type { IngestSettings } from './domain/settings';
import type { ContinuationMessage, IngestTrigger } from './events';
import type { IngestMetrics } from './metrics';

export interface IngestClients {
  doc: DynamoDBDocumentClient;
  s3: S3Client;
  sqs: SQSClient;
}

export interface IngestConfig {
  bucket: string;
  tables: { uploads: string; leadHashes: string; control: string };
  verificationQueueUrl: string;
  /** The function's own queue: hand-overs to a fresh invocation, and re-checks of a busy upload. */
  continuationQueueUrl: string;
  maxUploadBytes: number;
  settings: IngestSettings;
}

/** Media types accepted for a lead file (the presigned POST pins text/csv; the check stands on its own). */
export const ACCEPTED_MEDIA_TYPES: ReadonlySet<string> = new Set(['text/csv', 'text/plain']);

/** What one delivery did, for the log line and for tests. */
export type IngestReport =
  | { outcome: 'ignored'; reason: 'unknown-upload' | 'already-ingested' }
  | { outcome: 'deferred'; until: number }
  | { outcome: 'refused'; state: Extract<UploadState, 'failed' | 'duplicate_file'>; reason: string }
  | { outcome: 'handed-over'; rowsDone: number }
  | { outcome: 'superseded' }
  | { outcome: 'finished'; state: UploadState; counters: IngestCounters; failure?: FileFailure };

export interface IngestService {
  run(trigger: IngestTrigger, remainingMs: () => number): Promise<IngestReport>;
}

/** The most SQS lets a message wait. */
const MAX_DELAY_SECONDS = 900;

/**
 * One delivery of an upload to the ingest function (an S3 notification, or a continuation).
 * 1. Take the upload's lease: an unknown upload or one already past ingesting is a replay and changes
 *    nothing (a `verifying` one is offered to the queue again, in case the last attempt stopped right
 *    before); a lease another invocation holds is re-checked when it ends (a message with a timer).
 * 2. Once per container: the dedupe-key setting must be the one the lead hashes were made with, or every
 *    attempt fails (adapters/dedupe-setting.ts) and the upload ends `failed`, resumable once it is fixed.
 *    First time only: check the object as S3 has it (size within the limit and exactly the declared one,
 *    content type), hash its bytes and claim the
 *    hash: a byte-identical re-upload ends as `duplicate_file` and nothing else happens; pin its ETag.
 * 3. Run the ingest use case over the AWS adapters, from the checkpoint.
 * 4. Finished: queue the upload if every lead already settled. Not finished (time is short): hand the
 *    lease over and send the continuation. Another invocation is ahead: stop.
 * 5. An error: end the lease at once and count the failure (the upload is `failed` with the reason after
 *    MAX_FAILED_ATTEMPTS in a row, resumable), then rethrow so Lambda retries and finally parks the event
 *    in the DLQ, from where a redrive resumes it. A file that is gone or was replaced fails for good at
 *    once: no retry can help.
 */
export const createIngestService = (
  clients: IngestClients,
  config: IngestConfig,
  dependencies: {
    hashLead: () => Promise<LeadHasher>;
    logger: Logger;
    metrics?: IngestMetrics;
    now?: () => number;
  },
): IngestService => {
  const { doc, s3, sqs } = clients;
  const { logger } = dependencies;
  const now = dependencies.now ?? Date.now;
  const record = new UploadRecord(doc, config.tables.uploads, now);
  // Checked once per container: the setting cannot change under a running function.
  let dedupeSettingChecked = false;

  const continueLater = async (message: ContinuationMessage, delaySeconds = 0) => {
    await sendContinuation(sqs, config.continuationQueueUrl, message, delaySeconds);
  };

  const refuse = async (upload: UploadItem, reason: string): Promise<IngestReport> => {
    await record.markFailed(upload, reason);
    logger.warn('upload refused', { uploadId: upload.uploadId, reason });
    return { outcome: 'refused', state: 'failed', reason };
  };

  /** Step 2: the object's own facts, then the content-hash claim. Returns the ETag to pin, or a refusal. */
  const admit = async (lease: Lease, upload: UploadItem): Promise<string | IngestReport> => {
    const facts = await inspectObject(s3, config.bucket, upload.objectKey);
    if (facts.size > config.maxUploadBytes) {
      return refuse(
        upload,
        `The file has ${facts.size} bytes; at most ${config.maxUploadBytes} are accepted`,
      );
    }
    if (facts.size !== upload.sizeBytes) {
      return refuse(
        upload,
        `The file has ${facts.size} bytes, but its upload slot was asked for ${upload.sizeBytes}; ` +
          "ask for a new slot with the file's exact size",
      );
    }
    if (!ACCEPTED_MEDIA_TYPES.has(facts.mediaType)) {
      const shown = JSON.stringify((facts.mediaType || 'none').slice(0, 80));
      return refuse(upload, `The file was uploaded as ${shown}; only text/csv files are accepted`);
    }
    const contentSha256 = await hashObject(s3, config.bucket, upload.objectKey, facts.eTag);
    const claim = await claimFileHash(doc, config.tables.uploads, contentSha256, upload.uploadId, now);
    if ('duplicateOf' in claim) {
      const reason = `The same file was already uploaded as ${claim.duplicateOf}`;
      await record.markDuplicateFile(upload, claim.duplicateOf, reason);
      logger.info('byte-identical re-upload refused', {
        uploadId: upload.uploadId,
        duplicateOf: claim.duplicateOf,
      });
      return { outcome: 'refused', state: 'duplicate_file', reason };
    }
    if (!(await record.pinObject(lease, { eTag: facts.eTag, size: facts.size, contentSha256 }))) {
      return { outcome: 'superseded' };
    }
    return facts.eTag;
  };

  const ingest = async (
    lease: Lease,
    upload: UploadItem & CheckpointFields,
    dirty: boolean,
    eTag: string,
    remainingMs: () => number,
  ): Promise<IngestReport> => {
    const { uploadId } = upload;
    const results = new S3ResultSink(s3, config.bucket);
    let outcome: IngestOutcome;
    try {
      outcome = await ingestUpload(
        uploadId,
        {
          source: s3UploadSource(s3, config.bucket, upload.objectKey, eTag),
          leadHashes: new DynamoLeadHashStore(doc, config.tables.leadHashes, now),
          leads: new DynamoLeadStore(doc, config.tables.uploads, { replayFirstWrite: dirty, now }),
          verification: new SqsVerificationQueue(sqs, config.verificationQueueUrl),
          results,
          checkpoints: new UploadCheckpointStore(doc, config.tables, {
            upload,
            dirty,
            resultKey: () => results.resultKey,
            now,
          }),
          hashLead: await dependencies.hashLead(),
          suppression: new SuppressionListReader(doc, config.tables.control),
          remainingTimeMs: remainingMs,
          chunkCommitted: (chunk) => dependencies.metrics?.chunkCommitted(chunk),
        },
        config.settings,
      );
    } catch (error) {
      if (!(error instanceof CheckpointConflictError)) throw error;
      logger.info('another invocation is ahead; stopping', { uploadId });
      await record.release(lease);
      return { outcome: 'superseded' };
    }

    if (!outcome.done) {
      const leaseToken = await record.handOver(lease);
      if (leaseToken === undefined) return { outcome: 'superseded' };
      await continueLater({ continuation: { uploadId, leaseToken } });
      logger.info('handed over to a fresh invocation', { uploadId, rowsDone: outcome.checkpoint.rowsDone });
      return { outcome: 'handed-over', rowsDone: outcome.checkpoint.rowsDone };
    }
    const state = finalState(outcome.counters);
    if (state === 'verifying') {
      await queueUploadIfSettled(doc, config.tables, uploadId, { remainingMs: remainingMs(), now });
    }
    logger.info('upload ingested', {
      uploadId,
      state,
      ...outcome.counters,
      stoppedAtRow: outcome.failure?.row,
    });
    return outcome.failure === undefined
      ? { outcome: 'finished', state, counters: outcome.counters }
      : { outcome: 'finished', state, counters: outcome.counters, failure: outcome.failure };
  };

  return {
    async run({ uploadId, leaseToken }, remainingMs) {
      const taken = await record.acquire(uploadId, remainingMs(), leaseToken);
      if (taken.kind === 'missing') {
        logger.warn('no upload slot for this object; ignored', { uploadId });
        return { outcome: 'ignored', reason: 'unknown-upload' };
      }
      if (taken.kind === 'settled') {
        if (taken.upload.state === 'verifying') {
          await queueUploadIfSettled(doc, config.tables, uploadId, { remainingMs: remainingMs(), now });
        }
        logger.info('already ingested; replay ignored', { uploadId, state: taken.upload.state });
        return { outcome: 'ignored', reason: 'already-ingested' };
      }
      if (taken.kind === 'busy') {
        const delay = Math.min(MAX_DELAY_SECONDS, Math.max(1, Math.ceil((taken.until - now()) / 1000) + 1));
        await continueLater({ continuation: { uploadId } }, delay);
        logger.info('another invocation holds the upload; re-check scheduled', {
          uploadId,
          delaySeconds: delay,
        });
        return { outcome: 'deferred', until: taken.until };
      }

      const { lease, dirty } = taken;
      const upload = taken.upload as UploadItem & CheckpointFields;
      try {
        if (!dedupeSettingChecked) {
          await checkDedupeSetting(doc, config.tables.control, config.settings.foldGmailAliases, now);
          dedupeSettingChecked = true;
        }
        let eTag = upload.objectETag;
        if (upload.contentSha256 === undefined || eTag === undefined) {
          const admitted = await admit(lease, upload);
          if (typeof admitted !== 'string') return admitted;
          eTag = admitted;
        }
        return await ingest(lease, upload, dirty, eTag, remainingMs);
      } catch (error) {
        if (error instanceof UnusableObjectError) return refuse(upload, error.reason);
        const reason = describe(error);
        const failures = await record.recordFailure(lease, reason);
        logger.error('ingest attempt failed', { uploadId, failures, reason });
        if (failures >= MAX_FAILED_ATTEMPTS) {
          const why = `Ingest failed ${failures} times in a row; last error: ${reason}`;
          await record.markFailedResumable(upload, why);
        }
        throw error;
      }
    },
  };
};

/** An error's name and message only (SDK and ingest messages carry no row values), kept short. */
const describe = (error: unknown): string =>
  (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 500);
