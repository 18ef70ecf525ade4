import { randomBytes } from 'node:crypto';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { documentClient } from '../../fixtures/clients';
import type { RunSummary } from '../../lambdas/distribution/domain/run';
import { DryRunPlanSchema } from '../../lambdas/functions/admin-api/answers';
import { createHandler } from '../../lambdas/functions/distribution/handler';
import {
  GLOBAL_COUNTERS_KEY,
  HEARTBEAT_KEY,
  type LeadStatus,
  memberKey,
  NOT_ELIGIBLE_INDEX_PK,
  RUN_PK,
  uploadKey,
  weekCountersKey,
} from '../../lambdas/shared/model';
import { type LocalStack, startLocalStack } from '../../local/runtime';
import {
  ADMIN,
  callApi,
  distributionFunctionOf,
  invokeDistribution,
  runDistributionNow,
} from '../support/api';
import {
  interceptDoc,
  isLeadClaim,
  isNotificationClaim,
  isNotificationRecord,
  mailsTo,
  queryPartition,
  seedQueuedUpload,
  tablesOf,
} from '../support/distribution';
import { loadEvent } from '../support/events';
import { QUIET_ENV } from '../support/local-stack';

/**
 * The distribution function on dynalite and the SES emulator, each test on a fresh local stack (a run
 * takes every eligible member and every queued upload, so tests must not see each other's data).
 * Uploads and leads are seeded as ingest and verification leave them.
 */

const useFreshStack = (env: Record<string, string> = {}) => {
  const holder = { current: undefined as unknown as LocalStack, tag: '', env: { ...QUIET_ENV, ...env } };
  beforeEach(async () => {
    holder.current = await startLocalStack({ template: inject('template'), env: { ...QUIET_ENV, ...env } });
    holder.tag = randomBytes(4).toString('hex');
  });
  afterEach(async () => {
    await holder.current.stop();
  });
  return holder;
};

const deliverable = (count: number): LeadStatus[] => Array.from({ length: count }, () => 'deliverable');
const noContext = { getRemainingTimeInMillis: () => 900_000 };

