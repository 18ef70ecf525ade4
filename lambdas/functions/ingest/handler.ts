import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse } from 'aws-lambda';
import { createLeadHasher } from '../../ingest/domain/lead-hash';
import { isPhoneRegion } from '../../ingest/domain/phone';
import { DEFAULT_INGEST_SETTINGS } from '../../ingest/domain/settings';
import {
  continuationSchema,
  type IngestTrigger,
  ingestEventSchema,
  uploadIdOfKey,
} from '../../ingest/events';
import { createIngestService, type IngestClients, type IngestReport } from '../../ingest/ingest-object';
import { type IngestMetrics, powertoolsIngestMetrics } from '../../ingest/metrics';
import { awsClientConfig } from '../../shared/aws';
import { createDocumentClient } from '../../shared/dynamo';
import { type Env, readEnv, tablesFromEnv } from '../../shared/env';
import { createLogger } from '../../shared/logger';
import { createSecretsClient, onceFromSecret } from '../../shared/secrets';
import * as z from '../../shared/zod';

const IngestEnvSchema = z.object({
  UPLOAD_BUCKET: z.string().check(z.minLength(3)),
  VERIFICATION_QUEUE_URL: z.string().check(z.minLength(1)),
  CONTINUATION_QUEUE_URL: z.string().check(z.minLength(1)),
  LEAD_HASH_PEPPER_SECRET_ARN: z.string().check(z.startsWith('arn:')),
  MAX_UPLOAD_BYTES: z.coerce.number().check(z.int(), z.positive()),
  FOLD_GMAIL_ALIASES: z._default(z.enum(['true', 'false']), 'false'),
  DEFAULT_PHONE_REGION: z
    ._default(z.string(), DEFAULT_INGEST_SETTINGS.phone.defaultRegion)
    .check(z.refine(isPhoneRegion, 'must be a region code libphonenumber-js knows (e.g. GB)')),
  DEDUPE_ON_PHONE: z._default(z.enum(['true', 'false']), 'false'),
  /** Tuning knobs, defaults from the domain settings (tests shrink them to force hand-overs). */
  INGEST_CHUNK_SIZE: z._default(
    z.coerce.number().check(z.int(), z.minimum(1), z.maximum(10_000)),
    DEFAULT_INGEST_SETTINGS.chunkSize,
  ),
  INGEST_MIN_REMAINING_MS: z._default(
    z.coerce.number().check(z.int(), z.minimum(0)),
    DEFAULT_INGEST_SETTINGS.minRemainingMs,
  ),
});

/**
 * The ingest service as the function builds it from its environment. `adjust` lets a test wrap the SDK
 * clients (e.g. to inject a crash) while keeping everything else exactly as deployed; `metrics` swaps the
 * metrics sink.
 */
export const createIngestServiceFromEnv = (
  env: Env,
  adjust: (clients: IngestClients) => IngestClients = (clients) => clients,
  metrics: IngestMetrics = powertoolsIngestMetrics(env),
) => {
  const config = readEnv(IngestEnvSchema, env);
  const tables = tablesFromEnv(env, 'uploads', 'leadHashes', 'control');
  const logger = createLogger(env);
  // The pepper is read once per container; a failed read is retried by the next invocation.
  const hashLead = onceFromSecret(createSecretsClient(env), config.LEAD_HASH_PEPPER_SECRET_ARN, (pepper) =>
    createLeadHasher(pepper ?? ''),
  );
  const service = createIngestService(
    adjust({
      doc: createDocumentClient(env),
      s3: new S3Client(awsClientConfig(env, 'S3')),
      sqs: new SQSClient(awsClientConfig(env, 'SQS')),
    }),
    {
      bucket: config.UPLOAD_BUCKET,
      tables: {
        uploads: tables.uploads,
        leadHashes: tables.leadHashes,
        control: tables.control,
      },
      verificationQueueUrl: config.VERIFICATION_QUEUE_URL,
      continuationQueueUrl: config.CONTINUATION_QUEUE_URL,
      maxUploadBytes: config.MAX_UPLOAD_BYTES,
      settings: {
        ...DEFAULT_INGEST_SETTINGS,
        chunkSize: config.INGEST_CHUNK_SIZE,
        minRemainingMs: config.INGEST_MIN_REMAINING_MS,
        foldGmailAliases: config.FOLD_GMAIL_ALIASES === 'true',
        phone: { defaultRegion: config.DEFAULT_PHONE_REGION, dedupe: config.DEDUPE_ON_PHONE === 'true' },
      },
    },
    { hashLead, logger, metrics },
  );
  return { service, logger };
};

/**
 * The ingest function: S3 `ObjectCreated` on `uploads/` (async invocation: retried twice, then the
 * on-failure destination) and continuation messages from its own queue (SQS event source, one record a
 * batch). Parses the event, then runs one delivery per record; see ingest-object.ts for the steps.
 */
export const createHandler = (env: Env, overrides: { readonly metrics?: IngestMetrics } = {}) => {
  const { service, logger } = createIngestServiceFromEnv(env, undefined, overrides.metrics);

  return async (event: unknown, context: Pick<Context, 'getRemainingTimeInMillis'>) => {
    const parsed = ingestEventSchema.safeParse(event);
    if (!parsed.success) {
      // Not ours to guess at: fail, so the event ends in the DLQ where someone can look at it.
      throw new Error(`Unrecognised ingest event: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    }
    const remainingMs = () => context.getRemainingTimeInMillis();
    const reports: IngestReport[] = [];
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of parsed.data.Records) {
      if (record.eventSource === 'aws:s3') {
        const uploadId = uploadIdOfKey(record.s3.object.key);
        if (uploadId === undefined) {
          logger.warn('object outside the upload slots; ignored', { eventName: record.eventName });
          continue;
        }
        reports.push(await service.run({ uploadId }, remainingMs));
        continue;
      }
      const trigger = continuationOf(record.body);
      if (trigger === undefined) {
        logger.error('malformed continuation message', { messageId: record.messageId });
        batchItemFailures.push({ itemIdentifier: record.messageId });
        continue;
      }
      try {
        reports.push(await service.run(trigger, remainingMs));
      } catch (error) {
        logger.error('continuation failed; SQS will deliver it again', {
          messageId: record.messageId,
          error,
        });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    // SQS reads only the partial-batch answer; an async (S3) invocation's answer is kept for tests and logs.
    const fromQueue = parsed.data.Records.some((record) => record.eventSource === 'aws:sqs');
    return fromQueue ? ({ batchItemFailures } satisfies SQSBatchResponse) : { reports };
  };
};

const continuationOf = (body: string): IngestTrigger | undefined => {
  try {
    const parsed = continuationSchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data.continuation : undefined;
  } catch {
    return undefined;
  }
};
