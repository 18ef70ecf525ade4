import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import { awsClientConfig } from '../lambdas/shared/aws';
import { LOCAL_REGION, type LocalResources } from './resources';
import { type CfnTemplate, resourcesOfType } from './template';

/** One `AWS::Lambda::EventSourceMapping` of the template whose source is a local queue. */
export interface SqsEventSourceMapping {
  readonly logicalId: string;
  readonly functionLogicalId: string;
  readonly queueUrl: string;
  readonly queueArn: string;
  /** The queue's redrive target, when it has one. */
  readonly deadLetterQueueUrl?: string;
  readonly batchSize: number;
  readonly maxBatchingWindowMs: number;
  readonly reportBatchItemFailures: boolean;
  readonly maxConcurrency: number;
}

export interface SqsEventSources {
  readonly mappings: readonly SqsEventSourceMapping[];
  /**
   * Resolves once every mapped queue is empty (nothing visible, in flight or on a timer) and no invocation
   * runs; rejects after `timeoutMs` (20 s) with what is left. Messages parked in a DLQ do not count.
   */
  waitForIdle(options?: { timeoutMs?: number }): Promise<void>;
  /** Moves every message of the mapped queues' DLQs back to their source queue (StartMessageMoveTask). */
  redriveDeadLetters(): Promise<number>;
  stop(): Promise<void>;
}

type Invoke = (logicalId: string, event: unknown) => Promise<unknown>;

interface CfnMappingProps {
  EventSourceArn?: unknown;
  FunctionName?: { Ref?: string };
  BatchSize?: number;
  MaximumBatchingWindowInSeconds?: number;
  FunctionResponseTypes?: string[];
  ScalingConfig?: { MaximumConcurrency?: number };
}

/** Lambda's own defaults for SQS mappings, where the template leaves them out. */
const DEFAULT_BATCH_SIZE = 10;
/** Lambda scales SQS pollers far higher; locally a few concurrent invocations show the same behaviour. */
const DEFAULT_LOCAL_CONCURRENCY = 5;
/** Long-poll wait per receive: short, so that stop() is prompt even without an abort. */
const WAIT_SECONDS = 1;

/** The SQS mappings of the template, resolved to the local queues and function logical ids. */
export const sqsEventSourceMappings = (
  template: CfnTemplate,
  resources: LocalResources,
): SqsEventSourceMapping[] => {
  const queuesByArn = new Map(
    resourcesOfType(template, 'AWS::SQS::Queue').map(([id, resource]) => {
      const local = resources.byLogicalId.get(id);
      const redrive = (resource.Properties?.RedrivePolicy as { deadLetterTargetArn?: unknown } | undefined)
        ?.deadLetterTargetArn;
      const deadLetterArn = redrive ? resources.resolve(redrive) : undefined;
      return [local?.arn ?? '', { url: local?.ref ?? '', deadLetterArn }];
    }),
  );
  return resourcesOfType(template, 'AWS::Lambda::EventSourceMapping').flatMap(([logicalId, resource]) => {
    const props = (resource.Properties ?? {}) as CfnMappingProps;
    const queueArn = props.EventSourceArn ? resources.resolve(props.EventSourceArn) : '';
    const queue = queuesByArn.get(queueArn);
    const functionLogicalId = props.FunctionName?.Ref;
    if (!queue || !functionLogicalId) return []; // not an SQS source of a function of this template
    const deadLetterQueueUrl = queue.deadLetterArn ? queuesByArn.get(queue.deadLetterArn)?.url : undefined;
    return [
      {
        logicalId,
        functionLogicalId,
        queueUrl: queue.url,
        queueArn,
        ...(deadLetterQueueUrl ? { deadLetterQueueUrl } : {}),
        batchSize: props.BatchSize ?? DEFAULT_BATCH_SIZE,
        maxBatchingWindowMs: (props.MaximumBatchingWindowInSeconds ?? 0) * 1000,
        reportBatchItemFailures: props.FunctionResponseTypes?.includes('ReportBatchItemFailures') ?? false,
        maxConcurrency: props.ScalingConfig?.MaximumConcurrency ?? DEFAULT_LOCAL_CONCURRENCY,
      },
    ];
  });
};

