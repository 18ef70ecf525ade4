import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** The verification function's timeout; the queue's visibility timeout is six times it (Lambda SQS guidance). */
export const VERIFICATION_FUNCTION_TIMEOUT = Duration.seconds(60);
export const VERIFICATION_MAX_RECEIVE_COUNT = 5;

/**
 * Email verification: the queue the ingest fills with batches of up to 100 leads, its dead-letter queue,
 * and the consumer that asks the Rapid Email Verifier.
 */
export class Verification extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(VERIFICATION_FUNCTION_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: VERIFICATION_MAX_RECEIVE_COUNT },
    });
  }
}
