import { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { powertoolsSweepMetrics, type SweepMetrics } from '../../ingest/metrics';
import { type SweepReport, sweepStaleUploads } from '../../ingest/sweep-stale-uploads';
import { awsClientConfig } from '../../shared/aws';
import { createDocumentClient } from '../../shared/dynamo';
import { type Env, readEnv, tablesFromEnv } from '../../shared/env';
import { createLogger } from '../../shared/logger';
import * as z from '../../shared/zod';

const SweeperEnvSchema = z.object({
  CONTINUATION_QUEUE_URL: z.string().check(z.minLength(1)),
  UPLOAD_STALE_AFTER_MINUTES: z.coerce.number().check(z.int(), z.minimum(1), z.maximum(1_440)),
  UPLOAD_MAX_RESUME_ATTEMPTS: z.coerce.number().check(z.int(), z.minimum(0), z.maximum(10)),
});

export interface SweeperOverrides {
  readonly doc?: DynamoDBDocumentClient;
  readonly sqs?: Pick<SQSClient, 'send'>;
  readonly metrics?: SweepMetrics;
  readonly now?: () => number;
}

/**
 * The stale-upload sweeper, run every few minutes by an EventBridge rule (the event carries nothing it
 * needs): resumes uploads stuck in `ingesting` from their checkpoint, gives up on them after the last
 * attempt, and publishes what it found.
 */
export const createHandler = (env: Env, overrides: SweeperOverrides = {}) => {
  const config = readEnv(SweeperEnvSchema, env);
  const tables = tablesFromEnv(env, 'uploads', 'control');
  const logger = createLogger(env);
  const doc = overrides.doc ?? createDocumentClient(env);
  const sqs = overrides.sqs ?? new SQSClient(awsClientConfig(env, 'SQS'));
  const publish = overrides.metrics ?? powertoolsSweepMetrics(env);

  return async (): Promise<SweepReport> => {
    const report = await sweepStaleUploads({
      doc,
      sqs,
      tables,
      continuationQueueUrl: config.CONTINUATION_QUEUE_URL,
      settings: {
        staleAfterMs: config.UPLOAD_STALE_AFTER_MINUTES * 60_000,
        maxResumeAttempts: config.UPLOAD_MAX_RESUME_ATTEMPTS,
      },
      logger,
      ...(overrides.now ? { now: overrides.now } : {}),
    });
    publish(report);
    logger.info('stale uploads swept', {
      checked: report.checked,
      stuck: report.stuck.length,
      resumed: report.resumed.length,
      failed: report.failed.length,
    });
    return report;
  };
};
