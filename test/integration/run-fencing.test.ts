import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { documentClient, localName } from '../../fixtures/clients';
import { DynamoRunLock } from '../../lambdas/distribution/adapters/run-lock';
import { DynamoRunStore } from '../../lambdas/distribution/adapters/run-store';
import { DynamoSupplyStore } from '../../lambdas/distribution/adapters/supply-store';
import { LostRunError, type StoredRun } from '../../lambdas/distribution/domain/run';
import {
  GLOBAL_COUNTERS_KEY,
  HEARTBEAT_KEY,
  RUN_LOCK_KEY,
  RUN_PK,
  runKey,
  uploadKey,
  uploadStateIndexKeys,
  weekCountersKey,
} from '../../lambdas/shared/model';
import { useLocalStack } from '../support/local-stack';

/**
 * Every write a run makes after taking the lock carries the lock's generation: a run whose lease lapsed
 * and whose lock a newer run took (a higher generation) is refused at each of them and changes nothing.
 * The stack is this file's own: the fences raised here must not refuse other files' runs.
 */
describe('writes fenced by the run lock generation', () => {
  const stack = useLocalStack({ fresh: true });
  const doc = () => documentClient(stack.current);
  const table = (name: 'Uploads' | 'Control') => localName(stack.current, `Storage${name}Table`);
  const runs = () => new DynamoRunStore(doc(), table('Control'));
  const supply = () => new DynamoSupplyStore(doc(), { uploads: table('Uploads'), control: table('Control') });
  const read = async (tableName: string, key: Record<string, string>) =>
    (await doc().send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
  const STALE = 4;
  const NEWER = 5;

  /** A run item an attempt holding generation `fence` has started. */
  const startedRun = async (fence: number) => {
    const runId = `run-${randomUUID()}`;
    const at = new Date().toISOString();
    const fresh = {
      ...runKey(at, runId),
      pk: RUN_PK,
      runId,
      runAt: at,
      trigger: 'manual',
      timeZone: 'UTC',
      weekKey: '2026-W49',
      state: 'running',
      startedAt: at,
      attempts: 0,
      leadsAssigned: 0,
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
    } as StoredRun;
    await runs().openRun(fresh);
    const started = await runs().startAttempt(fresh, `attempt-${fence}`, fence);
    expect(started?.fence).toBe(fence);
    return started as StoredRun;
  };

  it('an attempt holding an older generation than the run has seen cannot take the run over', async () => {
    const run = await startedRun(NEWER);

    const stale = await runs().startAttempt(run, 'attempt-stale', STALE);

    expect(stale).toBeUndefined();
    expect(await read(table('Control'), { pk: run.pk, sk: run.sk })).toMatchObject({
      attemptId: `attempt-${NEWER}`,
      fence: NEWER,
    });
  });

  it("a stale attempt's checkpoint is refused and leaves the run item as the newer attempt wrote it", async () => {
    const run = await startedRun(STALE);
    await runs().startAttempt(run, 'attempt-newer', NEWER);
    const before = await read(table('Control'), { pk: run.pk, sk: run.sk });

    const checkpoint = runs().checkpoint(run, STALE, {
      phase: 'notify',
      completed: { assigned: 3, uploads: [] },
    });

    await expect(checkpoint).rejects.toBeInstanceOf(LostRunError);
    expect(await read(table('Control'), { pk: run.pk, sk: run.sk })).toEqual(before);
  });

  it("a stale attempt's finish and failure are refused and leave the run running", async () => {
    const run = await startedRun(STALE);
    await runs().startAttempt(run, 'attempt-newer', NEWER);
    const before = await read(table('Control'), { pk: run.pk, sk: run.sk });

    const finish = runs().finishRun(run, STALE, { endedAt: new Date().toISOString(), membersServed: 1 });
    await expect(finish).rejects.toBeInstanceOf(LostRunError);
    await runs().failRun(run, STALE, 'stale failure', new Date().toISOString());

    expect(await read(table('Control'), { pk: run.pk, sk: run.sk })).toEqual(before);
  });

  it("a stale run's heartbeat is refused once a newer run wrote it; a run that never held the lock still writes", async () => {
    expect(await runs().putHeartbeat({ lastRunId: 'newer', lastRunState: 'succeeded' }, NEWER)).toBe(true);

    const stale = await runs().putHeartbeat({ lastRunId: 'stale', lastRunState: 'failed' }, STALE);

    expect(stale).toBe(false);
    expect(await read(table('Control'), HEARTBEAT_KEY)).toMatchObject({ lastRunId: 'newer', fence: NEWER });
    expect(await runs().putHeartbeat({ lastRunId: 'skipped', lastRunState: 'skipped' })).toBe(true);
  });

  it("a stale run's window counters are refused at every counter item and add nothing", async () => {
    const uploadId = `u-${randomUUID()}`;
    const weekKey = `W-${randomUUID()}`;
    const perUpload = new Map([[uploadId, 2]]);
    const newer = { runId: 'run-newer', fence: NEWER };
    await supply().addWindowCounters('run-newer#0', weekKey, 2, perUpload, newer);
    const counters = [
      [table('Control'), GLOBAL_COUNTERS_KEY],
      [table('Control'), weekCountersKey(weekKey)],
      [table('Uploads'), uploadKey(uploadId)],
    ] as const;
    const before = await Promise.all(counters.map(([name, key]) => read(name, key)));

    const stale = supply().addWindowCounters('run-stale#0', weekKey, 3, perUpload, {
      runId: 'run-stale',
      fence: STALE,
    });

    await expect(stale).rejects.toBeInstanceOf(LostRunError);
    expect(await Promise.all(counters.map(([name, key]) => read(name, key)))).toEqual(before);
    // The same generation adding its own window again is a no-op, not a refusal.
    await supply().addWindowCounters('run-newer#0', weekKey, 2, perUpload, newer);
    expect(await Promise.all(counters.map(([name, key]) => read(name, key)))).toEqual(before);
  });

  it("a stale run's release of its counter markers is refused and leaves them in flight", async () => {
    // The stale run added its window while it held the lock; then the newer run added its own.
    const weekKey = `W-${randomUUID()}`;
    await doc().send(
      new PutCommand({
        TableName: table('Control'),
        Item: {
          ...weekCountersKey(weekKey),
          leadsAssigned: 2,
          inflight: new Set(['run-stale#0', 'run-newer#0']),
          fence: NEWER,
        },
      }),
    );

    const release = supply().releaseMarkers('control', weekCountersKey(weekKey), ['run-stale#0'], {
      runId: 'run-stale',
      fence: STALE,
    });

    await expect(release).rejects.toBeInstanceOf(LostRunError);
    const item = await read(table('Control'), weekCountersKey(weekKey));
    expect([...((item?.inflight as Set<string> | undefined) ?? [])].sort()).toEqual([
      'run-newer#0',
      'run-stale#0',
    ]);
  });

  it('a stale run cannot exhaust an upload a newer run fenced, nor take it off the queued count', async () => {
    const uploadId = `u-${randomUUID()}`;
    const createdAt = new Date().toISOString();
    await doc().send(
      new PutCommand({
        TableName: table('Uploads'),
        Item: {
          ...uploadKey(uploadId),
          ...uploadStateIndexKeys('queued', createdAt, uploadId),
          uploadId,
          createdAt,
          state: 'queued',
        },
      }),
    );
    await supply().addWindowCounters('run-newer#0', '2026-W49', 1, new Map([[uploadId, 1]]), {
      runId: 'run-newer',
      fence: NEWER,
    });
    const upload = await read(table('Uploads'), uploadKey(uploadId));
    const counters = await read(table('Control'), GLOBAL_COUNTERS_KEY);

    const exhaust = supply().exhaustUpload(
      { uploadId, createdAt },
      { runId: 'run-stale', fence: STALE },
      createdAt,
    );

    await expect(exhaust).rejects.toBeInstanceOf(LostRunError);
    expect(await read(table('Uploads'), uploadKey(uploadId))).toEqual(upload);
    expect(await read(table('Control'), GLOBAL_COUNTERS_KEY)).toEqual(counters);
  });

  it('releasing the run lock keeps its item and generation, so the next take is one higher', async () => {
    const lock = new DynamoRunLock(doc(), table('Control'));
    const now = Date.now();
    const first = await lock.acquire(
      { runId: 'run-1', attemptId: 'attempt-1', leaseUntil: now + 60_000 },
      now,
    );

    await lock.release('attempt-1');

    expect(await read(table('Control'), RUN_LOCK_KEY)).toMatchObject({ generation: first, leaseUntil: 0 });
    const second = await lock.acquire(
      { runId: 'run-2', attemptId: 'attempt-2', leaseUntil: now + 60_000 },
      now,
    );
    expect(second).toBe(Number(first) + 1);
  });
});
