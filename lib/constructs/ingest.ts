import { type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { EventType } from 'aws-cdk-lib/aws-s3';
import { LambdaDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { TABLE_ENV } from '../../lambdas/contracts/env';
import { MAX_FAILED_ATTEMPTS } from '../../lambdas/contracts/limits';
import type { AppConfig } from '../config';
import { DeadLetterQueue } from './dead-letter-queue';
import { ProleadsFunction } from './lambda-function';
import { RESULTS_PREFIX, type Storage, UPLOADS_PREFIX } from './storage';

/** Long enough for a large chunk with its retries; the ingest hands over to a fresh invocation well before. */
export const INGEST_FUNCTION_TIMEOUT = Duration.minutes(5);
/** Async invocation: two retries (three attempts, matching MAX_FAILED_ATTEMPTS), then the DLQ. */
export const INGEST_RETRY_ATTEMPTS = MAX_FAILED_ATTEMPTS - 1;
/** Lambda keeps an async event at most this long (its own maximum) before giving up on it. */
export const INGEST_MAX_EVENT_AGE = Duration.hours(6);

/** How often the stale-upload sweeper looks for uploads stuck in `ingesting`. */
export const SWEEP_INTERVAL = Duration.minutes(5);

export interface IngestProps {
  readonly config: AppConfig;
  readonly storage: Storage;
  /** Where accepted leads go, in batches of 100, for the verifier. */
  readonly verificationQueue: IQueue;
}

/**
 * Upload ingest: the function S3 invokes for every CSV created under `uploads/` (presigned POST, or PUT),
 * its continuation queue (a long file goes on in fresh invocations from its checkpoint), and one
 * dead-letter queue for both ways a delivery can fail for good (async invocation retries exhausted or event
 * too old: the on-failure destination; a continuation received MAX_FAILED_ATTEMPTS times: the queue's
 * redrive). Its alarm is the monitoring construct's.
 */
export class Ingest extends Construct {
  readonly function: ProleadsFunction;
  readonly continuationQueue: Queue;
  readonly deadLetterQueue: Queue;
  readonly sweeper: ProleadsFunction;

  constructor(scope: Construct, id: string, props: IngestProps) {
    super(scope, id);
    const { config, storage } = props;

    this.deadLetterQueue = new DeadLetterQueue(this, 'DeadLetterQueue');
    this.continuationQueue = new Queue(this, 'ContinuationQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Lambda's guidance for SQS sources: at least six times the function's timeout.
      visibilityTimeout: Duration.seconds(INGEST_FUNCTION_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_FAILED_ATTEMPTS },
    });

    this.function = new ProleadsFunction(this, 'IngestFn', {
      folder: 'ingest',
      description:
        'Reads an uploaded lead CSV: validates, dedupes, stores and queues the leads for verification',
      timeout: INGEST_FUNCTION_TIMEOUT,
      memorySize: 1024,
      environment: {
        UPLOAD_BUCKET: storage.bucket.bucketName,
        VERIFICATION_QUEUE_URL: props.verificationQueue.queueUrl,
        CONTINUATION_QUEUE_URL: this.continuationQueue.queueUrl,
        MAX_UPLOAD_BYTES: String(config.uploads.maxBytes),
        FOLD_GMAIL_ALIASES: String(config.uploads.foldProviderAliases),
        DEFAULT_PHONE_REGION: config.uploads.defaultPhoneRegion,
        DEDUPE_ON_PHONE: String((config.uploads.dedupeOn as readonly string[]).includes('phone')),
      },
    });
    this.function
      // Upload records, file-hash claims and the leads themselves (batched puts, replayed one by one).
      .bindTable(storage.uploads, TABLE_ENV.uploads, [
        'dynamodb:BatchWriteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
      ])
      // The dedupe: look the hashes up, then claim each new one with a conditional put.
      .bindTable(storage.leadHashes, TABLE_ENV.leadHashes, [
        'dynamodb:BatchGetItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
      ])
      // The dedupe setting and the global counters.
      .bindTable(storage.control, TABLE_ENV.control, [
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
      ])
      .bindSecret(storage.leadHashPepper, 'LEAD_HASH_PEPPER_SECRET_ARN')
      .sendsTo(props.verificationQueue)
      .sendsTo(this.continuationQueue)
      .consumes(this.continuationQueue, { batchSize: 1, reportBatchItemFailures: true })
      .failsTo(this.deadLetterQueue, {
        retryAttempts: INGEST_RETRY_ATTEMPTS,
        maxEventAge: INGEST_MAX_EVENT_AGE,
      });
    this.grantObjects(storage);
    const destination = new LambdaDestination(this.function);
    for (const event of [EventType.OBJECT_CREATED_POST, EventType.OBJECT_CREATED_PUT]) {
      storage.bucket.addEventNotification(event, destination, { prefix: UPLOADS_PREFIX, suffix: '.csv' });
    }
    this.acknowledgeNotificationHandler();
    this.sweeper = this.staleUploadSweeper(props);
  }

  /**
   * The stale-upload sweeper: every SWEEP_INTERVAL it resumes uploads stuck in `ingesting` (lease expired, no
   * progress for `uploads.staleAfterMinutes`) through the continuation queue, and fails them with their last
   * error after `uploads.maxResumeAttempts`. Its alarm is the monitoring construct's.
   */
  private staleUploadSweeper(props: IngestProps): ProleadsFunction {
    const { config, storage } = props;
    const sweeper = new ProleadsFunction(this, 'StaleUploadSweeperFn', {
      folder: 'stale-upload-sweeper',
      description:
        'Resumes uploads stuck in ingesting from their checkpoint, then fails them with the last error',
      timeout: Duration.seconds(60),
      memorySize: 256,
      environment: {
        CONTINUATION_QUEUE_URL: this.continuationQueue.queueUrl,
        UPLOAD_STALE_AFTER_MINUTES: String(config.uploads.staleAfterMinutes),
        UPLOAD_MAX_RESUME_ATTEMPTS: String(config.uploads.maxResumeAttempts),
      },
    });
    sweeper
      .bindTable(storage.uploads, TABLE_ENV.uploads, [
        'dynamodb:GetItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
      ])
      .bindTable(storage.control, TABLE_ENV.control, ['dynamodb:PutItem'])
      .sendsTo(this.continuationQueue);
    new Rule(this, 'SweepEveryInterval', {
      description: 'Runs the stale-upload sweeper',
      schedule: Schedule.rate(SWEEP_INTERVAL),
      // A missed pass is replaced by the next one.
      targets: [new LambdaFunction(sweeper, { retryAttempts: 0 })],
    });
    return sweeper;
  }

  /** Read the uploads; write, read back and assemble the result parts; list only the parts' prefix. */
  private grantObjects(storage: Storage): void {
    const { bucket } = storage;
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [bucket.arnForObjects(`${UPLOADS_PREFIX}*`)],
      }),
    );
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload'],
        resources: [bucket.arnForObjects(`${RESULTS_PREFIX}*`)],
      }),
    );
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${RESULTS_PREFIX}parts/*`] } },
      }),
    );
    const stack = Stack.of(this);
    const bucketId = stack.resolve(stack.getLogicalId(bucket.node.defaultChild as CfnElement));
    if (this.function.role) {
      for (const prefix of [UPLOADS_PREFIX, RESULTS_PREFIX]) {
        Validations.of(this.function.role).acknowledge({
          id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${prefix}*]`,
          reason: `The ingest reads any upload and writes any result file: object keys are per upload, under ${prefix}.`,
        });
      }
    }
  }

  /** CDK's bucket-notification custom resource: a singleton handler whose policies CDK fixes. */
  private acknowledgeNotificationHandler(): void {
    const handler = Stack.of(this).node.tryFindChild(
      'BucketNotificationsHandler050a0587b7544547bf325f094a3db834',
    );
    if (!handler) return;
    Validations.of(handler).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason:
        'CDK-owned custom resource that configures bucket notifications at deploy time; its role is CDK’s.',
    });
  }
}
