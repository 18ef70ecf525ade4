import { randomBytes } from 'node:crypto';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { documentClient } from '../../fixtures/clients';
import { DynamoAssignmentStore } from '../../lambdas/distribution/adapters/assignment-store';
import { weekKey } from '../../lambdas/schedules/domain/schedule';
import { addCounters } from '../../lambdas/shared/counters';
import {
  GLOBAL_COUNTERS_KEY,
  type LeadStatus,
  type LedgerEntry,
  memberKey,
  memberWeekKey,
  RUN_PK,
} from '../../lambdas/shared/model';
import { type LocalStack, startLocalStack } from '../../local/runtime';
import { ADMIN, callApi, invokeDistribution, runDistributionNow } from '../support/api';
import { queryPartition, seedQueuedUpload, tablesOf } from '../support/distribution';
import { QUIET_ENV } from '../support/local-stack';

/**
 * What members are owed, on dynalite: entitlement that accrues between runs whatever their cadence, a short
 * week made up the next week up to the carry-over cap, a short supply shared in proportion, a mid-week
 * joiner's part week, and a ledger that adds up to the runs. Each test on a fresh local stack (a run takes
 * every eligible member and every queued upload). Runs are dated in the past, one per week or month.
 */

const deliverable = (count: number): LeadStatus[] => Array.from({ length: count }, () => 'deliverable');

