import { weekKey as weekKeyOf } from '../../schedules/domain/schedule';
import { RUN_PK, type RunState, runKey } from '../../shared/model';
import { weeksOfSupply } from '../../shared/supply';
import {
  type DistributionSettings,
  isFinished,
  LostRunError,
  RunNotFinishedError,
  type RunRequest,
  type RunStats,
  type RunSummary,
  type StoredRun,
  scheduledRunId,
  summaryOf,
} from '../domain/run';
import type { DistributionDeps } from '../ports';

/**
 * The run's lifecycle around its work: open (key the run and create its item, or find the one a
 * redelivery created), lock (take the run lock, or join an attempt of the same run, or skip behind
 * another run), keep the lease, and finish (succeeded, skipped or failed, with the heartbeat).
 */

export interface RunContext {
  readonly deps: DistributionDeps;
  readonly settings: DistributionSettings;
}

/**
 * Keys the run (a scheduled run by schedule ARN + scheduled time, a manual one by the id the admin API gave
 * it) and creates its item with a conditional put; `skipReason` is set when its schedule is gone or off.
 */
export const openRun = async (
  { deps, settings }: RunContext,
  request: RunRequest,
): Promise<{ run: StoredRun; skipReason?: string }> => {
  const now = deps.now();
  const runAt = new Date(request.trigger === 'schedule' ? request.scheduledTime : request.requestedAt);
  const runId =
    request.trigger === 'schedule'
      ? scheduledRunId(request.scheduleArn, request.scheduledTime)
      : request.runId;
  let timeZone = request.trigger === 'manual' ? (request.timeZone ?? settings.defaultTimeZone) : undefined;
  let skipReason: string | undefined;
  if (request.trigger === 'schedule') {
    const schedule = await deps.schedules.get(request.scheduleId);
    if (!schedule || schedule.pendingOp === 'delete')
      skipReason = `schedule ${request.scheduleId} no longer exists`;
    else if (!schedule.enabled) skipReason = `schedule ${request.scheduleId} is disabled`;
    timeZone = schedule?.timeZone ?? settings.defaultTimeZone;
  }
  const zone = timeZone ?? settings.defaultTimeZone;
  const fresh: StoredRun = {
    ...runKey(runAt.toISOString(), runId),
    pk: RUN_PK,
    runId,
    runAt: runAt.toISOString(),
    trigger: request.trigger,
    ...(request.trigger === 'schedule'
      ? {
          scheduleId: request.scheduleId,
          scheduleArn: request.scheduleArn,
          scheduledTime: request.scheduledTime,
        }
      : { requestedBy: request.requestedBy }),
    timeZone: zone,
    weekKey: weekKeyOf(runAt, zone),
    state: 'running',
    startedAt: now.toISOString(),
    attempts: 0,
    leadsAssigned: 0,
    expiresAt: Math.floor(now.getTime() / 1000) + settings.runRecordDays * 86_400,
  };
  const opened = await deps.runs.openRun(fresh);
  return { run: opened.run, ...(skipReason ? { skipReason } : {}) };
};

export type LockOutcome =
  | { kind: 'acquired'; fence: number }
  | { kind: 'skipped'; reason: string }
  | { kind: 'finished'; run: StoredRun };

/** Takes the lock, or finds out why not: another run (skip, or retry later) or another attempt (join). */
export const acquireOrJoin = async (
  { deps, settings }: RunContext,
  run: StoredRun,
  attemptId: string,
  remainingMs: () => number,
): Promise<LockOutcome> => {
  for (;;) {
    const nowMs = deps.now().getTime();
    const leaseUntil = nowMs + settings.lockLeaseMs;
    const fence = await deps.lock.acquire({ runId: run.runId, attemptId, leaseUntil }, nowMs);
    if (fence !== undefined) return { kind: 'acquired', fence };
    const holder = await deps.lock.read();
    if (!holder) continue;
    if (holder.runId !== run.runId) {
      const hasProgress = run.windowsDone !== undefined || run.phase !== undefined || run.attempts > 0;
      if (hasProgress)
        throw new RunNotFinishedError(`run ${holder.runId} holds the lock; this run resumes on a retry`);
      return { kind: 'skipped', reason: `run ${holder.runId} was in progress` };
    }
    // Another attempt of this very run is at work: wait for it to finish or for its lease to lapse.
    if (remainingMs() < settings.safetyMarginMs + settings.joinPollMs)
      throw new RunNotFinishedError('another attempt of this run is still at work');
    await deps.sleep(settings.joinPollMs);
    const latest = await deps.runs.getRun(run);
    if (latest && isFinished(latest)) return { kind: 'finished', run: latest };
  }
};

/** Keeps the lock's lease alive while the attempt works; throws LostRunError once another attempt has it. */
export const leaseOf = ({ deps, settings }: RunContext, attemptId: string) => {
  let renewedAt = deps.now().getTime();
  return {
    renewIfDue: async () => {
      const now = deps.now().getTime();
      if (now - renewedAt < settings.lockLeaseMs / 3) return;
      if (!(await deps.lock.renew(attemptId, now + settings.lockLeaseMs))) throw new LostRunError(attemptId);
      renewedAt = now;
    },
  };
};