/**
 * Plays Lambda's SQS event source mappings against fauxqs, with the semantics that matter: up to
 * `MaximumConcurrency` pollers per mapping, each long-polling a batch (filled up to `BatchSize` within the
 * batching window) and invoking the function with a real-shaped SQS event. After the invocation it deletes
 * the records that succeeded: all of them, or with `ReportBatchItemFailures` all but the ids the function
 * returned (a malformed response, like a thrown error, fails the whole batch). Failed records are left
 * alone: the queue's visibility timeout brings them back, and fauxqs moves them to the DLQ after
 * `maxReceiveCount` receives, as SQS does.
 */
export const startSqsEventSources = (
  template: CfnTemplate,
  resources: LocalResources,
  invoke: Invoke,
  options: {
    onError?: (error: unknown, mapping: SqsEventSourceMapping) => void;
    /** Which mappings to poll (all when absent); the others behave as disabled. */
    enabled?: (mapping: SqsEventSourceMapping) => boolean;
  } = {},
): SqsEventSources => {
  const mappings = sqsEventSourceMappings(template, resources).filter(options.enabled ?? (() => true));
  const sqs = new SQSClient(awsClientConfig(resources.baseEnv, 'SQS'));
  const abort = new AbortController();
  let running = 0;
  const onError =
    options.onError ??
    ((error, mapping) =>
      console.error(`local SQS event source -> ${mapping.functionLogicalId}: ${errorSummary(error)}`));

  const receive = async (mapping: SqsEventSourceMapping, max: number, waitSeconds: number) => {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: mapping.queueUrl,
        MaxNumberOfMessages: Math.min(10, max),
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: abort.signal },
    );
    return Messages ?? [];
  };

  /** One batch: the first receive waits for messages; more are gathered until full or the window closes. */
  const receiveBatch = async (mapping: SqsEventSourceMapping): Promise<Message[]> => {
    const batch = await receive(mapping, mapping.batchSize, WAIT_SECONDS);
    if (batch.length === 0) return batch;
    const windowEnds = Date.now() + mapping.maxBatchingWindowMs;
    while (batch.length < mapping.batchSize && Date.now() < windowEnds && !abort.signal.aborted) {
      const more = await receive(mapping, mapping.batchSize - batch.length, 0);
      if (more.length === 0) await sleep(Math.min(50, windowEnds - Date.now()));
      batch.push(...more);
    }
    return batch;
  };

  const deliver = async (mapping: SqsEventSourceMapping, messages: Message[]) => {
    const event: SQSEvent = { Records: messages.map((message) => toRecord(message, mapping.queueArn)) };
    let succeeded: Message[];
    try {
      const result = await invoke(mapping.functionLogicalId, event);
      succeeded = succeededMessages(mapping, messages, result);
    } catch (error) {
      // Lambda's rule: a function error fails the whole batch; its messages come back after the timeout.
      onError(new Error(`the whole batch failed: ${errorSummary(error)}`), mapping);
      succeeded = [];
    }
    if (succeeded.length === 0) return;
    const { Failed = [] } = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: mapping.queueUrl,
        Entries: succeeded.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle ?? '',
        })),
      }),
    );
    if (Failed.length > 0) {
      // As in SQS: a receipt handle is stale once the visibility timeout let another poller receive the
      // message; it will be delivered again (the visibility timeout was shorter than the processing).
      onError(
        new Error(`${Failed.length} processed message(s) could not be deleted and will come back`),
        mapping,
      );
    }
  };

  const poll = async (mapping: SqsEventSourceMapping) => {
    while (!abort.signal.aborted) {
      try {
        const messages = await receiveBatch(mapping);
        if (messages.length === 0) continue;
        running++;
        try {
          await deliver(mapping, messages);
        } finally {
          running--;
        }
      } catch (error) {
        if (abort.signal.aborted) return;
        onError(error, mapping);
        await sleep(250);
      }
    }
  };

  const pollers = mappings.flatMap((mapping) =>
    Array.from({ length: mapping.maxConcurrency }, () => poll(mapping)),
  );

  const backlog = async () => {
    let total = 0;
    for (const mapping of mappings) {
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: mapping.queueUrl,
          AttributeNames: [
            'ApproximateNumberOfMessages',
            'ApproximateNumberOfMessagesNotVisible',
            'ApproximateNumberOfMessagesDelayed',
          ],
        }),
      );
      total += Object.values(Attributes).reduce((sum, value) => sum + Number(value), 0);
    }
    return total;
  };

  return {
    mappings,
    async waitForIdle({ timeoutMs = 20_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        // Received-but-not-yet-invoked messages still count as in flight in the queue.
        const left = (await backlog()) + running;
        if (left === 0) return;
        if (Date.now() > deadline) {
          throw new Error(`Queues not idle after ${timeoutMs} ms: ${left} message(s) or invocation(s) left`);
        }
        await sleep(50);
      }
    },
    async redriveDeadLetters() {
      let moved = 0;
      for (const mapping of mappings) {
        if (!mapping.deadLetterQueueUrl) continue;
        for (;;) {
          const { Messages = [] } = await sqs.send(
            new ReceiveMessageCommand({
              QueueUrl: mapping.deadLetterQueueUrl,
              MaxNumberOfMessages: 10,
              MessageAttributeNames: ['All'],
              WaitTimeSeconds: 0,
            }),
          );
          if (Messages.length === 0) break;
          const entries = Messages.map((message, index) => ({ message, Id: String(index) }));
          await sqs.send(
            new SendMessageBatchCommand({
              QueueUrl: mapping.queueUrl,
              Entries: entries.map(({ message, Id }) => ({
                Id,
                MessageBody: message.Body ?? '',
                MessageAttributes: message.MessageAttributes,
              })),
            }),
          );
          const { Failed = [] } = await sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: mapping.deadLetterQueueUrl,
              Entries: entries.map(({ message, Id }) => ({ Id, ReceiptHandle: message.ReceiptHandle ?? '' })),
            }),
          );
          if (Failed.length > 0)
            throw new Error(`Redrive could not delete ${Failed.length} moved message(s)`);
          moved += Messages.length;
        }
      }
      return moved;
    },
    async stop() {
      abort.abort();
      await Promise.allSettled(pollers);
      sqs.destroy();
    },
  };
};