describe('entitlement', () => {
  const stack = { current: undefined as unknown as LocalStack, tag: '' };
  beforeEach(async () => {
    stack.current = await startLocalStack({ template: inject('template'), env: QUIET_ENV });
    stack.tag = randomBytes(4).toString('hex');
  });
  afterEach(async () => {
    await stack.current.stop();
  });

  const doc = () => documentClient(stack.current);
  const tables = () => tablesOf(stack.current);

  const manualRunAt = (requestedAt: string) => runDistributionNow(stack.current, { requestedAt });
  const admin = async (method: string, path: string, body?: unknown) => {
    const response = await callApi(stack.current, ADMIN, method, path, body);
    expect(response.status).toBeLessThan(300);
    return response.body;
  };
  const putMember = (memberId: string, tier: string, extra: Record<string, unknown> = {}) =>
    admin('PUT', `/admin/members/${memberId}`, {
      email: `${memberId}-${stack.tag}@members.example`,
      name: `Member ${memberId}`,
      tier,
      subscriptionStatus: 'active',
      ...extra,
    });
  const seed = (uploadId: string, createdAt: string, count: number) =>
    seedQueuedUpload(doc(), tables(), { uploadId, createdAt, statuses: deliverable(count) });
  const assignmentsOf = async (memberId: string) =>
    (await queryPartition(doc(), tables().members, memberKey(memberId).pk, 'ASSIGN#')) as { runId: string }[];
  const ledgerOf = async (memberId: string, ...dates: string[]): Promise<(LedgerEntry | undefined)[]> => {
    const weeks = dates.map((date) => weekKey(new Date(date), 'UTC'));
    const found = await new DynamoAssignmentStore(doc(), tables().members).ledgerWeeks([memberId], weeks);
    return weeks.map((week) => found.get(week)?.get(memberId));
  };

  it('a monthly schedule delivers the four weeks since its last run', async () => {
    await putMember('m', 'starter');
    await seed('U1', '2026-01-01T00:00:00Z', 200);
    await admin('POST', '/admin/schedules', {
      name: 'monthly',
      kind: 'monthly',
      dayOfMonth: 2,
      time: '09:00',
      timeZone: 'UTC',
    });
    const [schedule] = stack.current.scheduler.list();
    const scheduled = (scheduledTime: string) =>
      invokeDistribution(stack.current, {
        trigger: 'schedule',
        scheduleId: schedule?.Name,
        scheduleArn: schedule?.Arn,
        scheduledTime,
      });

    // Monday 2 November: the first run delivers the week it falls in.
    const november = await scheduled('2026-11-02T09:00:00Z');
    // Wednesday 2 December: the weeks of 9, 16, 23 and 30 November have accrued since.
    const december = await scheduled('2026-12-02T09:00:00Z');

    expect(november).toMatchObject({ outcome: 'succeeded', leadsAssigned: 10 });
    expect(december).toMatchObject({ outcome: 'succeeded', leadsAssigned: 40 });
    const [, entry] = await ledgerOf('m', '2026-11-02T09:00:00Z', '2026-12-02T09:00:00Z');
    expect(entry).toMatchObject({
      accruedFrom: '2026-11-09T00:00:00.000Z',
      accruedThrough: '2026-12-07T00:00:00.000Z',
      accrued: 40,
      carriedIn: 0,
      owed: 40,
      received: 40,
    });
  });

  it('makes a short week up the next week, carrying over at most one weekly quota', async () => {
    await putMember('m', 'starter');
    await seed('U1', '2026-01-01T00:00:00Z', 4);

    const week1 = await manualRunAt('2026-10-05T09:00:00Z');
    const week2 = await manualRunAt('2026-10-12T09:00:00Z');
    await seed('U2', '2026-01-02T00:00:00Z', 100);
    const week3 = await manualRunAt('2026-10-19T09:00:00Z');

    expect([week1, week2, week3].map((run) => run.leadsAssigned)).toEqual([4, 0, 20]);
    const ledger = await ledgerOf('m', '2026-10-05', '2026-10-12', '2026-10-19');
    expect(ledger.map((entry) => [entry?.accrued, entry?.carriedIn, entry?.owed, entry?.received])).toEqual([
      [10, 0, 10, 4],
      // six short from the first week: carried in whole
      [10, 6, 16, 0],
      // sixteen short from the second: capped at one week's quota
      [10, 10, 20, 20],
    ]);
  });

  it('shares a short supply in proportion to what each is owed: 100 leads for 10/25/50/100 are 5/14/27/54', async () => {
    for (const tier of ['starter', 'growth', 'pro', 'elite']) await putMember(tier, tier);
    await seed('U1', '2026-01-01T00:00:00Z', 100);

    const run = await manualRunAt('2026-10-05T09:00:00Z');

    expect(run).toMatchObject({ leadsAssigned: 100, membersShort: 4 });
    const got = await Promise.all(
      ['starter', 'growth', 'pro', 'elite'].map(async (tier) => (await assignmentsOf(tier)).length),
    );
    expect(got).toEqual([5, 14, 27, 54]);
  });

  it('a member who joins mid-week is owed that week pro rata', async () => {
    await putMember('standing', 'elite');
    // Wednesday noon: four and a half of the week's seven days are left.
    await putMember('joiner', 'elite', { subscriptionStartedAt: '2026-10-07T12:00:00Z' });
    await seed('U1', '2026-01-01T00:00:00Z', 300);

    await manualRunAt('2026-10-09T09:00:00Z');

    expect((await assignmentsOf('standing')).length).toBe(100);
    expect((await assignmentsOf('joiner')).length).toBe(64);
    const [entry] = await ledgerOf('joiner', '2026-10-09');
    expect(entry).toMatchObject({ accruedFrom: '2026-10-07T12:00:00.000Z', accrued: 64, owed: 64 });
  });

  it('accrues nothing while a member is paused: back from a pause, they are owed from then on', async () => {
    await putMember('m', 'starter');
    await seed('U1', '2026-01-01T00:00:00Z', 100);
    const lastWeek = new Date(Date.now() - 7 * 86_400_000).toISOString();
    await manualRunAt(lastWeek);
    await putMember('m', 'starter', { weeklyQuotaOverride: 0 });
    const resumedAt = Date.now();
    await putMember('m', 'starter', { weeklyQuotaOverride: null });

    await manualRunAt(new Date().toISOString());

    const [entry] = await ledgerOf('m', new Date().toISOString());
    expect(Date.parse(entry?.accruedFrom ?? '')).toBeGreaterThanOrEqual(resumedAt - 1_000);
    expect(entry?.carriedIn).toBe(0);
    expect(entry?.accrued).toBeLessThanOrEqual(10);
  });

  it('serves the ledger to the admin and to the member: owed, carried over, received by run, short and why', async () => {
    await putMember('m', 'starter');
    await seed('U1', '2026-01-01T00:00:00Z', 4);
    const now = new Date();
    const lastWeek = new Date(now.getTime() - 7 * 86_400_000).toISOString();
    const short = await manualRunAt(lastWeek);
    const thisWeek = await manualRunAt(now.toISOString());
    await putMember('m', 'starter', { weeklyQuotaOverride: 0 });

    const ledger = await admin('GET', '/admin/members/m/ledger?weeks=2');
    const token = await stack.current.identity.mint({ sub: 'm', role: 'member' });
    const own = await fetch(`${stack.current.url}/members/me/ledger?weeks=2`, {
      headers: { Authorization: `Bearer ${token}` },
    });

    const expected = {
      memberId: 'm',
      timeZone: 'UTC',
      notOwed: 'paused',
      weeks: [
        {
          weekKey: weekKey(now, 'UTC'),
          accrued: 10,
          carriedIn: 6,
          owed: 16,
          received: 0,
          runs: [],
          short: 16,
          shortReason: 'paused',
        },
        {
          weekKey: weekKey(new Date(lastWeek), 'UTC'),
          accrued: 10,
          carriedIn: 0,
          owed: 10,
          received: 4,
          runs: [{ runId: short.runId, received: 4 }],
          short: 6,
          shortReason: 'supply_short',
        },
      ],
      totals: { accrued: 20, received: 4 },
    };
    expect(thisWeek.leadsAssigned).toBe(0);
    expect(ledger).toMatchObject(expected);
    expect(own.status).toBe(200);
    expect(await own.json()).toEqual(ledger);
  });

  it("takes an existing member's week tally from before the ledger as what they received this week", async () => {
    await putMember('m', 'starter');
    await seed('U1', '2026-01-01T00:00:00Z', 20);
    const runAt = '2026-10-07T09:00:00Z';
    const week = weekKey(new Date(runAt), 'UTC');
    await doc().send(
      new PutCommand({
        TableName: tables().members,
        Item: {
          ...memberWeekKey('m', week),
          memberId: 'm',
          weekKey: week,
          received: 6,
          runId: 'a-run-before-the-ledger',
          receivedBeforeRun: 0,
          lastServedAt: '2026-10-05T09:00:00.000Z',
          lastServedBeforeRun: null,
          expiresAt: Math.floor(Date.now() / 1000) + 86_400,
        },
      }),
    );

    const run = await manualRunAt(runAt);

    expect(run.leadsAssigned).toBe(4);
    const [entry] = await ledgerOf('m', runAt);
    expect(entry).toMatchObject({
      owed: 10,
      received: 10,
      runs: { 'a-run-before-the-ledger': 6, [run.runId]: 4 },
    });
  });

  it('forecasts from the schedules: the overview names the first scheduled run that falls short, and by how much', async () => {
    await putMember('p', 'pro');
    // 120 leads (180 with those in verification) for 50 a week: 100 go before the last 20 are short of a
    // week's 50 (and 150 before the last 30 are), whether the first run also takes what is left of this week.
    await seed('U1', '2026-01-01T00:00:00Z', 120);
    // What verification counts while an upload's leads are still being verified.
    await addCounters(doc(), tables().control, GLOBAL_COUNTERS_KEY, { leadsPendingVerification: 60 });
    await admin('POST', '/admin/schedules', {
      name: 'weekly',
      kind: 'weekly',
      dayOfWeek: 'MON',
      time: '09:00',
      timeZone: 'UTC',
    });

    const { supply } = (await admin('GET', '/admin/overview')) as {
      supply: { forecast: Record<string, unknown> & { withVerification: Record<string, unknown> } };
    };

    expect(supply.forecast).toMatchObject({
      leadsInVerification: 60,
      firstShortRun: { name: 'weekly', owed: 50, available: 20, short: 30 },
      withVerification: { firstShortRun: { name: 'weekly', owed: 50, available: 30, short: 20 } },
    });
  });

  it("each member's ledger adds up to the run records and the leads they hold", async () => {
    await putMember('a', 'starter');
    await putMember('b', 'growth');
    await seed('U1', '2026-01-01T00:00:00Z', 20);
    const dates = ['2026-10-05T09:00:00Z', '2026-10-08T09:00:00Z', '2026-10-12T09:00:00Z'];
    const first = await manualRunAt(dates[0] as string);
    await seed('U2', '2026-01-02T00:00:00Z', 30);
    const second = await manualRunAt(dates[1] as string);
    await seed('U3', '2026-01-03T00:00:00Z', 60);
    const third = await manualRunAt(dates[2] as string);

    const runItems =
      (
        await doc().send(
          new QueryCommand({
            TableName: tables().control,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': RUN_PK },
          }),
        )
      ).Items ?? [];
    const recorded = new Map(runItems.map((item) => [item.runId as string, Number(item.leadsAssigned)]));
    const fromLedgers = new Map<string, number>();
    for (const memberId of ['a', 'b']) {
      // The first two runs share a week, so two weeks hold the member's ledger.
      const entries = (await ledgerOf(memberId, dates[0] as string, dates[2] as string)).filter(
        (entry) => entry !== undefined,
      );
      const held = await assignmentsOf(memberId);
      const byRun = new Map<string, number>();
      for (const entry of entries) {
        expect(Object.values(entry.runs).reduce((sum, count) => sum + count, 0)).toBe(entry.received);
        for (const [runId, count] of Object.entries(entry.runs))
          byRun.set(runId, (byRun.get(runId) ?? 0) + count);
      }
      for (const runId of byRun.keys())
        expect(byRun.get(runId)).toBe(held.filter((assignment) => assignment.runId === runId).length);
      expect([...byRun.values()].reduce((sum, count) => sum + count, 0)).toBe(held.length);
      for (const [runId, count] of byRun) fromLedgers.set(runId, (fromLedgers.get(runId) ?? 0) + count);
    }
    for (const run of [first, second, third])
      expect(fromLedgers.get(run.runId) ?? 0).toBe(recorded.get(run.runId));
    expect([first, second, third].map((run) => run.leadsAssigned)).toEqual([20, 15, 35]);
  });
});
