import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { DLQ_ENV_PREFIX } from '../../contracts/limits';
import { newestRuns, readHeartbeat, runsSince as runsSinceWith } from '../../distribution/adapters/run-store';
import type { DocumentClient } from '../../shared/dynamo';
import { type Env, readEnv } from '../../shared/env';
import { INGEST_SWEEP_KEY, type IngestSweepItem } from '../../shared/model';
import { byCodeUnit } from '../../shared/order';
import * as z from '../../shared/zod';
import { previousRunTime } from '../domain/schedule';
import { specOf } from '../domain/schedule-view';
import {
  type DeadLetterQueueDepth,
  type DeadLetterQueueRef,
  FAILURE_WINDOW_DAYS,
  type HealthSettings,
  type Heartbeat,
  RECENT_RUNS,
  type SchedulerSnapshot,
  type ScheduleSnapshot,
} from '../domain/scheduler-health';
import { readAllSchedules } from './schedule-store';

const HealthEnvSchema = z.object({
  SCHEDULE_OVERDUE_SLACK_MINUTES: z.coerce.number().check(z.int(), z.minimum(1), z.maximum(1_440)),
});

/** The settings every reader of the scheduler's health (admin API, watchdog) takes from its environment. */
export const healthSettingsFromEnv = (env: Env): HealthSettings => ({
  overdueSlackMs: readEnv(HealthEnvSchema, env).SCHEDULE_OVERDUE_SLACK_MINUTES * 60_000,
  syncGraceMs: 5 * 60_000,
});

export interface SnapshotDeps {
  readonly doc: DocumentClient;
  readonly sqs: Pick<SQSClient, 'send'>;
  readonly controlTable: string;
  readonly deadLetterQueues: readonly DeadLetterQueueRef[];
  readonly now: () => Date;
}

/**
 * Reads what the assessment needs: the schedules, the heartbeat, the last runs, the week's failures, the runs
 * since each enabled schedule's due time and the DLQ depths. Bounded by the number of schedules and of runs in
 * a week, never by uploads, leads or members.
 */
export const readSchedulerSnapshot = async (deps: SnapshotDeps): Promise<SchedulerSnapshot> => {
  const now = deps.now();
  const runsSince = (since: Date, attribute: 'state' | 'scheduleId', value: string) =>
    runsSinceWith(deps.doc, deps.controlTable, since, { attribute, value });

  const [scheduleItems, heartbeat, recent, failures, deadLetterQueues, sweep] = await Promise.all([
    readAllSchedules(deps.doc, deps.controlTable),
    readHeartbeat(deps.doc, deps.controlTable),
    newestRuns(deps.doc, deps.controlTable, { limit: RECENT_RUNS }),
    runsSince(new Date(now.getTime() - FAILURE_WINDOW_DAYS * 86_400_000), 'state', 'failed'),
    Promise.all(deps.deadLetterQueues.map((queue) => depthOf(deps.sqs, queue))),
    deps.doc.send(new GetCommand({ TableName: deps.controlTable, Key: INGEST_SWEEP_KEY })),
  ]);
  const ingestSweep = sweep.Item as IngestSweepItem | undefined;

  const schedules = await Promise.all(
    scheduleItems.map(async (schedule): Promise<ScheduleSnapshot> => {
      const due = previousRunTime(specOf(schedule), now);
      // A due time before the schedule took its current form was never this schedule's to run.
      if (!due || due.getTime() < Date.parse(schedule.updatedAt)) return { schedule, runsSinceDue: [] };
      return {
        schedule,
        lastDueAt: due,
        runsSinceDue: await runsSince(due, 'scheduleId', schedule.scheduleId),
      };
    }),
  );

  const { pk: _pk, sk: _sk, ...beat } = heartbeat ?? {};
  return {
    now,
    ...(heartbeat ? { heartbeat: beat as Heartbeat } : {}),
    recentRuns: recent.runs,
    failures,
    schedules,
    deadLetterQueues,
    ...(ingestSweep
      ? {
          ingestSweep: { stuckUploads: ingestSweep.stuckUploads, stuckUploadIds: ingestSweep.stuckUploadIds },
        }
      : {}),
  };
};

const depthOf = async (
  sqs: Pick<SQSClient, 'send'>,
  queue: DeadLetterQueueRef,
): Promise<DeadLetterQueueDepth> => {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queue.url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  const depth =
    Number(Attributes.ApproximateNumberOfMessages ?? 0) +
    Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
  return { name: queue.name, depth };
};

/** `DLQ_URL_<NAME>` environment variables -> the queues to watch (the CDK app sets one per dead-letter queue). */
export const deadLetterQueuesFromEnv = (
  env: Readonly<Record<string, string | undefined>>,
): DeadLetterQueueRef[] =>
  Object.entries(env)
    .filter(([key, value]) => key.startsWith(DLQ_ENV_PREFIX) && value)
    .map(([key, value]) => ({ name: key.slice(DLQ_ENV_PREFIX.length).toLowerCase(), url: value as string }))
    .sort((a, b) => byCodeUnit(a.name, b.name));
