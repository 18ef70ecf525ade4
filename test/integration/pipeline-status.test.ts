import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { documentClient, localName } from '../../fixtures/clients';
import { OverviewSchema, SchedulerHealthSchema } from '../../lambdas/functions/admin-api/answers';
import { readOverview } from '../../lambdas/functions/admin-api/overview';
import { createHandler as createWatchdog } from '../../lambdas/functions/scheduler-watchdog/handler';
import { VERDICT_LEVEL, type WatchdogReading } from '../../lambdas/schedules/metrics';
import { awsClientConfig } from '../../lambdas/shared/aws';
import {
  ELIGIBLE_INDEX_PK,
  memberKey,
  scheduleKey,
  uploadKey,
  uploadListIndexKeys,
  uploadStateIndexKeys,
} from '../../lambdas/shared/model';
import type { LocalStack } from '../../local/runtime';
import { ADMIN, callApi, invokeDistribution, runDistributionNow } from '../support/api';
import { interceptDoc, tablesOf } from '../support/distribution';
import { useLocalStack } from '../support/local-stack';
import { leadFile, uploadFile } from '../support/uploads';

const putMember = async (stack: LocalStack, memberId: string, tier: string) => {
  const response = await callApi(stack, ADMIN, 'PUT', `/admin/members/${memberId}`, {
    email: `${memberId}@members.example`,
    name: `Member ${memberId}`,
    tier,
    subscriptionStatus: 'active',
  });
  expect(response.status).toBeLessThan(300);
};

