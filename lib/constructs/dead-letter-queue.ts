import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface DeadLetterQueueProps {
  /**
   * Whose failures it holds, when no queue's redrive names it (a rule's target, Scheduler, a function's
   * async invocations): cdk-nag then asks why this queue has no dead-letter queue of its own, and this is
   * the answer. Leave it out for a queue's redrive target, which cdk-nag recognises.
   */
  readonly deadLetterQueueOf?: string;
}

/**
 * The end of the line for deliveries that failed for good: kept 14 days (SQS's longest) for an operator to
 * look at and redrive, encrypted and TLS-only like every queue of the stack. Each one's depth is alarmed by
 * the monitoring construct.
 */
export class DeadLetterQueue extends Queue {
  constructor(scope: Construct, id: string, props: DeadLetterQueueProps = {}) {
    super(scope, id, {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    if (props.deadLetterQueueOf) {
      Validations.of(this).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: `This queue is itself the dead-letter queue of ${props.deadLetterQueueOf}.`,
      });
    }
  }
}
