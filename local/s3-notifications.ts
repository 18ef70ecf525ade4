import { randomUUID } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { S3Event } from 'aws-lambda';
import type S3rver from 's3rver';
import { awsClientConfig } from '../lambdas/shared/aws';
import { LOCAL_REGION, type LocalResources } from './resources';
import { type CfnTemplate, resourcesOfType } from './template';

type Invoke = (logicalId: string, event: unknown) => Promise<unknown>;

/** One `LambdaFunctionConfigurations` entry of the template's `Custom::S3BucketNotifications`. */
export interface LocalNotification {
  readonly bucket: string;
  readonly events: readonly string[];
  readonly prefix: string;
  readonly suffix: string;
  readonly functionLogicalId: string;
}

/** A function's `AWS::Lambda::EventInvokeConfig`, with Lambda's defaults where the template has none. */
export interface AsyncInvokeConfig {
  readonly maximumRetryAttempts: number;
  readonly maximumEventAgeMs: number;
  readonly onFailureQueueUrl?: string;
}

export interface S3Notifications {
  readonly notifications: readonly LocalNotification[];
  /** Resolves when no async invocation is running or waiting for a retry. */
  idle(): Promise<void>;
  stop(): void;
}

export interface S3NotificationOptions {
  /** Waits before the 1st, 2nd, ... retry. Lambda waits about 1 and 2 minutes; locally, seconds. */
  readonly retryDelaysMs?: readonly number[];
  readonly onError?: (error: unknown, functionLogicalId: string) => void;
  /**
   * Keep every async invocation not yet done (running, or waiting for its retry) as a file here, and replay
   * them at the next start: Lambda's event queue outlives a crash of the host, so a persistent local stack's
   * does too. In memory when absent.
   */
  readonly journalDir?: string;
}

/** One async invocation in the journal: what to invoke, and where it stands in its retries. */
interface PendingInvocation {
  readonly functionLogicalId: string;
  readonly event: S3Event;
  readonly attemptNumber: number;
  readonly firstAt: number;
}

type Props = Record<string, unknown>;
const getAttId = (node: unknown) =>
  ((node as Props | undefined)?.['Fn::GetAtt'] as string[] | undefined)?.[0];
const refId = (node: unknown) => (node as Props | undefined)?.Ref as string | undefined;

export const notificationsFromTemplate = (
  template: CfnTemplate,
  resources: LocalResources,
): LocalNotification[] =>
  resourcesOfType(template, 'Custom::S3BucketNotifications').flatMap(([, resource]) => {
    const props = (resource.Properties ?? {}) as Props;
    const bucket = resources.resolve(props.BucketName);
    const configurations = ((props.NotificationConfiguration as Props | undefined)
      ?.LambdaFunctionConfigurations ?? []) as Props[];
    return configurations.flatMap((configuration) => {
      const functionLogicalId = getAttId(configuration.LambdaFunctionArn);
      if (!functionLogicalId) return [];
      const rules = (((configuration.Filter as Props | undefined)?.Key as Props | undefined)?.FilterRules ??
        []) as { Name: string; Value: string }[];
      const rule = (name: string) =>
        rules.find((candidate) => candidate.Name.toLowerCase() === name)?.Value ?? '';
      return [
        {
          bucket,
          events: configuration.Events as string[],
          prefix: rule('prefix'),
          suffix: rule('suffix'),
          functionLogicalId,
        },
      ];
    });
  });

/** Lambda's defaults: 2 retries, 6 hours, no destination. */
export const asyncInvokeConfigOf = (
  template: CfnTemplate,
  resources: LocalResources,
  functionLogicalId: string,
): AsyncInvokeConfig => {
  const found = resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig').find(
    ([, resource]) => refId((resource.Properties as Props | undefined)?.FunctionName) === functionLogicalId,
  );
  const props = (found?.[1].Properties ?? {}) as Props;
  const destination = ((props.DestinationConfig as Props | undefined)?.OnFailure as Props | undefined)
    ?.Destination;
  const queueId = getAttId(destination);
  const queue = queueId ? resources.byLogicalId.get(queueId) : undefined;
  return {
    maximumRetryAttempts: (props.MaximumRetryAttempts as number | undefined) ?? 2,
    maximumEventAgeMs: ((props.MaximumEventAgeInSeconds as number | undefined) ?? 21_600) * 1000,
    ...(queue ? { onFailureQueueUrl: queue.ref } : {}),
  };
};

const matches = (notification: LocalNotification, bucket: string, eventName: string, key: string) =>
  notification.bucket === bucket &&
  notification.events.some((pattern) =>
    pattern.endsWith('*')
      ? `s3:${eventName}`.startsWith(pattern.slice(0, -1))
      : pattern === `s3:${eventName}`,
  ) &&
  key.startsWith(notification.prefix) &&
  key.endsWith(notification.suffix);

/** S3 URL-encodes keys in notifications (a space as `+`); s3rver sends them raw. */
const encodeKey = (key: string) => encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');

/**
 * Plays S3 event notifications to Lambda: every object s3rver creates is matched against the template's
 * bucket notification configurations (bucket, event, prefix, suffix), and the function is invoked
 * asynchronously with a real-shaped S3 event, as S3 does. Async invocation keeps Lambda's semantics: a
 * failed attempt is retried up to `MaximumRetryAttempts` times (after seconds here, minutes in AWS), an
 * event older than `MaximumEventAgeInSeconds` is not tried again, and a given-up event goes to the
 * on-failure destination queue as Lambda's invocation record.
 */
