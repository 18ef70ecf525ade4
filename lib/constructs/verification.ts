import { Duration } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { TABLE_ENV } from '../../lambdas/contracts/env';
import type { AppConfig } from '../config';
import { DeadLetterQueue } from './dead-letter-queue';
import { ProleadsFunction } from './lambda-function';
import type { Storage } from './storage';

/** The verification function's timeout: room for one verifier request with its retries (4 x 8 s + backoff). */
export const VERIFICATION_FUNCTION_TIMEOUT = Duration.seconds(60);
export const VERIFICATION_MAX_RECEIVE_COUNT = 5;
/**
 * Messages per invocation, verified side by side: each is one batch request of up to 100 emails, so at most
 * `maxConcurrency` x 5 requests are in flight toward the verifier (10 by default; the hosted instance takes
 * 25 connections), and each still has the whole invocation for its retries.
 */
export const VERIFICATION_BATCH_SIZE = 5;
/** A short window lets a trickle of messages (re-checks coming off their timers) share an invocation. */
export const VERIFICATION_BATCHING_WINDOW = Duration.seconds(1);

export interface VerificationProps {
  readonly config: AppConfig;
  readonly storage: Storage;
}

/**
 * Email verification: the queue the ingest fills with batches of up to 100 leads, its dead-letter queue
 * (alarmed by the monitoring construct), and the consumer that asks the Rapid Email Verifier and settles
 * each lead.
 */
export class Verification extends Construct {
  readonly queue: Queue;
  /** Messages parked after `maxReceiveCount` failed deliveries: leads waiting for an operator's redrive. */
  readonly deadLetterQueue: Queue;
  readonly function: ProleadsFunction;

  constructor(scope: Construct, id: string, props: VerificationProps) {
    super(scope, id);
    const { config, storage } = props;
    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetterQueue');
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Lambda's guidance: at least six times the consumer's timeout, plus the batching window.
      visibilityTimeout: Duration.seconds(
        VERIFICATION_FUNCTION_TIMEOUT.toSeconds() * 6 + VERIFICATION_BATCHING_WINDOW.toSeconds(),
      ),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: VERIFICATION_MAX_RECEIVE_COUNT },
    });

    this.function = new ProleadsFunction(this, 'VerifyFn', {
      folder: 'verification',
      description: 'Verifies queued leads with the Rapid Email Verifier and settles each one',
      timeout: VERIFICATION_FUNCTION_TIMEOUT,
      environment: {
        VERIFIER_BASE_URL: config.verifier.baseUrl,
        VERIFIER_PATH_PREFIX: config.verifier.pathPrefix,
        VERIFIER_TIMEOUT_MS: String(config.verifier.timeoutMs),
        VERIFICATION_POLICY: JSON.stringify(config.verifier.policy),
        MAX_ASSIGNMENTS_PER_LEAD: String(config.maxAssignmentsPerLead),
        VERIFICATION_QUEUE_URL: this.queue.queueUrl,
      },
    });
    // Exactly what settling needs: read a message's leads, conditional updates of leads, uploads, counters.
    this.function
      .bindTable(storage.uploads, TABLE_ENV.uploads, [
        'dynamodb:BatchGetItem',
        'dynamodb:GetItem',
        'dynamodb:UpdateItem',
      ])
      .bindTable(storage.control, TABLE_ENV.control, ['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    if (config.verifier.apiKeySecretArn) {
      this.function.bindSecret(
        Secret.fromSecretCompleteArn(this, 'VerifierApiKey', config.verifier.apiKeySecretArn),
        'VERIFIER_API_KEY_SECRET_ARN',
      );
    }
    // Re-checks go back to the same queue with a message timer.
    // Re-checks go back on the queue with a timer.
    this.function.sendsTo(this.queue).consumes(this.queue, {
      batchSize: VERIFICATION_BATCH_SIZE,
      maxBatchingWindow: VERIFICATION_BATCHING_WINDOW,
      reportBatchItemFailures: true,
      maxConcurrency: config.verifier.maxConcurrency,
    });
  }
}
