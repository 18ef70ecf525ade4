import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../lambdas/distribution/domain/run';
import { dstNotices, parseScheduleInput } from '../../lambdas/schedules/domain/schedule';
import { localIso } from '../../lambdas/schedules/domain/schedule-view';
import { ADMIN, callApi } from '../support/api';
import { QUIET_ENV, useLocalStack } from '../support/local-stack';

/**
 * Schedules through the local API Gateway front door, the admin API and the local EventBridge Scheduler
 * (which the admin API reaches through the real @aws-sdk/client-scheduler), and the distribution runs the
 * local Scheduler fires from them.
 */

interface ScheduleBody {
  schedule: {
    id: string;
    expression: string;
    enabled: boolean;
    sync: string;
    syncError?: string;
    nextRuns: { at: string; local: string }[];
    dstNotices: { date: string; kind: string }[];
  };
  schedules: { id: string; sync: string }[];
  message: string;
  details: { errors: { field: string; message: string }[] };
  runId: string;
  startsAt: string;
}

describe('schedules', () => {
  const stack = useLocalStack({
    env: QUIET_ENV,
  });

  const call = (method: string, path: string, body?: unknown) =>
    callApi<ScheduleBody>(stack.current, ADMIN, method, path, body);
  const held = (id: string) => stack.current.scheduler.list().find((schedule) => schedule.Name === id);

  it('creates a schedule, mirrors it to Scheduler and shows its next three runs in its zone', async () => {
    const created = await call('POST', '/admin/schedules', {
      name: 'berlin-monday',
      kind: 'weekly',
      dayOfWeek: 'MON',
      time: '07:15',
      timeZone: 'Europe/Berlin',
    });

    expect(created.status).toBe(201);
    const { schedule } = created.body;
    expect(schedule).toMatchObject({ expression: 'cron(15 7 ? * MON *)', enabled: true, sync: 'synced' });
    expect(schedule.nextRuns).toHaveLength(3);
    for (const run of schedule.nextRuns) {
      expect(run.local).toMatch(/T07:15:00\+0[12]:00$/);
      expect(localIso(new Date(run.at), 'Europe/Berlin')).toBe(run.local);
      expect(new Date(run.at).getTime()).toBeGreaterThan(Date.now());
    }
    expect(held(schedule.id)).toMatchObject({
      GroupName: 'proleads-dev',
      ScheduleExpression: 'cron(15 7 ? * MON *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      State: 'ENABLED',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        RetryPolicy: { MaximumRetryAttempts: 20, MaximumEventAgeInSeconds: 21_600 },
        DeadLetterConfig: { Arn: expect.stringContaining('SchedulerDeadLetterQueue') },
      },
    });
    expect(JSON.parse(held(schedule.id)?.Target.Input ?? '{}')).toMatchObject({
      trigger: 'schedule',
      scheduleId: schedule.id,
      scheduleArn: '<aws.scheduler.schedule-arn>',
      scheduledTime: '<aws.scheduler.scheduled-time>',
    });
    const listed = await call('GET', '/admin/schedules');
    expect(listed.body.schedules.map((item) => item.id)).toContain(schedule.id);
    expect((await call('GET', `/admin/schedules/${schedule.id}`)).body.schedule.id).toBe(schedule.id);
  });

  it.each([
    [{ timeZone: 'Mars/Olympus_Mons' }, 'timeZone', "'Mars/Olympus_Mons' is not a known IANA time zone"],
    [{ time: '25:00' }, 'time', "hour 25 is out of range 00-23 in '25:00'"],
    [{ time: '9am' }, 'time', "must be 'HH:MM'"],
    [{ dayOfWeek: 'FUNDAY' }, 'dayOfWeek', 'must be one of MON, TUE, WED, THU, FRI, SAT, SUN'],
    // A dayOfMonth out of 1-28 or an unknown field never gets here: the request model refuses it at the
    // gateway (test/integration/request-models.test.ts).
  ])('refuses %j with a 400 that names %s', async (change, field, message) => {
    const response = await call('POST', '/admin/schedules', {
      name: 'bad',
      kind: 'weekly',
      dayOfWeek: 'MON',
      time: '09:00',
      timeZone: 'UTC',
      ...change,
    });
    expect(response.status).toBe(400);
    expect(response.body.message).toContain(message);
    expect(response.body.details.errors).toContainEqual(expect.objectContaining({ field }));
  });

  it('changes, disables and deletes a schedule in Scheduler as in the table', async () => {
    const { body } = await call('POST', '/admin/schedules', {
      name: 'changing',
      kind: 'weekly',
      dayOfWeek: 'FRI',
      time: '16:00',
      timeZone: 'America/New_York',
    });
    const id = body.schedule.id;

    const monthly = await call('PUT', `/admin/schedules/${id}`, {
      name: 'changing',
      kind: 'monthly',
      dayOfMonth: 1,
      time: '08:00',
      timeZone: 'Asia/Tokyo',
      enabled: false,
    });
    expect(monthly.status).toBe(200);
    expect(monthly.body.schedule).toMatchObject({
      expression: 'cron(0 8 1 * ? *)',
      enabled: false,
      nextRuns: [],
    });
    expect(held(id)).toMatchObject({
      ScheduleExpression: 'cron(0 8 1 * ? *)',
      ScheduleExpressionTimezone: 'Asia/Tokyo',
      State: 'DISABLED',
    });

    expect((await call('DELETE', `/admin/schedules/${id}`)).status).toBe(204);
    expect(held(id)).toBeUndefined();
    expect((await call('GET', `/admin/schedules/${id}`)).status).toBe(404);
    expect((await call('PUT', `/admin/schedules/${id}`, monthly.body.schedule)).status).toBe(400);
    expect((await call('GET', '/admin/schedules/not-an-id')).status).toBe(400);
  });

  it('saves a change Scheduler refused as pending, and the next read repairs it', async () => {
    // The SDK retries a 500 twice itself: three failures make the call fail.
    stack.current.scheduler.failNextCalls(3);
    const created = await call('POST', '/admin/schedules', {
      name: 'repaired',
      kind: 'weekly',
      dayOfWeek: 'TUE',
      time: '10:00',
      timeZone: 'UTC',
    });
    expect(created.status).toBe(202);
    expect(created.body.schedule).toMatchObject({
      sync: 'pending',
      syncError: expect.stringContaining('InternalServerException'),
    });
    const id = created.body.schedule.id;
    expect(held(id)).toBeUndefined();

    const listed = await call('GET', '/admin/schedules');
    expect(listed.body.schedules.find((item) => item.id === id)).toMatchObject({ sync: 'synced' });
    expect(held(id)).toMatchObject({ ScheduleExpression: 'cron(0 10 ? * TUE *)' });

    stack.current.scheduler.failNextCalls(3);
    const deleting = await call('DELETE', `/admin/schedules/${id}`);
    expect(deleting.status).toBe(202);
    expect(held(id)).toBeDefined();
    expect((await call('GET', `/admin/schedules/${id}`)).status).toBe(404);
    expect(held(id)).toBeUndefined();
  });

  it('fires at the cron times in the schedule zone, skipping the run a DST change removes', async () => {
    const spec = {
      name: 'ny-sunday',
      kind: 'weekly',
      dayOfWeek: 'SUN',
      time: '02:30',
      timeZone: 'America/New_York',
    };
    const { body } = await call('POST', '/admin/schedules', spec);
    const skipped = dstNotices(parseScheduleInput(spec), new Date()).find(
      (notice) => notice.kind === 'skipped',
    );
    if (!skipped) throw new Error('New York always has a spring-forward day within a year');
    expect(body.schedule.dstNotices).toContainEqual(skipped);
    const weekAfter = new Date(Date.parse(`${skipped.date}T12:00:00Z`) + 7 * 86_400_000);

    const invocations = (await stack.current.scheduler.runDue(weekAfter)).filter(
      (invocation) => invocation.schedule === body.schedule.id,
    );

    const local = invocations.map((invocation) =>
      localIso(new Date(invocation.scheduledTime), spec.timeZone),
    );
    expect(local.every((time) => time.slice(10, 19) === 'T02:30:00')).toBe(true);
    expect(local.some((time) => time.startsWith(skipped.date))).toBe(false);
    expect(local.at(-1)).toMatch(/-04:00$/);
    expect(local.at(-2)).toMatch(/-05:00$/);
    // Every Sunday from now to a week after the change, but the one without 02:30.
    const sundays = Math.floor((weekAfter.getTime() - Date.now()) / (7 * 86_400_000));
    expect(invocations.length).toBeGreaterThanOrEqual(sundays - 1);
    for (const invocation of invocations) {
      expect(invocation.outcome).toBe('succeeded');
      const summary = invocation.result as RunSummary;
      expect(summary).toMatchObject({ trigger: 'schedule', timeZone: 'America/New_York' });
    }
  });

  it('runs a distribution now through a one-time schedule that deletes itself', async () => {
    const accepted = await call('POST', '/admin/distributions', { timeZone: 'Europe/Berlin' });
    expect(accepted.status).toBe(202);
    const { runId, startsAt } = accepted.body;
    expect(held(`run-${runId}`)).toMatchObject({
      ScheduleExpression: `at(${startsAt.slice(0, 19)})`,
      ActionAfterCompletion: 'DELETE',
    });

    const [invocation] = (await stack.current.scheduler.runDue(new Date(startsAt))).filter(
      (candidate) => candidate.schedule === `run-${runId}`,
    );

    expect(invocation?.result).toMatchObject({
      runId,
      trigger: 'manual',
      outcome: 'succeeded',
      timeZone: 'Europe/Berlin',
    });
    expect(held(`run-${runId}`)).toBeUndefined();
    const runs = (await call('GET', '/admin/distributions?limit=100')).body as unknown as {
      runs: { runId: string }[];
    };
    expect(runs.runs.map((run) => run.runId)).toContain(runId);

    expect((await call('POST', '/admin/distributions', { timeZone: 'Nowhere/Special' })).status).toBe(400);
    expect((await call('POST', '/admin/distributions', { now: true })).status).toBe(400);
    stack.current.scheduler.failNextCalls(3);
    const refused = await call('POST', '/admin/distributions', {});
    expect(refused.status).toBe(503);
    expect(refused.body.message).toContain('nothing was started');
  });
});
