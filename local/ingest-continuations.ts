import { DeleteMessageCommand, type Message, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { awsClientConfig } from '../lambdas/shared/aws';
import { LOCAL_REGION, type LocalResources } from './resources';
import { type CfnTemplate, resourcesOfType } from './template';

type Invoke = (logicalId: string, event: unknown) => Promise<unknown>;

export interface QueuePollers {
  /** Resolves when no invocation is running (messages on a timer may still be waiting). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

interface Mapping {
  functionLogicalId: string;
  queueUrl: string;
  queueArn: string;
  batchSize: number;
}

type Props = Record<string, unknown>;

/**
 * Polls the SQS event source mappings of the given functions (the ingest's continuation queue) the way
 * Lambda does: receive a batch, invoke with a real-shaped SQS event, delete what succeeded (all but the
 * reported `batchItemFailures`; nothing when the function throws), and leave failures to the queue's
 * visibility timeout and redrive policy.
 *
 * Merge note: a generic poller for every mapping of the template makes this one redundant; two pollers
 * on one queue only compete for its messages (each message still goes to one of them).
 */
export const startQueuePollers = (
  template: CfnTemplate,
  resources: LocalResources,
  functionLogicalIds: readonly string[],
  invoke: Invoke,
): QueuePollers => {
  const sqs = new SQSClient(awsClientConfig(resources.baseEnv, 'SQS'));
  const queues = [...resources.byLogicalId.values()];
  const mappings: Mapping[] = resourcesOfType(template, 'AWS::Lambda::EventSourceMapping').flatMap(
    ([, resource]) => {
      const props = (resource.Properties ?? {}) as Props;
      const functionLogicalId = (props.FunctionName as Props | undefined)?.Ref as string | undefined;
      if (!functionLogicalId || !functionLogicalIds.includes(functionLogicalId)) return [];
      const queueArn = resources.resolve(props.EventSourceArn);
      const queue = queues.find((candidate) => candidate.arn === queueArn);
      if (!queue) return [];
      return [
        { functionLogicalId, queueUrl: queue.ref, queueArn, batchSize: (props.BatchSize as number) ?? 10 },
      ];
    },
  );
  const abort = new AbortController();
  let running = 0;
  const idleWaiters: (() => void)[] = [];

  const toRecord = (mapping: Mapping, message: Message): SQSRecord => ({
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? '1',
      SentTimestamp: message.Attributes?.SentTimestamp ?? String(Date.now()),
      SenderId: message.Attributes?.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp:
        message.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: mapping.queueArn,
    awsRegion: LOCAL_REGION,
  });

  const deliver = async (mapping: Mapping, messages: Message[]) => {
    const event: SQSEvent = { Records: messages.map((message) => toRecord(mapping, message)) };
    let failed: Set<string>;
    try {
      const response = (await invoke(mapping.functionLogicalId, event)) as
        | Partial<SQSBatchResponse>
        | undefined;
      failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch (error) {
      console.error(
        `local SQS source -> ${mapping.functionLogicalId}: ${(error as Error)?.message ?? error}`,
      );
      return; // the whole batch comes back after the visibility timeout
    }
    for (const message of messages) {
      if (failed.has(message.MessageId ?? '')) continue;
      await sqs.send(
        new DeleteMessageCommand({ QueueUrl: mapping.queueUrl, ReceiptHandle: message.ReceiptHandle }),
      );
    }
  };

  const poll = async (mapping: Mapping) => {
    while (!abort.signal.aborted) {
      let messages: Message[] = [];
      try {
        const received = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: mapping.queueUrl,
            MaxNumberOfMessages: mapping.batchSize,
            WaitTimeSeconds: 1,
            MessageSystemAttributeNames: ['All'],
          }),
          { abortSignal: abort.signal },
        );
        messages = received.Messages ?? [];
      } catch (error) {
        if (abort.signal.aborted) return;
        console.error(`local SQS source ${mapping.queueUrl}: ${(error as Error)?.message ?? error}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      }
      if (messages.length === 0) continue;
      running += 1;
      try {
        await deliver(mapping, messages);
      } finally {
        running -= 1;
        if (running === 0) for (const wake of idleWaiters.splice(0)) wake();
      }
    }
  };

  const loops = mappings.map((mapping) => poll(mapping));

  return {
    idle: () =>
      running === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve)),
    async stop() {
      abort.abort();
      await Promise.allSettled(loops);
    },
  };
};
