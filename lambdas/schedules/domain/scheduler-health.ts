import type { RunItem, ScheduleItem } from '../../shared/model';
import { nextRunTimes } from './schedule';
import { specOf } from './schedule-view';

/**
 * Is the scheduler doing its job? A scheduler that silently stops produces no run, so no error either. So
 * the assessment does not wait for a run to report a failure: it works out when each enabled schedule should
 * last have fired and fails when no run of that schedule succeeded since, once the slack has passed.
 * GET /admin/scheduler/health shows it; the watchdog publishes it as metrics for alarms. This module is the
 * pure part (a snapshot in, the verdict out); `adapters/scheduler-snapshot.ts` reads the snapshot.
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
  /** What the stale-upload sweeper found at its last pass, once it has run. */
  readonly ingestSweep?: { readonly stuckUploads: number; readonly stuckUploadIds: readonly string[] };
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
  readonly stuckUploads: number;
}

export interface HealthSettings {
  /** How long after its due time a schedule's run may take to succeed (Scheduler's window, retries). */
  readonly overdueSlackMs: number;
  /** A schedule still not mirrored to Scheduler this long after its change is reported. */
  readonly syncGraceMs: number;
}

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

  const stuckUploads = snapshot.ingestSweep?.stuckUploads ?? 0;
  if (stuckUploads > 0)
    degraded.push(
      `${stuckUploads} upload(s) stuck in ingesting (${snapshot.ingestSweep?.stuckUploadIds.join(', ')}): the sweeper resumes them from their checkpoint, then fails them with the last error`,
    );

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
    stuckUploads,
  };
};
