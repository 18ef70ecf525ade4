import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import type { DocumentClient } from '../../distribution/ports';
import { queryAll } from '../../shared/dynamo';
import { type Env, readEnv } from '../../shared/env';
import { HEARTBEAT_KEY, RUN_PK, type RunItem, type ScheduleItem } from '../../shared/model';
import { readAllSchedules, specOf } from '../adapters/schedule-store';
import { nextRunTimes, previousRunTime } from './schedule';

/**
 * Is the scheduler doing its job? The seed's production failure was a scheduler that silently stopped: no
 * run, so no error either. So the assessment does not wait for a run to report a failure: it works out when
 * each enabled schedule should last have fired and fails when no run of that schedule succeeded since, once
 * the slack has passed. GET /admin/scheduler/health shows it; the watchdog publishes it as metrics for alarms.
 */

export type Verdict = 'healthy' | 'degraded' | 'failing';

export const RECENT_RUNS = 20;
export const FAILURE_WINDOW_DAYS = 7;

export interface DeadLetterQueueRef {
  /** `scheduler`, `ingest`, `verification`, ... */
  readonly name: string;
  readonly url: string;
}

export interface DeadLetterQueueDepth {
  readonly name: string;
  /** Messages waiting plus messages being received (a redrive in progress). */
  readonly depth: number;
}

export interface Heartbeat {
  readonly lastRunId?: string;
  readonly lastRunState?: string;
  readonly lastRunAt?: string;
  readonly lastSuccessAt?: string;
  readonly error?: string;
}

export interface ScheduleSnapshot {
  readonly schedule: ScheduleItem;
  /** When it should last have fired (undefined: disabled, or not due since it was created or changed). */
  readonly lastDueAt?: Date;
  /** Runs of this schedule that started at or after `lastDueAt`. */
  readonly runsSinceDue: readonly RunItem[];
}

export interface SchedulerSnapshot {
  readonly now: Date;
  readonly heartbeat?: Heartbeat;
  /** Newest first, at most RECENT_RUNS. */
  readonly recentRuns: readonly RunItem[];
  /** Runs of the last FAILURE_WINDOW_DAYS days that ended failed, newest first. */
  readonly failures: readonly RunItem[];
  readonly schedules: readonly ScheduleSnapshot[];
  readonly deadLetterQueues: readonly DeadLetterQueueDepth[];
}

export type DueOutcome = 'succeeded' | 'skipped' | 'running' | 'failed' | 'not-started' | 'not-due';

export interface ScheduleHealth {
  readonly scheduleId: string;
  readonly name: string;
  readonly enabled: boolean;
  readonly sync: ScheduleItem['sync'];
  readonly lastDueAt: string | null;
  readonly lastDueOutcome: DueOutcome;
  readonly overdue: boolean;
  readonly nextFireAt: string | null;
}

export interface SchedulerHealth {
  readonly verdict: Verdict;
  /** Why the verdict is not `healthy`, worst first; empty when healthy. */
  readonly reasons: readonly string[];
  readonly checkedAt: string;
  readonly heartbeat: (Heartbeat & { ageSeconds: number | null }) | null;
  readonly schedules: readonly ScheduleHealth[];
  readonly overdueSchedules: number;
  readonly deadLetterQueues: readonly DeadLetterQueueDepth[];
}

export interface HealthSettings {
  /** How long after its due time a schedule's run may take to succeed (Scheduler's window, retries). */
  readonly overdueSlackMs: number;
  /** A schedule still not mirrored to Scheduler this long after its change is reported. */
  readonly syncGraceMs: number;
}

const HealthEnvSchema = z.object({
  SCHEDULE_OVERDUE_SLACK_MINUTES: z.coerce.number().int().min(1).max(1_440),
});

/** The settings every reader of the scheduler's health (admin API, watchdog) takes from its environment. */
export const healthSettingsFromEnv = (env: Env): HealthSettings => ({
  overdueSlackMs: readEnv(HealthEnvSchema, env).SCHEDULE_OVERDUE_SLACK_MINUTES * 60_000,
  syncGraceMs: 5 * 60_000,
});

const FINE: readonly RunItem['state'][] = ['succeeded', 'skipped'];

const dueOutcome = (snapshot: ScheduleSnapshot): DueOutcome => {
  if (!snapshot.lastDueAt) return 'not-due';
  const states = snapshot.runsSinceDue.map((run) => run.state);
  for (const state of ['succeeded', 'skipped', 'running', 'failed'] as const)
    if (states.includes(state)) return state;
  return 'not-started';
};