/** The attempt holding the run: its id (the lock's lease) and the lock generation its writes carry. */
export interface Holder {
  attemptId: string;
  fence: number;
}

/**
 * Records the latest run's outcome; `fence` for a run that took the lock, so a run that lost it to a
 * newer run never overwrites the newer run's outcome (logged, not thrown: its own run item is written).
 */
export const heartbeat = async (
  { deps }: RunContext,
  run: StoredRun,
  state: RunState,
  extra: Record<string, unknown>,
  fence?: number,
) => {
  const written = await deps.runs.putHeartbeat(
    {
      lastRunId: run.runId,
      lastRunState: state,
      lastRunTrigger: run.trigger,
      lastRunAt: deps.now().toISOString(),
      ...extra,
    },
    fence,
  );
  if (!written)
    deps.logger.warn('a newer run wrote the heartbeat; this run left it', { runId: run.runId, state });
};

/** Records a run that did not start (its schedule is gone or off, or another run holds the lock). */
export const skipRun = async (
  context: RunContext,
  run: StoredRun,
  reason: string,
  lockHeld = false,
): Promise<RunSummary> => {
  const { deps } = context;
  const endedAt = deps.now().toISOString();
  const marked = await deps.runs.markSkipped(run, reason, endedAt);
  if (!marked) {
    const latest = (await deps.runs.getRun(run)) ?? run;
    if (isFinished(latest)) return summaryOf(latest, 'duplicate');
    throw new RunNotFinishedError(`run ${run.runId} could not be marked skipped`);
  }
  deps.logger.info('distribution run skipped', { runId: run.runId, reason, lockHeld });
  const summary = summaryOf({ ...run, state: 'skipped', skippedReason: reason, endedAt }, 'skipped');
  await heartbeat(context, run, 'skipped', { skippedReason: reason });
  deps.metrics.record(summary);
  return summary;
};

export interface FinishedWork {
  assigned: number;
  uploads: ReadonlySet<string>;
  uploadsExhausted: string[];
  stats: RunStats;
  served: number;
  notified: number;
  notifiedUnknown: number;
  notMailed: number;
}

/** Records the run as succeeded, beats the heartbeat, gives the lock back and reports the run. */
export const finishRun = async (
  context: RunContext,
  run: StoredRun,
  { attemptId, fence }: Holder,
  work: FinishedWork,
): Promise<RunSummary> => {
  const { deps } = context;
  const leadsAssigned = (run.leadsAssigned ?? 0) + work.assigned;
  const endedAt = deps.now().toISOString();
  await deps.runs.finishRun(run, fence, {
    endedAt,
    membersServed: work.served,
    membersShort: work.stats.membersShort,
    membersNotified: work.notified,
    notifiedUnknown: work.notifiedUnknown,
    membersNotMailed: work.notMailed,
    uploadsExhausted: work.uploadsExhausted,
  });
  const counters = await deps.supply.globalCounters();
  const supplyWeeksLeft = weeksOfSupply(
    Number(counters.leadsAvailable ?? 0),
    Number(counters.weeklyDemand ?? 0),
  );
  const summary: RunSummary = {
    runId: run.runId,
    outcome: 'succeeded',
    state: 'succeeded',
    trigger: run.trigger,
    weekKey: run.weekKey,
    timeZone: run.timeZone,
    leadsAssigned,
    membersServed: work.served,
    membersShort: work.stats.membersShort,
    membersNotified: work.notified,
    notifiedUnknown: work.notifiedUnknown,
    membersNotMailed: work.notMailed,
    shortfall: work.stats.shortfall,
    uploadsTouched: [...work.uploads].sort(),
    uploadsExhausted: work.uploadsExhausted,
    ...(supplyWeeksLeft === undefined ? {} : { supplyWeeksLeft }),
  };
  await heartbeat(
    context,
    run,
    'succeeded',
    { leadsAssigned, membersServed: work.served, lastSuccessAt: endedAt },
    fence,
  );
  await deps.lock.release(attemptId);
  deps.logger.info('distribution run finished', {
    ...summary,
    uploadsTouched: summary.uploadsTouched.length,
  });
  deps.metrics.record(summary);
  return summary;
};

/** Records a failed attempt (unless another attempt took the run over); its checkpoint stays for the retry. */
export const failAttempt = async (
  context: RunContext,
  run: StoredRun,
  { attemptId, fence }: Holder,
  error: unknown,
) => {
  const { deps } = context;
  const message = (error as Error).message ?? String(error);
  deps.logger.error('distribution run attempt failed', { runId: run.runId, error });
  if (!(error instanceof LostRunError)) {
    await deps.runs
      .failRun(run, fence, message.slice(0, 1000), deps.now().toISOString())
      .catch((cause) =>
        deps.logger.error('could not record the failure', { runId: run.runId, error: cause }),
      );
    await heartbeat(context, run, 'failed', { error: message.slice(0, 300) }, fence).catch(() => undefined);
    await deps.lock.release(attemptId).catch(() => undefined);
  }
  deps.metrics.record({ outcome: 'failed' });
};