describe('distribution runs', () => {
  const stack = useFreshStack({ WINDOW_SIZE: '5', NOTIFY_CHUNK_SIZE: '2', JOIN_POLL_MS: '50' });
  /** The environment the local runtime gives the function, for a handler built by the test itself. */
  const functionEnv = (extra: Record<string, string> = {}) =>
    stack.current.resources.functionEnv(distributionFunctionOf(stack.current), { ...stack.env, ...extra });

  const doc = () => documentClient(stack.current);
  const tables = () => tablesOf(stack.current);
  const emailOf = (memberId: string) => `${memberId}-${stack.tag}@members.example`;

  const invoke = (event: unknown) => invokeDistribution(stack.current, event);
  const manualRun = (runId = ulid()) => ({
    trigger: 'manual',
    runId,
    requestedAt: new Date().toISOString(),
    requestedBy: 'admin-1',
  });
  const putMember = async (memberId: string, tier: string, extra: Record<string, unknown> = {}) => {
    const response = await callApi(stack.current, ADMIN, 'PUT', `/admin/members/${memberId}`, {
      email: emailOf(memberId),
      name: `Member ${memberId}`,
      tier,
      subscriptionStatus: 'active',
      ...extra,
    });
    expect(response.status).toBeLessThan(300);
  };
  const seed = (uploadId: string, createdAt: string, statuses: LeadStatus[]) =>
    seedQueuedUpload(doc(), tables(), { uploadId, createdAt, statuses });
  const assignmentsOf = async (memberId: string) =>
    (await queryPartition(doc(), tables().members, memberKey(memberId).pk, 'ASSIGN#')) as {
      uploadId: string;
      row: number;
      email: string;
      runId: string;
    }[];
  const leadsOf = async (uploadId: string) =>
    (await queryPartition(doc(), tables().uploads, uploadKey(uploadId).pk, 'LEAD#')) as {
      row: number;
      status: string;
      assignedCount?: number;
      assignedTo?: Set<string>;
    }[];
  const globalCounters = async () =>
    (await doc().send(new GetCommand({ TableName: tables().control, Key: GLOBAL_COUNTERS_KEY }))).Item ?? {};
  const uploadItem = async (uploadId: string) =>
    (await doc().send(new GetCommand({ TableName: tables().uploads, Key: uploadKey(uploadId) }))).Item ?? {};
  const runs = async () =>
    (
      await doc().send(
        new QueryCommand({
          TableName: tables().control,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': RUN_PK },
        }),
      )
    ).Items ?? [];
  const dryRun = async () => {
    const response = await callApi(stack.current, ADMIN, 'POST', '/admin/distributions', { dryRun: true });
    expect(response.status).toBe(200);
    // Exactly the documented plan: what the console's generated client reads.
    return DryRunPlanSchema.parse(response.body);
  };
  /** No lead went to the same member twice or to more members than allowed, across all these members. */
  const expectNoLeadTwice = async (memberIds: string[], maxPerLead = 1) => {
    const holders = new Map<string, string[]>();
    for (const memberId of memberIds) {
      for (const assignment of await assignmentsOf(memberId)) {
        const leadId = `${assignment.uploadId}#${assignment.row}`;
        holders.set(leadId, [...(holders.get(leadId) ?? []), memberId]);
      }
    }
    for (const [leadId, members] of holders) {
      expect(new Set(members).size, `lead ${leadId} twice to one member`).toBe(members.length);
      expect(members.length, `lead ${leadId} to too many members`).toBeLessThanOrEqual(maxPerLead);
    }
    return holders;
  };

  it('tops members up to their quota, oldest upload first, deliverable leads only, one email each', async () => {
    await putMember('a', 'starter');
    await putMember('b', 'growth');
    await putMember('c', 'starter', { weeklyQuotaOverride: 3 });
    await putMember('d', 'elite', { subscriptionStatus: 'canceled' });
    const oldStatuses: LeadStatus[] = [...deliverable(5), 'rejected', ...deliverable(5), 'rejected'];
    await seed('OLD', '2026-01-01T00:00:00Z', oldStatuses);
    await seed('NEW', '2026-02-01T00:00:00Z', deliverable(30));
    await seed('NEWEST', '2026-03-01T00:00:00Z', deliverable(10));

    const summary = await invoke(manualRun());

    expect(summary).toMatchObject({
      outcome: 'succeeded',
      leadsAssigned: 38,
      membersServed: 3,
      membersShort: 0,
      membersNotified: 3,
      uploadsTouched: ['NEW', 'OLD'],
      uploadsExhausted: ['OLD'],
    });
    expect((await assignmentsOf('a')).length).toBe(10);
    expect((await assignmentsOf('b')).length).toBe(25);
    expect((await assignmentsOf('c')).length).toBe(3);
    expect(await assignmentsOf('d')).toEqual([]);
    // Strictly oldest first: every deliverable lead of OLD went out before NEWEST was opened.
    const old = await leadsOf('OLD');
    expect(
      old.filter((lead) => lead.status === 'deliverable').every((lead) => lead.assignedCount === 1),
    ).toBe(true);
    expect(
      old.filter((lead) => lead.status === 'rejected').every((lead) => lead.assignedCount === undefined),
    ).toBe(true);
    expect((await leadsOf('NEW')).filter((lead) => lead.assignedCount === 1)).toHaveLength(28);
    expect((await leadsOf('NEWEST')).some((lead) => lead.assignedCount !== undefined)).toBe(false);
    const holders = await expectNoLeadTwice(['a', 'b', 'c']);
    expect(holders.size).toBe(38);

    expect((await uploadItem('OLD')).state).toBe('exhausted');
    expect((await uploadItem('NEW')).state).toBe('queued');
    expect(await uploadItem('OLD')).toMatchObject({ assigned: 10 });
    expect(await uploadItem('NEW')).toMatchObject({ assigned: 28 });
    expect(await globalCounters()).toMatchObject({
      leadsAssigned: 38,
      leadsAvailable: 50 - 38,
      queuedUploads: 2,
    });
    const counters = await globalCounters();
    expect(counters.inflight).toBeUndefined();
    const week = (
      await doc().send(new GetCommand({ TableName: tables().control, Key: weekCountersKey(summary.weekKey) }))
    ).Item;
    expect(week).toMatchObject({ leadsAssigned: 38 });

    const mails = await mailsTo(stack.current, ['a', 'b', 'c', 'd'].map(emailOf));
    expect(mails.map((mail) => mail.destination.to[0]).sort()).toEqual(['a', 'b', 'c'].map(emailOf));
    expect(mails.find((mail) => mail.destination.to[0] === emailOf('b'))?.subject).toContain('25 new leads');
    const heartbeat = (await doc().send(new GetCommand({ TableName: tables().control, Key: HEARTBEAT_KEY })))
      .Item;
    expect(heartbeat).toMatchObject({ lastRunId: summary.runId, lastRunState: 'succeeded' });
  });

  it('shares a shortfall round-robin and a later run that week tops up, never past the quota', async () => {
    await putMember('a', 'starter');
    await putMember('b', 'starter');
    await seed('U1', '2026-01-01T00:00:00Z', deliverable(7));

    const first = await invoke(manualRun());
    expect(first).toMatchObject({ leadsAssigned: 7, membersShort: 2, shortfall: 13 });
    const counts = [(await assignmentsOf('a')).length, (await assignmentsOf('b')).length].sort();
    expect(counts).toEqual([3, 4]);

    await seed('U2', '2026-01-02T00:00:00Z', deliverable(20));
    const second = await invoke(manualRun());
    expect(second).toMatchObject({ leadsAssigned: 13, membersShort: 0, membersServed: 2 });
    expect((await assignmentsOf('a')).length).toBe(10);
    expect((await assignmentsOf('b')).length).toBe(10);

    const third = await invoke(manualRun());
    expect(third).toMatchObject({ leadsAssigned: 0, membersServed: 0, membersNotified: 0 });
    expect(await mailsTo(stack.current, [emailOf('a'), emailOf('b')])).toHaveLength(4);
    await expectNoLeadTwice(['a', 'b']);
  });

  it('records a second run as skipped while another holds the lock, and assigns nothing twice', async () => {
    await putMember('a', 'growth');
    await putMember('b', 'growth');
    await seed('U1', '2026-01-01T00:00:00Z', deliverable(40));
    const env = functionEnv();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reachedGate: () => void = () => undefined;
    const atGate = new Promise<void>((resolve) => {
      reachedGate = resolve;
    });
    // Run A stops at its first lead claim, holding the lock, until run B has come and gone.
    const held = createHandler(env, {
      doc: interceptDoc(doc(), async (command) => {
        if (isLeadClaim(command)) {
          reachedGate();
          await gate;
        }
      }),
    });
    const runA = held(manualRun(), noContext);
    await atGate;
    const runB = await invoke(manualRun());
    release();
    const summaryA = await runA;

    expect(runB).toMatchObject({ outcome: 'skipped', leadsAssigned: 0 });
    expect(runB.skippedReason).toContain(summaryA.runId);
    expect(summaryA).toMatchObject({ outcome: 'succeeded', leadsAssigned: 40 });
    const states = (await runs()).map((run) => run.state).sort();
    expect(states).toEqual(['skipped', 'succeeded']);
    await expectNoLeadTwice(['a', 'b']);
  });

  it('resumes a run that crashed after 7 lead writes: no lead twice, no second email, same totals', async () => {
    for (const id of ['a', 'b', 'c']) await putMember(id, 'starter');
    await seed('U1', '2026-01-01T00:00:00Z', deliverable(12));
    await seed('U2', '2026-01-02T00:00:00Z', deliverable(12));
    const planned = await dryRun();
    const event = manualRun();
    const env = functionEnv();
    let claims = 0;
    const crashing = createHandler(env, {
      doc: interceptDoc(doc(), (command) => {
        if (isLeadClaim(command) && ++claims > 7) throw new Error('injected crash after 7 lead writes');
      }),
    });
    await expect(crashing(event, noContext)).rejects.toThrow('injected crash');
    expect((await runs())[0]).toMatchObject({ state: 'failed', attempts: 1 });

    const retried = await invoke(event);

    expect(retried).toMatchObject({
      outcome: 'succeeded',
      leadsAssigned: 24,
      membersServed: 3,
      membersShort: 3,
    });
    const holders = await expectNoLeadTwice(['a', 'b', 'c']);
    expect(holders.size).toBe(24);
    // The resumed run made the plan the run began with: the dry run's, member by member and upload by upload.
    for (const member of planned.members) {
      const fromUploads = new Map<string, number>();
      for (const assignment of await assignmentsOf(member.memberId))
        fromUploads.set(assignment.uploadId, (fromUploads.get(assignment.uploadId) ?? 0) + 1);
      expect(Object.fromEntries(fromUploads)).toEqual(
        Object.fromEntries(member.fromUploads.map((from) => [from.uploadId, from.count])),
      );
    }
    expect(planned.members.map((member) => member.planned)).toEqual([8, 8, 8]);
    expect(await globalCounters()).toMatchObject({ leadsAssigned: 24, leadsAvailable: 0, queuedUploads: 0 });
    expect((await mailsTo(stack.current, ['a', 'b', 'c'].map(emailOf))).length).toBe(3);
    const [run] = await runs();
    expect(run).toMatchObject({ state: 'succeeded', attempts: 2, leadsAssigned: 24 });
    expect(await invoke(event)).toMatchObject({ outcome: 'duplicate', leadsAssigned: 24 });
  });

  it('a retry joins an attempt that died holding the lock, waits for its lease, then resumes', async () => {
    await putMember('a', 'starter');
    await seed('U1', '2026-01-01T00:00:00Z', deliverable(10));
    const event = manualRun();
    const env = functionEnv({ LOCK_LEASE_SECONDS: '1' });
    let claims = 0;
    // After 4 lead writes every request fails: the attempt cannot even record its failure or free the lock.
    const dying = createHandler(env, {
      doc: interceptDoc(doc(), (command) => {
        if (isLeadClaim(command)) claims += 1;
        if (claims > 4) throw new Error('the process died');
      }),
    });
    await expect(dying(event, noContext)).rejects.toThrow('the process died');

    const resumed = await createHandler(env)(event, noContext);

    expect(resumed).toMatchObject({ outcome: 'succeeded', leadsAssigned: 10 });
    expect((await assignmentsOf('a')).length).toBe(10);
    expect((await leadsOf('U1')).every((lead) => lead.assignedCount === 1)).toBe(true);
    expect(await mailsTo(stack.current, [emailOf('a')])).toHaveLength(1);
  });

  it('a run retried after a crash while mailing never mails a claimed member again', async () => {
    for (const id of ['a', 'b', 'c', 'd', 'e']) await putMember(id, 'starter', { weeklyQuotaOverride: 1 });
    await seed('U1', '2026-01-01T00:00:00Z', deliverable(5));
    const event = manualRun();
    const env = functionEnv();
    let chunkClaims = 0;
    // Chunks hold 2 members: the crash comes as the second chunk is claimed, after the first was mailed.
    const crashing = createHandler(env, {
      doc: interceptDoc(doc(), (command) => {
        const pk = String((command.input.Item as { pk?: string } | undefined)?.pk ?? '');
        if (command.constructor.name === 'PutCommand' && pk.startsWith('NOTIFY#') && ++chunkClaims === 2)
          throw new Error('injected crash while mailing');
      }),
    });
    await expect(crashing(event, noContext)).rejects.toThrow('injected crash');
    expect(await mailsTo(stack.current, ['a', 'b', 'c', 'd', 'e'].map(emailOf))).toHaveLength(2);

    const retried = await invoke(event);

    expect(retried).toMatchObject({
      outcome: 'succeeded',
      leadsAssigned: 5,
      membersServed: 5,
      membersNotified: 5,
    });
    const mails = await mailsTo(stack.current, ['a', 'b', 'c', 'd', 'e'].map(emailOf));
    expect(mails.map((mail) => mail.destination.to[0]).sort()).toEqual(
      ['a', 'b', 'c', 'd', 'e'].map(emailOf),
    );
  });

  /** How many emails the SES emulator holds for each member, in member order. */
  const mailCounts = async (memberIds: string[]) => {
    const mails = await mailsTo(stack.current, memberIds.map(emailOf));
    return memberIds.map((id) => mails.filter((mail) => mail.destination.to.includes(emailOf(id))).length);
  };

  it('a crash after a chunk is claimed and before its sends: the retry mails no one twice and reports them unknown', async () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    for (const id of ids) await putMember(id, 'starter', { weeklyQuotaOverride: 1 });
    await seed('U1', '2026-01-01T00:00:00Z', deliverable(5));
    const event = manualRun();
    let chunkClaims = 0;
    // Chunks hold 2 members: the second chunk's claim is written, then the process dies before any send.
    const crashing = createHandler(functionEnv(), {
      doc: interceptDoc(
        doc(),
        () => undefined,
        (command) => {
          if (isNotificationClaim(command) && ++chunkClaims === 2)
            throw new Error('injected crash after the claim');
        },
      ),
    });
    await expect(crashing(event, noContext)).rejects.toThrow('injected crash');
    expect(await mailCounts(ids)).toEqual([1, 1, 0, 0, 0]);

    const retried = await invoke(event);

    expect(retried).toMatchObject({ outcome: 'succeeded', membersNotified: 3, notifiedUnknown: 2 });
    expect(await mailCounts(ids)).toEqual([1, 1, 0, 0, 1]);
    expect(await invoke(event)).toMatchObject({ outcome: 'duplicate', notifiedUnknown: 2 });
    expect(await mailCounts(ids)).toEqual([1, 1, 0, 0, 1]);
  });

  it('a crash after the sends and before they are recorded: the retry mails no one twice', async () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    for (const id of ids) await putMember(id, 'starter', { weeklyQuotaOverride: 1 });
    await seed('U1', '2026-01-01T00:00:00Z', deliverable(5));
    const event = manualRun();
    let records = 0;
    // The second chunk's emails went out; the process dies as it records them.
    const crashing = createHandler(functionEnv(), {
      doc: interceptDoc(doc(), (command) => {
        if (isNotificationRecord(command) && ++records === 2)
          throw new Error('injected crash before the record');
      }),
    });
    await expect(crashing(event, noContext)).rejects.toThrow('injected crash');
    expect(await mailCounts(ids)).toEqual([1, 1, 1, 1, 0]);

    const retried = await invoke(event);

    expect(retried).toMatchObject({ outcome: 'succeeded', membersNotified: 3, notifiedUnknown: 2 });
    expect(await mailCounts(ids)).toEqual([1, 1, 1, 1, 1]);
  });

  it('a run stalled past its lease while another run proceeds cannot write: no lead over its limit, no member over quota', async () => {
    await putMember('a', 'starter');
    await putMember('b', 'starter');
    await seed('U1', '2026-01-01T00:00:00Z', deliverable(60));
    const env = functionEnv({ LOCK_LEASE_SECONDS: '1' });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reachedGate: () => void = () => undefined;
    const atGate = new Promise<void>((resolve) => {
      reachedGate = resolve;
    });
    // Run A has read and planned the week (both members owed 10) and stalls at its first lead claims.
    const stalled = createHandler(env, {
      doc: interceptDoc(doc(), async (command) => {
        if (isLeadClaim(command)) {
          reachedGate();
          await gate;
        }
      }),
    });
    const runA = stalled(manualRun(), noContext).then(
      (summary) => ({ summary }),
      (error: Error) => ({ error }),
    );
    await atGate;
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    // Its lease has lapsed: run B takes the lock and serves both members in full, from an older upload that
    // arrived meanwhile, so A's planned leads stay free for A to claim.
    await seed('U0', '2025-12-01T00:00:00Z', deliverable(20));
    const runB = await createHandler(env)(manualRun(), noContext);
    expect(runB).toMatchObject({ outcome: 'succeeded', leadsAssigned: 20 });
    release();
    const outcomeA = await runA;

    expect('error' in outcomeA && outcomeA.error.name).toBe('LostRunError');
    expect((await assignmentsOf('a')).length).toBe(10);
    expect((await assignmentsOf('b')).length).toBe(10);
    await expectNoLeadTwice(['a', 'b']);
    expect((await assignmentsOf('a')).every((assignment) => assignment.uploadId === 'U0')).toBe(true);
    for (const upload of ['U0', 'U1'])
      expect((await leadsOf(upload)).every((lead) => (lead.assignedCount ?? 0) <= 1)).toBe(true);
  });

  it('a run that lost its lease cannot write between a newer run reading its members and writing them', async () => {
    await putMember('a', 'starter');
    await putMember('b', 'starter');
    await seed('U1', '2026-01-01T00:00:00Z', deliverable(60));
    const env = functionEnv({ LOCK_LEASE_SECONDS: '1' });
    // A window's ledger write (the fenced read at the start of a run sets no entry).
    const isTallyWrite = (command: { constructor: { name: string }; input: Record<string, unknown> }) =>
      command.constructor.name === 'UpdateCommand' &&
      String((command.input.Key as { pk?: string } | undefined)?.pk ?? '').startsWith('LEDGER#') &&
      String(command.input.UpdateExpression ?? '').includes('entries.');
    const hold = () => {
      let release: () => void = () => undefined;
      let reached: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const arrived = new Promise<void>((resolve) => {
        reached = resolve;
      });
      return { gate, arrived, release: () => release(), reach: () => reached() };
    };
    const holdA = hold();
    const holdB = hold();
    // Run A has claimed its leads and stalls before writing its members' ledger entries.
    const runA = createHandler(env, {
      doc: interceptDoc(doc(), async (command) => {
        if (isTallyWrite(command)) {
          holdA.reach();
          await holdA.gate;
        }
      }),
    })(manualRun(), noContext).then(
      (summary) => ({ summary }),
      (error: Error) => ({ error }),
    );
    await holdA.arrived;
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    await seed('U0', '2025-12-01T00:00:00Z', deliverable(20));
    // Run B takes the lapsed lock and has read both members (owed 10 each) when A wakes up.
    const runB = createHandler(env, {
      doc: interceptDoc(doc(), async (command) => {
        if (isLeadClaim(command)) {
          holdB.reach();
          await holdB.gate;
        }
      }),
    })(manualRun(), noContext);
    await holdB.arrived;
    holdA.release();
    const outcomeA = await runA;
    holdB.release();
    await runB;

    expect('error' in outcomeA && outcomeA.error.name).toBe('LostRunError');
    expect((await assignmentsOf('a')).length).toBe(10);
    expect((await assignmentsOf('b')).length).toBe(10);
    await expectNoLeadTwice(['a', 'b']);
  });

  it('runs once for a scheduled time, however often Scheduler or Lambda deliver it', async () => {
    await putMember('a', 'starter');
    await seed('U1', '2026-01-01T00:00:00Z', deliverable(30));
    const token = await stack.current.identity.mint({ sub: 'admin-1', role: 'admin' });
    const created = await fetch(`${stack.current.url}/admin/schedules`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: 'weekly',
        kind: 'weekly',
        dayOfWeek: 'MON',
        time: '09:00',
        timeZone: 'UTC',
      }),
    });
    const { schedule } = (await created.json()) as { schedule: { nextRuns: { at: string }[] } };
    const firstRun = new Date(schedule.nextRuns[0]?.at ?? '');

    const deliveries = await stack.current.scheduler.runDue(firstRun, { deliveries: 3 });

    expect(deliveries).toHaveLength(3);
    const outcomes = deliveries.map((delivery) => (delivery.result as RunSummary).outcome).sort();
    expect(outcomes).toEqual(['duplicate', 'duplicate', 'succeeded']);
    const [runId] = new Set(deliveries.map((delivery) => (delivery.result as RunSummary).runId));
    const redelivered = await invoke({
      trigger: 'schedule',
      scheduleId: stack.current.scheduler.list()[0]?.Name,
      scheduleArn: stack.current.scheduler.list()[0]?.Arn,
      scheduledTime: deliveries[0]?.scheduledTime,
    });
    expect(redelivered).toMatchObject({ outcome: 'duplicate', runId });
    expect(await runs()).toHaveLength(1);
    expect((await assignmentsOf('a')).length).toBe(10);
    expect(await mailsTo(stack.current, [emailOf('a')])).toHaveLength(1);
  });

  it('plans a dry run without writing anything', async () => {
    await putMember('a', 'starter');
    await putMember('b', 'growth');
    await seed('U1', '2026-01-01T00:00:00Z', ['rejected', ...deliverable(4)]);
    await seed('U2', '2026-01-02T00:00:00Z', deliverable(6));
    const countersBefore = await globalCounters();

    const plan = await dryRun();

    expect(plan.totals).toEqual({ need: 35, assigned: 10, shortfall: 25 });
    expect(plan.shortMembers.map((member) => member.memberId).sort()).toEqual(['a', 'b']);
    expect(plan.members.map(({ memberId, tier }) => [memberId, tier]).sort()).toEqual([
      ['a', 'starter'],
      ['b', 'growth'],
    ]);
    expect(plan.exhaustedUploads).toEqual(['U1', 'U2']);
    const a = plan.members.find((member) => member.memberId === 'a');
    expect(a?.fromUploads.reduce((sum, from) => sum + from.count, 0)).toBe(a?.planned);
    // Owed a week's 10 of the 35 owed in all; 10 leads shared in proportion: 2.86 of them, rounded up.
    expect(a).toMatchObject({ owed: 10, planned: 3, accrued: 10, carriedIn: 0, receivedThisWeek: 0 });
    expect(await runs()).toEqual([]);
    expect((await leadsOf('U1')).some((lead) => lead.assignedCount !== undefined)).toBe(false);
    expect(await assignmentsOf('a')).toEqual([]);
    expect((await uploadItem('U1')).state).toBe('queued');
    expect(await globalCounters()).toEqual(countersBefore);
    expect(await mailsTo(stack.current, [emailOf('a'), emailOf('b')])).toEqual([]);
  });

  it('drops a member whose subscription ended since the last sync, and takes them off the counters', async () => {
    await putMember('a', 'starter');
    await putMember('b', 'pro', { subscriptionEndsAt: new Date(Date.now() + 7 * 86_400_000).toISOString() });
    await seed('U1', '2026-01-01T00:00:00Z', deliverable(100));
    expect(await globalCounters()).toMatchObject({ eligibleMembers: 2, weeklyDemand: 60 });
    const env = functionEnv();
    const inEightDays = () => new Date(Date.now() + 8 * 86_400_000);

    const summary = await createHandler(env, { now: inEightDays })(manualRun(), noContext);

    expect(summary).toMatchObject({ leadsAssigned: 10, membersServed: 1 });
    expect(await assignmentsOf('b')).toEqual([]);
    expect(await globalCounters()).toMatchObject({
      eligibleMembers: 1,
      weeklyDemand: 10,
      'eligibleMembers#pro': 0,
    });
    const b = (await doc().send(new GetCommand({ TableName: tables().members, Key: memberKey('b') }))).Item;
    // Out of the eligible partition the distribution reads, into the one an admin lists as not eligible.
    expect(b?.gsi1pk).toBe(NOT_ELIGIBLE_INDEX_PK);
  });

  it('records a scheduled invocation of a deleted schedule as skipped (the sample Scheduler event)', async () => {
    const summary = await invoke(loadEvent('scheduler/distribution.json'));
    expect(summary).toMatchObject({ outcome: 'skipped' });
    expect(summary.skippedReason).toContain('no longer exists');
  });

  it('runs the sample manual-run event (what a one-time "run now" schedule delivers)', async () => {
    const summary = await invoke(loadEvent('scheduler/manual-run.json'));
    expect(summary).toMatchObject({
      outcome: 'succeeded',
      trigger: 'manual',
      timeZone: 'Europe/Berlin',
      weekKey: '2026-W48',
    });
  });

  it('refuses an event whose context attributes were not filled in, so it ends in the dead-letter queue', async () => {
    const event = loadEvent<Record<string, string>>('scheduler/distribution.json');
    event.scheduledTime = '<aws.scheduler.scheduled-time>';
    await expect(invoke(event)).rejects.toThrow(/Invalid distribution event: scheduledTime/);
  });
});

