import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { MAX_MESSAGE_DELAY_SECONDS } from '../../contracts/limits';
import { awsClientConfig } from '../../shared/aws';
import { createDocumentClient } from '../../shared/dynamo';
import { type Env, readEnv, tablesFromEnv } from '../../shared/env';
import { createLogger } from '../../shared/logger';
import { createSecretsClient, readSecretString, type SecretsClient } from '../../shared/secrets';
import * as z from '../../shared/zod';
import { dynamoSettlement } from '../../verification/adapters/settlement-store';
import { createVerifierClient, type VerifierClient } from '../../verification/adapters/verifier-client';
import { policyFromJson } from '../../verification/domain/policy';
import { UnknownLeadsError, UnsettledLeadsError } from '../../verification/domain/settlement';
import { PoisonMessageError, parseVerificationMessage } from '../../verification/message';
import {
  powertoolsVerificationMetrics,
  VerificationBatchCollector,
  type VerificationMetrics,
} from '../../verification/metrics';
import { settleVerificationMessage } from '../../verification/settle';

const VerificationEnvSchema = z.object({
  // Not z.url(): the SDK routes by its endpoint, and fauxqs's URLs (sqs.<region>.127.0.0.1) are no WHATWG URL.
  VERIFICATION_QUEUE_URL: z.string().check(z.minLength(1)),
  VERIFIER_BASE_URL: z.url(),
  VERIFIER_PATH_PREFIX: z._default(z.string(), ''),
  VERIFIER_TIMEOUT_MS: z.coerce.number().check(z.int(), z.positive()),
  /** Optional tuning of the one retry layer (the client's defaults otherwise). */
  VERIFIER_MAX_ATTEMPTS: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(10))),
  VERIFIER_BASE_DELAY_MS: z.optional(z.coerce.number().check(z.int(), z.minimum(0))),
  /** Secrets Manager secret holding the key of a keyed variant (RapidAPI); the hosted service has none. */
  VERIFIER_API_KEY_SECRET_ARN: z.optional(z.string().check(z.minLength(1))),
  /** JSON override of the policy table (policy.ts); absent -> defaults. */
  VERIFICATION_POLICY: z.optional(z.string()),
  MAX_ASSIGNMENTS_PER_LEAD: z.coerce.number().check(z.int(), z.minimum(1), z.maximum(10)),
});

/** What tests may swap. */
export interface VerificationOverrides {
  readonly metrics?: VerificationMetrics;
}

/**
 * The verification consumer of the SQS queue the ingest fills. Each record is one message of up to 100 leads
 * of one upload, settled on its own (`settleVerificationMessage`); a record that fails goes back to the
 * queue alone (ReportBatchItemFailures), the others are deleted. A malformed body fails every time and so
 * ends in the DLQ. Each invocation publishes its figures once at its end (metrics.ts).
 */
export const createHandler = (env: Env, overrides: VerificationOverrides = {}) => {
  const config = readEnv(VerificationEnvSchema, env);
  const tables = tablesFromEnv(env, 'uploads', 'control');
  const policy = policyFromJson(config.VERIFICATION_POLICY);
  if (policy.recheckDelaySeconds > MAX_MESSAGE_DELAY_SECONDS) {
    throw new Error(
      `Invalid environment: VERIFICATION_POLICY.recheckDelaySeconds: at most ${MAX_MESSAGE_DELAY_SECONDS} (the SQS message timer)`,
    );
  }
  const logger = createLogger(env);
  const doc = createDocumentClient(env);
  const sqs = new SQSClient(awsClientConfig(env, 'SQS'));
  const metrics = overrides.metrics ?? powertoolsVerificationMetrics(env);
  const settlement = dynamoSettlement({
    doc,
    sqs,
    tables: { uploads: tables.uploads, control: tables.control },
    queueUrl: config.VERIFICATION_QUEUE_URL,
    policy,
    maxAssignmentsPerLead: config.MAX_ASSIGNMENTS_PER_LEAD,
  });

  const buildVerifier = async (): Promise<VerifierClient> =>
    createVerifierClient({
      baseUrl: config.VERIFIER_BASE_URL,
      pathPrefix: config.VERIFIER_PATH_PREFIX,
      timeoutMs: config.VERIFIER_TIMEOUT_MS,
      maxAttempts: config.VERIFIER_MAX_ATTEMPTS,
      baseDelayMs: config.VERIFIER_BASE_DELAY_MS,
      apiKey: config.VERIFIER_API_KEY_SECRET_ARN
        ? await readVerifierKey(createSecretsClient(env), config.VERIFIER_API_KEY_SECRET_ARN)
        : undefined,
    });
  // Built on first use (the key is fetched once per container); a failed fetch is retried next time.
  let verifier: Promise<VerifierClient> | undefined;
  const getVerifier = () => {
    verifier ??= buildVerifier().catch((error: unknown) => {
      verifier = undefined;
      throw error;
    });
    return verifier;
  };

  const settleRecord = async (record: SQSRecord, context: Context, batch: VerificationBatchCollector) => {
    const log = { messageId: record.messageId, receiveCount: record.attributes.ApproximateReceiveCount };
    try {
      const message = parseVerificationMessage(record.body);
      const report = await settleVerificationMessage(
        { ...settlement, verifier: await getVerifier(), policy },
        message,
        { remainingMs: () => context.getRemainingTimeInMillis(), onAttempt: batch.onAttempt },
      );
      batch.settled(report.byReason);
      logger.info('verification message settled', { ...log, ...report });
    } catch (error) {
      if (error instanceof UnsettledLeadsError) {
        // The leads it did settle are counted, so they are published too (a redelivery skips them).
        batch.settled(error.report.byReason);
        logger.warn('leads left unsettled: SQS delivers the message again, then parks it in the DLQ', {
          ...log,
          unsettled: error.unsettled,
          reason: error.reason,
          ...error.report,
        });
      } else if (error instanceof PoisonMessageError) {
        logger.error('malformed verification message: it will end in the DLQ', {
          ...log,
          problems: error.problems,
        });
      } else if (error instanceof UnknownLeadsError) {
        logger.error('verification message names leads that do not exist: it will end in the DLQ', {
          ...log,
          uploadId: error.uploadId,
          rows: error.rows.slice(0, 10),
        });
      } else {
        logger.error('verification message failed', { ...log, error: errorName(error) });
      }
      throw error;
    }
  };

  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    // A processor and a collector per invocation: they hold the batch's state, and the local runtime runs
    // invocations of one handler side by side (Lambda gives each its own container).
    const batch = new VerificationBatchCollector();
    try {
      return await processPartialResponse(
        event,
        (record: SQSRecord) => settleRecord(record, context, batch),
        new BatchProcessor(EventType.SQS),
        { context },
      );
    } finally {
      metrics.publish(batch.figures);
    }
  };
};

/** What to log of an unexpected error: its name and the start of its message (SDK errors quote no item). */
const errorName = (error: unknown) =>
  error instanceof Error ? { name: error.name, message: error.message.slice(0, 300) } : { name: 'unknown' };

const readVerifierKey = async (client: SecretsClient, secretId: string): Promise<string> => {
  const key = await readSecretString(client, secretId);
  if (!key) throw new Error('The verifier API key secret has no string value');
  return key;
};