/** The pure part: a snapshot in, the verdict and its reasons out. */
export const assessSchedulerHealth = (
  snapshot: SchedulerSnapshot,
  settings: HealthSettings,
): SchedulerHealth => {
  const failing: string[] = [];
  const degraded: string[] = [];
  const now = snapshot.now.getTime();

  const schedules = snapshot.schedules.map((entry): ScheduleHealth => {
    const { schedule, lastDueAt } = entry;
    const outcome = dueOutcome(entry);
    const late = lastDueAt !== undefined && now - lastDueAt.getTime() > settings.overdueSlackMs;
    const overdue = late && !FINE.includes(outcome as RunItem['state']);
    const label = `Schedule '${schedule.name}'`;
    if (overdue) {
      const failed = entry.runsSinceDue.find((run) => run.state === 'failed');
      failing.push(
        `${label} was due at ${lastDueAt?.toISOString()} and no run of it has succeeded since` +
          (failed
            ? ` (run ${failed.runId} failed: ${failed.error ?? 'no error recorded'})`
            : outcome === 'running'
              ? ' (a run is still going)'
              : ' (no run started: check the Scheduler DLQ and the schedule in EventBridge Scheduler)'),
      );
    } else if (outcome === 'failed') {
      failing.push(`${label}: its latest due run failed; a retry may still resume it`);
    }
    const stale = now - Date.parse(schedule.updatedAt) > settings.syncGraceMs;
    if (schedule.sync === 'pending' && stale)
      degraded.push(
        `${label} is not mirrored to EventBridge Scheduler${schedule.syncError ? ` (${schedule.syncError})` : ''}: read or save it again to repair`,
      );
    const [next] = nextRunTimes(specOf(schedule), snapshot.now, 1);
    return {
      scheduleId: schedule.scheduleId,
      name: schedule.name,
      enabled: schedule.enabled,
      sync: schedule.sync,
      lastDueAt: lastDueAt?.toISOString() ?? null,
      lastDueOutcome: outcome,
      overdue,
      nextFireAt: next?.toISOString() ?? null,
    };
  });

  if (!snapshot.schedules.some((entry) => entry.schedule.enabled))
    degraded.push('No enabled schedule: leads are distributed only when an admin runs a distribution');

  const latestFinished = snapshot.recentRuns.find((run) => run.state !== 'running');
  if (latestFinished?.state === 'failed')
    failing.push(
      `The latest run (${latestFinished.runId}) failed: ${latestFinished.error ?? 'no error recorded'}`,
    );
  else if (snapshot.failures.length > 0)
    degraded.push(`${snapshot.failures.length} run(s) failed in the last ${FAILURE_WINDOW_DAYS} days`);

  for (const queue of snapshot.deadLetterQueues) {
    if (queue.depth === 0) continue;
    const message = `${queue.depth} message(s) in the ${queue.name} dead-letter queue: fix the cause, then redrive them`;
    // A parked Scheduler event is a run that never happened; the other queues only delay leads.
    (queue.name === 'scheduler' ? failing : degraded).push(message);
  }

  const heartbeat = snapshot.heartbeat
    ? {
        ...snapshot.heartbeat,
        ageSeconds: snapshot.heartbeat.lastRunAt
          ? Math.max(0, Math.round((now - Date.parse(snapshot.heartbeat.lastRunAt)) / 1000))
          : null,
      }
    : null;

  const verdict: Verdict = failing.length > 0 ? 'failing' : degraded.length > 0 ? 'degraded' : 'healthy';
  return {
    verdict,
    reasons: [...failing, ...degraded],
    checkedAt: snapshot.now.toISOString(),
    heartbeat,
    schedules,
    overdueSchedules: schedules.filter((schedule) => schedule.overdue).length,
    deadLetterQueues: snapshot.deadLetterQueues,
  };
};

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
  // Run sort keys start with the run's start time, so "runs since" is a key range, filtered by one attribute.
  const runsSince = (since: Date, attribute: 'state' | 'scheduleId', value: string) =>
    queryAll<RunItem>(deps.doc, {
      TableName: deps.controlTable,
      KeyConditionExpression: 'pk = :pk AND sk >= :since',
      FilterExpression: '#attribute = :value',
      ExpressionAttributeNames: { '#attribute': attribute },
      ExpressionAttributeValues: { ':pk': RUN_PK, ':since': since.toISOString(), ':value': value },
      ScanIndexForward: false,
    });

  const [scheduleItems, heartbeat, recent, failures, deadLetterQueues] = await Promise.all([
    readAllSchedules(deps.doc, deps.controlTable),
    deps.doc.send(new GetCommand({ TableName: deps.controlTable, Key: HEARTBEAT_KEY })),
    deps.doc.send(
      new QueryCommand({
        TableName: deps.controlTable,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': RUN_PK },
        ScanIndexForward: false,
        Limit: RECENT_RUNS,
      }),
    ),
    runsSince(new Date(now.getTime() - FAILURE_WINDOW_DAYS * 86_400_000), 'state', 'failed'),
    Promise.all(deps.deadLetterQueues.map((queue) => depthOf(deps.sqs, queue))),
  ]);

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

  const { pk: _pk, sk: _sk, ...beat } = (heartbeat.Item ?? {}) as Record<string, unknown>;
  return {
    now,
    ...(heartbeat.Item ? { heartbeat: beat as Heartbeat } : {}),
    recentRuns: (recent.Items ?? []) as RunItem[],
    failures,
    schedules,
    deadLetterQueues,
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
    .sort((a, b) => a.name.localeCompare(b.name));

export const DLQ_ENV_PREFIX = 'DLQ_URL_';
