import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { BATCH_RETRY_ATTEMPTS, batchBackoff } from '../../shared/backoff';
import type { VerificationMessage as QueueMessage } from '../../shared/model';
import type { VerificationMessage, VerificationQueue } from '../domain/ports';

/** A SendMessageBatch entry SQS refused for good (the sender's fault): retrying cannot help. */
export class RefusedMessageError extends Error {
  constructor(code: string | undefined) {
    super(`The verification queue refused a message (${code ?? 'no code'})`);
    this.name = 'RefusedMessageError';
  }
}

/**
 * The verification queue: one SendMessageBatch per call of the use case (at most 10 messages of at most
 * 100 leads). A partly failed batch is retried for its failed entries only, with backoff; an entry refused
 * as the sender's fault fails the chunk (the checkpoint does not move, so the chunk is redone).
 */
export class SqsVerificationQueue implements VerificationQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async sendBatch(messages: readonly VerificationMessage[]): Promise<void> {
    let entries: SendMessageBatchRequestEntry[] = messages.map((message, index) => ({
      // Ids only need to be unique in the call; the body is the shared message shape (no batchId field).
      Id: `m${index}`,
      MessageBody: JSON.stringify({
        uploadId: message.uploadId,
        leads: message.leads,
      } satisfies QueueMessage),
    }));
    for (let attempt = 0; entries.length > 0; attempt++) {
      if (attempt >= BATCH_RETRY_ATTEMPTS) throw new Error('Verification messages kept failing to send');
      if (attempt > 0) await batchBackoff(attempt);
      const { Failed } = await this.sqs.send(
        new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }),
      );
      const refused = (Failed ?? []).find((failure) => failure.SenderFault);
      if (refused) throw new RefusedMessageError(refused.Code);
      const failedIds = new Set((Failed ?? []).map((failure) => failure.Id));
      entries = entries.filter((entry) => failedIds.has(entry.Id));
    }
  }
}