describe('the admin overview', () => {
  const stack = useLocalStack({ env: { POWERTOOLS_METRICS_DISABLED: 'true' }, fresh: true });

  it('reports what was ingested, verified and distributed, as the test counts it from its own files', {
    timeout: 120_000,
  }, async () => {
    const valid = Array.from({ length: 30 }, (_, index) => `lead${index}@example.com`);
    const disposable = Array.from({ length: 4 }, (_, index) => `temp${index}@mailinator.com`);
    const repeatedInFile = valid.slice(0, 3).map((email) => email.toUpperCase());
    const badRows = 'not-an-email,Bad One,X\n,No Email,Y\n';
    const fileA = leadFile([...valid, ...disposable, ...repeatedInFile]) + badRows;
    const fresh = Array.from({ length: 10 }, (_, index) => `fresh${index}@example.org`);
    const fromA = valid.slice(10, 15);
    const fileB = leadFile([...fresh, ...fromA]);
    await uploadFile(stack.current, fileA);
    await uploadFile(stack.current, fileB);
    await stack.current.eventSources.waitForIdle({ timeoutMs: 60_000 });

    const deliverable = valid.length + fresh.length;
    const { tiers } = stack.current.config;
    const [starter, growth] = tiers;
    if (!starter || !growth) throw new Error('the dev config has at least two tiers');
    await putMember(stack.current, 'overview-s1', starter.name);
    await putMember(stack.current, 'overview-s2', starter.name);
    await putMember(stack.current, 'overview-g1', growth.name);
    const demand = 2 * starter.weeklyQuota + growth.weeklyQuota;

    const before = await callApi(stack.current, ADMIN, 'GET', '/admin/overview');
    expect(before.status).toBe(200);
    const overview = OverviewSchema.parse(before.body);
    expect(overview.leads).toEqual({
      pendingVerification: 0,
      availableForDistribution: deliverable,
      distributedThisWeek: 0,
      distributedAllTime: 0,
      duplicatesAllTime: repeatedInFile.length + fromA.length,
      duplicatesInFileAllTime: repeatedInFile.length,
      duplicatesOfEarlierAllTime: fromA.length,
      rejectedRowsAllTime: 2,
      undeliverableAllTime: disposable.length,
    });
    expect(overview.uploads.queued).toBe(2);
    expect(Date.parse(overview.uploads.oldestQueuedAt ?? '')).toBeLessThanOrEqual(Date.now());
    expect(overview.members).toEqual({
      eligible: 3,
      eligibleByTier: Object.fromEntries(
        tiers.map((tier) => [tier.name, tier === starter ? 2 : tier === growth ? 1 : 0]),
      ),
      withMarkedAddress: 0,
    });
    expect(overview.weeklyDemand).toBe(demand);
    const weeks = Math.round((deliverable / demand) * 100) / 100;
    expect(overview.supply.weeksLeft).toBe(weeks);
    const runsOut = new Date(Date.parse(overview.generatedAt) + weeks * 7 * 86_400_000);
    expect(overview.supply.runsOutOn).toBe(runsOut.toISOString().slice(0, 10));
    expect(overview.lastRun).toBeNull();
    expect(overview.nextRun).toBeNull();

    const created = await callApi<{ schedule: { id: string } }>(
      stack.current,
      ADMIN,
      'POST',
      '/admin/schedules',
      {
        name: 'weekly',
        kind: 'weekly',
        dayOfWeek: 'MON',
        time: '09:00',
        timeZone: 'UTC',
      },
    );
    expect(created.status).toBe(201);
    const summary = await runDistributionNow(stack.current, { runId: '01JDY3K5QW7E9R1T3V5X7Z9B2D' });
    expect(summary.outcome).toBe('succeeded');

    const after = OverviewSchema.parse((await callApi(stack.current, ADMIN, 'GET', '/admin/overview')).body);
    const assigned = Math.min(deliverable, demand);
    expect(after.leads).toMatchObject({
      availableForDistribution: deliverable - assigned,
      distributedThisWeek: assigned,
      distributedAllTime: assigned,
    });
    expect(after.lastRun).toMatchObject({ state: 'succeeded', trigger: 'manual', leadsAssigned: assigned });
    const nextMonday = new Date(after.nextRun?.at ?? '');
    expect(after.nextRun).toMatchObject({ scheduleId: created.body.schedule.id, name: 'weekly' });
    expect(nextMonday.getUTCDay()).toBe(1);
    expect(nextMonday.toISOString().slice(11)).toBe('09:00:00.000Z');
    expect(nextMonday.getTime() - Date.now()).toBeLessThanOrEqual(7 * 86_400_000);
    expect(after.supply.weeksLeft).toBe(Math.round(((deliverable - assigned) / demand) * 100) / 100);
  });

  it('costs the same few DynamoDB requests with 10 or with 10,000 uploads and members', {
    timeout: 240_000,
  }, async () => {
    const doc = documentClient(stack.current);
    const tables = tablesOf(stack.current);
    const seed = async (from: number, to: number) => {
      const writes: { table: string; item: Record<string, unknown> }[] = [];
      for (let index = from; index < to; index += 1) {
        const uploadId = `01JDXZB5H2N4M6P8R0T${String(index).padStart(7, '0')}`;
        const createdAt = new Date(Date.UTC(2026, 0, 1) + index * 1000).toISOString();
        writes.push({
          table: tables.uploads,
          item: {
            ...uploadKey(uploadId),
            ...uploadStateIndexKeys('queued', createdAt, uploadId),
            ...uploadListIndexKeys(uploadId),
            uploadId,
            state: 'queued',
            createdAt,
          },
        });
        const memberId = `bulk-${index}`;
        writes.push({
          table: tables.members,
          item: { ...memberKey(memberId), memberId, gsi1pk: ELIGIBLE_INDEX_PK, gsi1sk: memberId },
        });
      }
      const batches = [];
      for (let start = 0; start < writes.length; start += 25) batches.push(writes.slice(start, start + 25));
      for (let start = 0; start < batches.length; start += 8) {
        await Promise.all(
          batches.slice(start, start + 8).map(async (batch) => {
            let requestItems: Record<string, unknown> | undefined = {};
            for (const { table, item } of batch) {
              const list = (requestItems[table] ?? []) as unknown[];
              list.push({ PutRequest: { Item: item } });
              requestItems[table] = list;
            }
            while (requestItems && Object.keys(requestItems).length > 0) {
              const result = await doc.send(new BatchWriteCommand({ RequestItems: requestItems as never }));
              requestItems = result.UnprocessedItems as Record<string, unknown> | undefined;
            }
          }),
        );
      }
    };
    const requestsForOneOverview = async () => {
      const commands: string[] = [];
      const counting = interceptDoc(doc, (command) => {
        commands.push(command.constructor.name);
      });
      await readOverview({
        doc: counting,
        tables,
        tiers: stack.current.config.tiers,
        timeZone: 'UTC',
        now: () => new Date(),
      });
      return commands.sort();
    };

    await seed(0, 10);
    const atTen = await requestsForOneOverview();
    await seed(10, 10_000);
    const atTenThousand = await requestsForOneOverview();
    expect(atTenThousand).toEqual(atTen);
    expect(atTen).toEqual(['BatchGetCommand', 'QueryCommand', 'QueryCommand', 'QueryCommand']);
  });
});

