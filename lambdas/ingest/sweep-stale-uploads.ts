import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Logger } from '../shared/logger';
import type { IngestSweepItem } from '../shared/model';
import { sendContinuation } from './adapters/continuation-queue';
import { saveSweepRecord } from './adapters/sweep-record';
import { UploadRecord } from './adapters/upload-record';
import { judgeIngestingUpload, type StaleUploadSettings } from './domain/stale-upload';
import type { ContinuationMessage } from './events';

export interface SweepDependencies {
  readonly doc: DynamoDBDocumentClient;
  readonly sqs: Pick<SQSClient, 'send'>;
  readonly tables: { readonly uploads: string; readonly control: string };
  /** The ingest's own continuation queue: a resume is a continuation without a hand-over token. */
  readonly continuationQueueUrl: string;
  readonly settings: StaleUploadSettings;
  readonly logger: Logger;
  readonly now?: () => number;
}

export interface SweepReport {
  readonly checked: number;
  /** Stuck uploads found, whatever was done about them. */
  readonly stuck: readonly string[];
  readonly resumed: readonly string[];
  readonly failed: readonly string[];
}

/** Ids kept on the sweep record: enough to act on, bounded whatever happens. */
const LISTED_IDS = 20;

/**
 * One pass of the stale-upload sweeper. Steps: Query the uploads in `ingesting` (byState index) -> judge
 * each (domain/stale-upload.ts) -> a stuck one is either taken for one more resume (a conditional write
 * that counts the attempt, then a continuation message: the ingest takes the expired lease, sees the last
 * chunk may be half done, and goes on from its checkpoint) or failed with its last error -> record what
 * was found on the control table for the overview and the health report. A write that loses its condition
 * means the upload moved meanwhile: it is left alone.
 */
export const sweepStaleUploads = async (deps: SweepDependencies): Promise<SweepReport> => {
  const now = deps.now ?? Date.now;
  const record = new UploadRecord(deps.doc, deps.tables.uploads, now);
  const ingesting = await record.listIngesting();
  const stuck: string[] = [];
  const resumed: string[] = [];
  const failed: string[] = [];
  for (const upload of ingesting) {
    const verdict = judgeIngestingUpload(upload, now(), deps.settings);
    if (verdict.kind === 'live') continue;
    stuck.push(upload.uploadId);
    if (verdict.kind === 'resume') {
      if (!(await record.markSweptForResume(upload))) continue;
      const message: ContinuationMessage = { continuation: { uploadId: upload.uploadId } };
      await sendContinuation(deps.sqs, deps.continuationQueueUrl, message);
      resumed.push(upload.uploadId);
      deps.logger.warn('stale upload resumed from its checkpoint', {
        uploadId: upload.uploadId,
        attempt: verdict.attempt,
        rowsRead: upload.rowsRead ?? 0,
      });
    } else if (await record.giveUpStale(upload, verdict.reason)) {
      failed.push(upload.uploadId);
      deps.logger.error('stale upload given up', { uploadId: upload.uploadId, reason: verdict.reason });
    }
  }
  const item: IngestSweepItem = {
    checkedAt: new Date(now()).toISOString(),
    stuckUploads: stuck.length - failed.length,
    stuckUploadIds: stuck.filter((id) => !failed.includes(id)).slice(0, LISTED_IDS),
  };
  await saveSweepRecord(deps.doc, deps.tables.control, item);
  return { checked: ingesting.length, stuck, resumed, failed };
};