describe('distribution with maxAssignmentsPerLead 2', () => {
  const stack = useFreshStack({ MAX_ASSIGNMENTS_PER_LEAD: '2' });

  it('gives a lead to two members at most, never twice to the same one', async () => {
    const doc = documentClient(stack.current);
    const tables = tablesOf(stack.current);
    const token = await stack.current.identity.mint({ sub: 'admin-1', role: 'admin' });
    for (const id of ['a', 'b', 'c'])
      await fetch(`${stack.current.url}/admin/members/${id}`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          email: `${id}-${stack.tag}@members.example`,
          name: id,
          tier: 'starter',
          subscriptionStatus: 'active',
          weeklyQuotaOverride: 4,
        }),
      });
    await seedQueuedUpload(doc, tables, {
      uploadId: 'U1',
      createdAt: '2026-01-01T00:00:00Z',
      statuses: deliverable(5),
      maxAssignmentsPerLead: 2,
    });
    const summary = await runDistributionNow(stack.current);

    expect(summary).toMatchObject({ leadsAssigned: 10, uploadsExhausted: ['U1'] });
    const leads = await queryPartition(doc, tables.uploads, uploadKey('U1').pk, 'LEAD#');
    for (const lead of leads) {
      expect(lead.assignedCount).toBe(2);
      expect((lead.assignedTo as Set<string>).size).toBe(2);
    }
  });
});