/** Which received messages the invocation's result says succeeded (Lambda's rules for SQS responses). */
export const succeededMessages = (
  mapping: SqsEventSourceMapping,
  messages: Message[],
  result: unknown,
): Message[] => {
  if (!mapping.reportBatchItemFailures) return messages;
  const failures = (result as Partial<SQSBatchResponse> | null | undefined)?.batchItemFailures;
  if (failures === undefined || failures === null) return messages; // an empty response means all succeeded
  const ids = new Set(messages.map((message) => message.MessageId));
  const failed = new Set<string>();
  for (const failure of Array.isArray(failures) ? failures : [null]) {
    const id = failure?.itemIdentifier;
    // An empty or unknown identifier makes Lambda treat the whole batch as failed.
    if (typeof id !== 'string' || !ids.has(id)) return [];
    failed.add(id);
  }
  return messages.filter((message) => !failed.has(message.MessageId ?? ''));
};

const toRecord = (message: Message, queueArn: string): SQSRecord => {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
        name,
        {
          dataType: value.DataType ?? 'String',
          stringValue: value.StringValue,
          binaryValue: value.BinaryValue ? Buffer.from(value.BinaryValue).toString('base64') : undefined,
          stringListValues: [],
          binaryListValues: [],
        },
      ]),
    ) as SQSMessageAttributes,
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: LOCAL_REGION,
  };
};

const errorSummary = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : String(error);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
