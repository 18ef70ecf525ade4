import { UPLOAD_ID_PATTERN } from '../shared/model';
import * as z from '../shared/zod';

/**
 * The events the ingest function receives: S3 `ObjectCreated` notifications for `uploads/`, and
 * continuation messages from its own SQS queue (a hand-over to a fresh invocation, or a re-check of an
 * upload another invocation held). Each is parsed with zod; only the fields the ingest reads are required.
 */

const s3RecordSchema = z.object({
  eventSource: z.literal('aws:s3'),
  eventName: z.string(),
  s3: z.object({
    bucket: z.object({ name: z.string().check(z.minLength(1)) }),
    object: z.object({
      key: z.string().check(z.minLength(1)),
      size: z.optional(z.number().check(z.int(), z.nonnegative())),
      eTag: z.optional(z.string()),
    }),
  }),
});

const sqsRecordSchema = z.object({
  eventSource: z.literal('aws:sqs'),
  messageId: z.string().check(z.minLength(1)),
  body: z.string(),
});

export const ingestEventSchema = z.union([
  z.object({ Records: z.array(s3RecordSchema).check(z.minLength(1)) }),
  z.object({ Records: z.array(sqsRecordSchema).check(z.minLength(1)) }),
]);

export type S3Record = z.infer<typeof s3RecordSchema>;
export type SqsRecord = z.infer<typeof sqsRecordSchema>;

export const continuationSchema = z.strictObject({
  continuation: z.strictObject({
    uploadId: z.string().check(z.regex(UPLOAD_ID_PATTERN)),
    /** The lease handed over by the previous invocation; absent on a re-check. */
    leaseToken: z.optional(z.uuid()),
  }),
});

export type ContinuationMessage = z.infer<typeof continuationSchema>;

/** One delivery of an upload: its id, and the lease a previous invocation handed over, if any. */
export type IngestTrigger = ContinuationMessage['continuation'];

/**
 * The upload an object key belongs to (`uploads/<upload id>.csv`), or undefined for any other key. S3
 * URL-encodes keys in notifications (a space as `+`).
 */
export const uploadIdOfKey = (encodedKey: string): string | undefined => {
  let key: string;
  try {
    key = decodeURIComponent(encodedKey.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
  const match = /^uploads\/([^/]+)\.csv$/.exec(key);
  const uploadId = match?.[1];
  return uploadId !== undefined && UPLOAD_ID_PATTERN.test(uploadId) ? uploadId : undefined;
};
