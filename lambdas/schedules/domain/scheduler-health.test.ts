import { describe, expect, it } from 'vitest';
import type { RunItem, ScheduleItem } from '../../shared/model';
import { deadLetterQueuesFromEnv } from '../adapters/scheduler-snapshot';
import { assessSchedulerHealth, type SchedulerSnapshot, type ScheduleSnapshot } from './scheduler-health';

const SETTINGS = { overdueSlackMs: 30 * 60_000, syncGraceMs: 5 * 60_000 };
// Monday 2026-11-23 09:00 Europe/Berlin is 08:00 UTC.
const DUE = new Date('2026-11-23T08:00:00Z');
const minutesAfterDue = (minutes: number) => new Date(DUE.getTime() + minutes * 60_000);

const schedule = (overrides: Partial<ScheduleItem> = {}): ScheduleItem => ({
  pk: 'SCHEDULE',
  sk: 's1',
  scheduleId: 's1',
  name: 'monday-morning',
  kind: 'weekly',
  dayOfWeek: 'MON',
  time: '09:00',
  timeZone: 'Europe/Berlin',
  enabled: true,
  version: 1,
  sync: 'synced',
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
  ...overrides,
});

const run = (state: RunItem['state'], overrides: Partial<RunItem> = {}): RunItem => ({
  pk: 'RUN',
  sk: `${DUE.toISOString()}#r1`,
  runId: 'r1',
  runAt: DUE.toISOString(),
  trigger: 'schedule',
  scheduleId: 's1',
  timeZone: 'Europe/Berlin',
  weekKey: '2026-W48',
  state,
  startedAt: minutesAfterDue(1).toISOString(),
  ...(state === 'running' ? {} : { endedAt: minutesAfterDue(2).toISOString() }),
  attempts: 1,
  leadsAssigned: 0,
  expiresAt: 0,
  ...overrides,
});

const snapshot = (
  now: Date,
  overrides: {
    schedules?: ScheduleSnapshot[];
    recentRuns?: RunItem[];
    failures?: RunItem[];
    dlq?: number[];
  } = {},
): SchedulerSnapshot => {
  const [scheduler = 0, ingest = 0, verification = 0] = overrides.dlq ?? [];
  return {
    now,
    heartbeat: { lastRunId: 'r1', lastRunState: 'succeeded', lastRunAt: minutesAfterDue(2).toISOString() },
    recentRuns: overrides.recentRuns ?? [],
    failures: overrides.failures ?? [],
    schedules: overrides.schedules ?? [],
    deadLetterQueues: [
      { name: 'ingest', depth: ingest },
      { name: 'scheduler', depth: scheduler },
      { name: 'verification', depth: verification },
    ],
  };
};

const dueWith = (...runs: RunItem[]): ScheduleSnapshot => ({
  schedule: schedule(),
  lastDueAt: DUE,
  runsSinceDue: runs,
});