describe('the scheduler health', () => {
  const stack = useLocalStack({ env: { POWERTOOLS_METRICS_DISABLED: 'true' }, fresh: true });

  const health = async () => {
    const response = await callApi(stack.current, ADMIN, 'GET', '/admin/scheduler/health');
    expect(response.status).toBe(200);
    return SchedulerHealthSchema.parse(response.body);
  };

  /** A weekly schedule, made long ago, whose latest fire time was `minutesAgo` minutes ago (UTC). */
  const scheduleDue = async (minutesAgo: number) => {
    const due = new Date(Math.floor((Date.now() - minutesAgo * 60_000) / 60_000) * 60_000);
    const created = await callApi<{ schedule: { id: string } }>(
      stack.current,
      ADMIN,
      'POST',
      '/admin/schedules',
      {
        name: `due-${minutesAgo}-minutes-ago`,
        kind: 'weekly',
        dayOfWeek: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'][due.getUTCDay()],
        time: due.toISOString().slice(11, 16),
        timeZone: 'UTC',
      },
    );
    expect(created.status).toBe(201);
    const scheduleId = created.body.schedule.id;
    await documentClient(stack.current).send(
      new UpdateCommand({
        TableName: tablesOf(stack.current).control,
        Key: scheduleKey(scheduleId),
        UpdateExpression: 'SET createdAt = :long, updatedAt = :long',
        ExpressionAttributeValues: { ':long': '2026-01-01T00:00:00.000Z' },
      }),
    );
    return { scheduleId, due };
  };

  const sendTo = (queuePrefix: string) =>
    new SQSClient(awsClientConfig(stack.current.resources.baseEnv, 'SQS')).send(
      new SendMessageCommand({
        QueueUrl: localName(stack.current, queuePrefix),
        MessageBody: '{"parked":true}',
      }),
    );

  /** Runs the watchdog function's handler with its template environment and returns what it published. */
  const watchdogReading = async () => {
    const [id] = stack.current.lambdas.functionsOf('scheduler-watchdog');
    if (!id) throw new Error('no watchdog function');
    const readings: WatchdogReading[] = [];
    await createWatchdog(stack.current.resources.functionEnv(id, { POWERTOOLS_LOG_LEVEL: 'ERROR' }), {
      metrics: (reading) => readings.push(reading),
    })();
    const [reading] = readings;
    return {
      overdueSchedules: reading?.health.overdueSchedules,
      verdictLevel: reading ? VERDICT_LEVEL[reading.health.verdict] : undefined,
      ...(reading?.health.heartbeat?.ageSeconds == null
        ? {}
        : { heartbeatAgeSeconds: reading.health.heartbeat.ageSeconds }),
      ...(reading?.supplyWeeksLeft === undefined ? {} : { supplyWeeksLeft: reading.supplyWeeksLeft }),
    };
  };

  it('is degraded with no enabled schedule, and lists every dead-letter queue', async () => {
    const report = await health();
    expect(report.verdict).toBe('degraded');
    expect(report.reasons).toEqual([
      'No enabled schedule: leads are distributed only when an admin runs a distribution',
    ]);
    expect(report.deadLetterQueues).toEqual([
      { name: 'email', depth: 0 },
      { name: 'ingest', depth: 0 },
      { name: 'scheduler', depth: 0 },
      { name: 'verification', depth: 0 },
    ]);
    expect(report.heartbeat).toBeNull();
  });

  it('fails when an enabled schedule is overdue with no run at all, and recovers once its run succeeds', {
    timeout: 60_000,
  }, async () => {
    const { scheduleId, due } = await scheduleDue(45);
    const overdue = await health();
    expect(overdue.verdict).toBe('failing');
    expect(overdue.overdueSchedules).toBe(1);
    expect(overdue.reasons[0]).toContain(
      `was due at ${due.toISOString()} and no run of it has succeeded since`,
    );
    expect(overdue.schedules.find((entry) => entry.scheduleId === scheduleId)).toMatchObject({
      lastDueOutcome: 'not-started',
      overdue: true,
    });
    // The watchdog sees the same, so the overdue alarm fires without anyone opening the API.
    expect(await watchdogReading()).toEqual({ overdueSchedules: 1, verdictLevel: 2 });
    await putMember(stack.current, 'watched-member', stack.current.config.tiers[0]?.name ?? '');

    // What Scheduler sends the function when the schedule fires.
    const summary = await invokeDistribution(stack.current, {
      trigger: 'schedule',
      scheduleId,
      scheduleArn: `arn:aws:scheduler:eu-west-1:123456789012:schedule/proleads-dev/${scheduleId}`,
      scheduledTime: due.toISOString().replace('.000Z', 'Z'),
    });
    expect(['succeeded', 'skipped']).toContain(summary.outcome);

    const recovered = await health();
    expect(recovered).toMatchObject({ verdict: 'healthy', reasons: [], overdueSchedules: 0 });
    expect(recovered.runs[0]).toMatchObject({ runId: summary.runId, trigger: 'schedule' });
    expect(recovered.heartbeat?.lastRunId).toBe(summary.runId);
    expect(recovered.heartbeat?.ageSeconds).toBeLessThan(60);
    // One eligible member and no leads left: zero weeks of supply.
    expect(await watchdogReading()).toEqual({
      overdueSchedules: 0,
      verdictLevel: 0,
      heartbeatAgeSeconds: expect.any(Number),
      supplyWeeksLeft: 0,
    });
  });

  it('fails while a scheduled event is parked in the Scheduler DLQ, and degrades for the other DLQs', async () => {
    await sendTo('VerificationDeadLetterQueue');
    const degraded = await health();
    expect(degraded.verdict).toBe('degraded');
    expect(degraded.deadLetterQueues).toContainEqual({ name: 'verification', depth: 1 });
    await sendTo('DistributionSchedulerDeadLetterQueue');
    const failing = await health();
    expect(failing.verdict).toBe('failing');
    expect(failing.reasons[0]).toBe(
      '1 message(s) in the scheduler dead-letter queue: fix the cause, then redrive them',
    );
  });
});