export const startS3Notifications = (
  template: CfnTemplate,
  resources: LocalResources,
  s3rver: S3rver,
  invoke: Invoke,
  options: S3NotificationOptions = {},
): S3Notifications => {
  const notifications = notificationsFromTemplate(template, resources);
  const sqs = new SQSClient(awsClientConfig(resources.baseEnv, 'SQS'));
  const retryDelays = options.retryDelaysMs ?? [1_000, 2_000];
  const onError =
    options.onError ??
    ((error, functionLogicalId) =>
      console.error(
        `local async invocation of ${functionLogicalId} failed: ${(error as Error)?.message ?? error}`,
      ));
  const running = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  const giveUp = async (
    functionLogicalId: string,
    event: S3Event,
    condition: 'RetriesExhausted' | 'EventAgeExceeded',
    attempts: number,
    error: unknown,
  ) => {
    const config = asyncInvokeConfigOf(template, resources, functionLogicalId);
    if (!config.onFailureQueueUrl) return;
    const record = {
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: {
        requestId: randomUUID(),
        functionArn: `${resources.byLogicalId.get(functionLogicalId)?.arn ?? functionLogicalId}:$LATEST`,
        condition,
        approximateInvokeCount: attempts,
      },
      requestPayload: event,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: {
        errorType: (error as Error)?.name ?? 'Error',
        errorMessage: (error as Error)?.message ?? String(error),
      },
    };
    await sqs.send(
      new SendMessageCommand({ QueueUrl: config.onFailureQueueUrl, MessageBody: JSON.stringify(record) }),
    );
  };

  const { journalDir } = options;
  if (journalDir) mkdirSync(journalDir, { recursive: true });
  const journal = {
    // Written before the attempt starts, rewritten before a retry waits, removed once done or given up.
    keep(id: string, pending: PendingInvocation) {
      if (journalDir) writeFileSync(path.join(journalDir, `${id}.json`), JSON.stringify(pending));
    },
    drop(id: string) {
      if (journalDir) rmSync(path.join(journalDir, `${id}.json`), { force: true });
    },
    left(): [string, PendingInvocation][] {
      if (!journalDir) return [];
      return readdirSync(journalDir)
        .filter((name) => name.endsWith('.json'))
        .map((name) => [
          name.slice(0, -'.json'.length),
          JSON.parse(readFileSync(path.join(journalDir, name), 'utf8')) as PendingInvocation,
        ]);
    },
  };

  const attempt = (
    id: string,
    functionLogicalId: string,
    event: S3Event,
    attemptNumber: number,
    firstAt: number,
  ) => {
    const config = asyncInvokeConfigOf(template, resources, functionLogicalId);
    journal.keep(id, { functionLogicalId, event, attemptNumber, firstAt });
    const work = (async () => {
      try {
        await invoke(functionLogicalId, event);
        journal.drop(id);
      } catch (error) {
        onError(error, functionLogicalId);
        // Stopped: the journal keeps it for the next start.
        if (stopped) return;
        const tooOld = Date.now() - firstAt > config.maximumEventAgeMs;
        if (attemptNumber > config.maximumRetryAttempts || tooOld) {
          await giveUp(
            functionLogicalId,
            event,
            tooOld ? 'EventAgeExceeded' : 'RetriesExhausted',
            attemptNumber,
            error,
          );
          journal.drop(id);
          return;
        }
        journal.keep(id, { functionLogicalId, event, attemptNumber: attemptNumber + 1, firstAt });
        const delay = retryDelays[Math.min(attemptNumber - 1, retryDelays.length - 1)] ?? 1_000;
        const timer = setTimeout(() => {
          timers.delete(timer);
          attempt(id, functionLogicalId, event, attemptNumber + 1, firstAt);
        }, delay);
        timers.add(timer);
      }
    })();
    running.add(work);
    void work.finally(() => running.delete(work));
  };

  // s3rver is a Koa app (an EventEmitter); its typings leave that out.
  (s3rver as unknown as EventEmitter).on('event', (raw: S3Event) => {
    for (const record of raw.Records ?? []) {
      const bucket = record.s3.bucket.name;
      const key = record.s3.object.key;
      for (const notification of notifications.filter((candidate) =>
        matches(candidate, bucket, record.eventName, key),
      )) {
        const event: S3Event = {
          Records: [
            {
              ...record,
              eventVersion: '2.1',
              awsRegion: LOCAL_REGION,
              eventTime: new Date().toISOString(),
              s3: {
                ...record.s3,
                configurationId: `local-${notification.functionLogicalId}`,
                bucket: { ...record.s3.bucket, arn: `arn:aws:s3:::${bucket}` },
                object: { ...record.s3.object, key: encodeKey(key) },
              },
            },
          ],
        };
        attempt(randomUUID(), notification.functionLogicalId, event, 1, Date.now());
      }
    }
  });

  // What the last run of a persistent stack left unfinished (it was killed mid-invocation, or while a retry
  // waited) is invoked again, where it stood in its retries.
  for (const [id, pending] of journal.left()) {
    attempt(id, pending.functionLogicalId, pending.event, pending.attemptNumber, pending.firstAt);
  }

  return {
    notifications,
    async idle() {
      while (running.size > 0 || timers.size > 0) {
        await Promise.allSettled([...running]);
        if (running.size === 0 && timers.size > 0) await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
};