describe('the scheduler health verdict', () => {
  it('is healthy when every enabled schedule ran after its due time and nothing is parked', () => {
    const succeeded = run('succeeded');
    const health = assessSchedulerHealth(
      snapshot(minutesAfterDue(90), { schedules: [dueWith(succeeded)], recentRuns: [succeeded] }),
      SETTINGS,
    );
    expect(health).toMatchObject({ verdict: 'healthy', reasons: [], overdueSchedules: 0 });
    expect(health.schedules[0]).toMatchObject({
      lastDueAt: DUE.toISOString(),
      lastDueOutcome: 'succeeded',
      overdue: false,
      nextFireAt: '2026-11-30T08:00:00.000Z',
    });
    expect(health.heartbeat?.ageSeconds).toBe(88 * 60);
  });

  it('turns failing when an enabled schedule is overdue even though no run reported an error', () => {
    const health = assessSchedulerHealth(snapshot(minutesAfterDue(31), { schedules: [dueWith()] }), SETTINGS);
    expect(health.verdict).toBe('failing');
    expect(health.overdueSchedules).toBe(1);
    expect(health.schedules[0]).toMatchObject({ lastDueOutcome: 'not-started', overdue: true });
    expect(health.reasons[0]).toMatch(
      /'monday-morning' was due at 2026-11-23T08:00:00.000Z .*no run started/,
    );
  });

  it('waits for the slack before calling a schedule overdue', () => {
    const health = assessSchedulerHealth(snapshot(minutesAfterDue(29), { schedules: [dueWith()] }), SETTINGS);
    expect(health).toMatchObject({ verdict: 'healthy', overdueSchedules: 0 });
  });

  it('is degraded while the stale-upload sweeper reports stuck uploads, naming them', () => {
    const succeeded = run('succeeded');
    const health = assessSchedulerHealth(
      {
        ...snapshot(minutesAfterDue(90), { schedules: [dueWith(succeeded)], recentRuns: [succeeded] }),
        ingestSweep: { stuckUploads: 1, stuckUploadIds: ['01STUCK'] },
      },
      SETTINGS,
    );
    expect(health).toMatchObject({ verdict: 'degraded', stuckUploads: 1 });
    expect(health.reasons).toEqual([expect.stringContaining('1 upload(s) stuck in ingesting (01STUCK)')]);
  });

  it('is still failing when the overdue schedule has a run that is stuck running', () => {
    const health = assessSchedulerHealth(
      snapshot(minutesAfterDue(45), { schedules: [dueWith(run('running'))] }),
      SETTINGS,
    );
    expect(health.verdict).toBe('failing');
    expect(health.reasons[0]).toMatch(/a run is still going/);
  });

  it('turns failing when the latest run failed, and names its error', () => {
    const failed = run('failed', { error: 'ProvisionedThroughputExceeded' });
    const health = assessSchedulerHealth(
      snapshot(minutesAfterDue(60), {
        schedules: [dueWith(failed)],
        recentRuns: [failed],
        failures: [failed],
      }),
      SETTINGS,
    );
    expect(health.verdict).toBe('failing');
    expect(health.reasons.join('\n')).toMatch(/run r1 failed: ProvisionedThroughputExceeded/);
    expect(health.reasons.join('\n')).toMatch(/The latest run \(r1\) failed/);
  });

  it('is degraded, not failing, when an older run failed but the latest one succeeded', () => {
    const failed = run('failed', { runId: 'r0', error: 'boom' });
    const succeeded = run('succeeded');
    const health = assessSchedulerHealth(
      snapshot(minutesAfterDue(60), {
        schedules: [dueWith(succeeded)],
        recentRuns: [succeeded, failed],
        failures: [failed],
      }),
      SETTINGS,
    );
    expect(health).toMatchObject({ verdict: 'degraded', reasons: ['1 run(s) failed in the last 7 days'] });
  });

  it('turns failing when the scheduler DLQ holds events, and degraded for the other DLQs', () => {
    const succeeded = run('succeeded');
    const base = { schedules: [dueWith(succeeded)], recentRuns: [succeeded] };
    const scheduler = assessSchedulerHealth(
      snapshot(minutesAfterDue(60), { ...base, dlq: [2, 0, 0] }),
      SETTINGS,
    );
    expect(scheduler.verdict).toBe('failing');
    expect(scheduler.reasons).toEqual([
      '2 message(s) in the scheduler dead-letter queue: fix the cause, then redrive them',
    ]);
    const ingest = assessSchedulerHealth(
      snapshot(minutesAfterDue(60), { ...base, dlq: [0, 1, 3] }),
      SETTINGS,
    );
    expect(ingest.verdict).toBe('degraded');
    expect(ingest.reasons).toHaveLength(2);
  });

  it('is degraded when no schedule is enabled, because nothing distributes by itself', () => {
    const health = assessSchedulerHealth(
      snapshot(minutesAfterDue(60), {
        schedules: [{ schedule: schedule({ enabled: false }), runsSinceDue: [] }],
      }),
      SETTINGS,
    );
    expect(health.verdict).toBe('degraded');
    expect(health.schedules[0]).toMatchObject({
      lastDueOutcome: 'not-due',
      overdue: false,
      nextFireAt: null,
    });
  });

  it('is degraded when a schedule has not reached EventBridge Scheduler after the grace period', () => {
    const succeeded = run('succeeded');
    const pending = {
      ...dueWith(succeeded),
      schedule: schedule({ sync: 'pending', syncError: 'ThrottlingException', updatedAt: DUE.toISOString() }),
    };
    const early = assessSchedulerHealth(
      snapshot(minutesAfterDue(4), { schedules: [pending], recentRuns: [succeeded] }),
      SETTINGS,
    );
    expect(early.verdict).toBe('healthy');
    const late = assessSchedulerHealth(
      snapshot(minutesAfterDue(6), { schedules: [pending], recentRuns: [succeeded] }),
      SETTINGS,
    );
    expect(late.verdict).toBe('degraded');
    expect(late.reasons[0]).toMatch(/not mirrored to EventBridge Scheduler \(ThrottlingException\)/);
  });
});

describe('dead-letter queues from the environment', () => {
  it('takes every DLQ_URL_ variable, named in lower case, in name order', () => {
    expect(
      deadLetterQueuesFromEnv({
        DLQ_URL_VERIFICATION: 'https://v',
        DLQ_URL_INGEST: 'https://i',
        OTHER: 'x',
        DLQ_URL_EMPTY: '',
      }),
    ).toEqual([
      { name: 'ingest', url: 'https://i' },
      { name: 'verification', url: 'https://v' },
    ]);
  });
});
