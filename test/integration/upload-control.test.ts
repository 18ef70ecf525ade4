import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { documentClient, localName } from '../../fixtures/clients';
import { addCounters } from '../../lambdas/shared/counters';
import {
  GLOBAL_COUNTERS_KEY,
  type LeadItem,
  type LeadStatus,
  leadKey,
  memberKey,
  type UploadItem,
  uploadKey,
  uploadListIndexKeys,
  uploadStateIndexKeys,
} from '../../lambdas/shared/model';
import { type LocalStack, startLocalStack } from '../../local/runtime';
import { adminApi, runDistributionNow } from '../support/api';
import { queryPartition, seedQueuedUpload, tablesOf } from '../support/distribution';
import { QUIET_ENV } from '../support/local-stack';

/**
 * Pausing, resuming, withdrawing and releasing uploads through the admin API, with distribution runs on the
 * local stack in between; each test on a fresh stack (a run takes every queued upload). After every step the
 * overview's supply figures equal a recount from the items.
 */

const deliverable = (count: number): LeadStatus[] => Array.from({ length: count }, () => 'deliverable');

describe('admin control of uploads', () => {
  let stack: LocalStack;
  beforeEach(async () => {
    stack = await startLocalStack({ template: inject('template'), env: QUIET_ENV });
  });
  afterEach(async () => {
    await stack.stop();
  });

  const doc = () => documentClient(stack);
  const tables = () => tablesOf(stack);
  const admin = adminApi(() => stack);
  const putMember = async (memberId: string) => {
    const response = await admin('PUT', `/admin/members/${memberId}`, {
      email: `${memberId}@members.example`,
      name: `Member ${memberId}`,
      tier: 'starter',
      subscriptionStatus: 'active',
    });
    expect(response.status).toBeLessThan(300);
  };
  const run = () => runDistributionNow(stack);
  const assignmentsOf = async (memberId: string) =>
    (await queryPartition(doc(), tables().members, memberKey(memberId).pk, 'ASSIGN#')) as {
      uploadId: string;
      row: number;
    }[];
  const leadsOf = async (uploadId: string) =>
    (await queryPartition(doc(), tables().uploads, uploadKey(uploadId).pk, 'LEAD#')) as unknown as LeadItem[];
  const uploadItem = async (uploadId: string) =>
    (await doc().send(new GetCommand({ TableName: tables().uploads, Key: uploadKey(uploadId) })))
      .Item as UploadItem;
  const globalCounters = async () =>
    (await doc().send(new GetCommand({ TableName: tables().control, Key: GLOBAL_COUNTERS_KEY }))).Item ?? {};

  /** The supply figures recounted from the items: queued uploads (byState) and undelivered slots. */
  const recount = async (uploadIds: readonly string[]) => {
    const queued = await doc().send(
      new QueryCommand({
        TableName: tables().uploads,
        IndexName: 'byState',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': uploadStateIndexKeys('queued', '', '').gsi1pk },
      }),
    );
    let available = 0;
    for (const uploadId of uploadIds) {
      if ((await uploadItem(uploadId)).state === 'withdrawn') continue;
      for (const lead of await leadsOf(uploadId)) {
        if (lead.status === 'deliverable') available += 1 - (lead.assignedCount ?? 0);
      }
    }
    return { queuedUploads: queued.Items?.length ?? 0, leadsAvailable: available };
  };
  const expectOverviewEqualsRecount = async (uploadIds: readonly string[]) => {
    const expected = await recount(uploadIds);
    const overview = (await admin('GET', '/admin/overview')).body as {
      leads: { availableForDistribution: number };
      uploads: { queued: number };
    };
    expect({
      queuedUploads: overview.uploads.queued,
      leadsAvailable: overview.leads.availableForDistribution,
    }).toEqual(expected);
    const counters = await globalCounters();
    expect(counters).toMatchObject(expected);
    expect(counters.inflight).toBeUndefined();
  };

  it('skips a paused upload and walks it in its original place once resumed', async () => {
    const older = ulid();
    const newer = ulid();
    await seedQueuedUpload(doc(), tables(), {
      uploadId: older,
      createdAt: '2026-01-01T00:00:00.000Z',
      statuses: deliverable(4),
    });
    await seedQueuedUpload(doc(), tables(), {
      uploadId: newer,
      createdAt: '2026-02-01T00:00:00.000Z',
      statuses: deliverable(20),
    });
    const ids = [older, newer];

    const paused = await admin('POST', `/admin/uploads/${older}/pause`);
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ uploadId: older, state: 'paused' });
    // Pausing twice is the same pause; it counts once.
    expect((await admin('POST', `/admin/uploads/${older}/pause`)).status).toBe(200);
    await expectOverviewEqualsRecount(ids);

    await putMember('a');
    expect(await run()).toMatchObject({ outcome: 'succeeded', leadsAssigned: 10 });
    expect(new Set((await assignmentsOf('a')).map((lead) => lead.uploadId))).toEqual(new Set([newer]));
    expect((await leadsOf(older)).every((lead) => lead.assignedCount === undefined)).toBe(true);
    expect((await uploadItem(older)).state).toBe('paused');
    await expectOverviewEqualsRecount(ids);

    const resumed = await admin('POST', `/admin/uploads/${older}/resume`);
    expect(resumed.body).toMatchObject({ state: 'queued', createdAt: '2026-01-01T00:00:00.000Z' });
    await expectOverviewEqualsRecount(ids);

    // A new member's run opens the resumed upload first: it is still the oldest.
    await putMember('b');
    expect(await run()).toMatchObject({ outcome: 'succeeded', leadsAssigned: 10 });
    const served = await assignmentsOf('b');
    expect(served.filter((lead) => lead.uploadId === older)).toHaveLength(4);
    expect(served.filter((lead) => lead.uploadId === newer)).toHaveLength(6);
    expect((await uploadItem(older)).state).toBe('exhausted');
    await expectOverviewEqualsRecount(ids);

    const refused = await admin('POST', `/admin/uploads/${older}/resume`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: 'Conflict', details: { state: 'exhausted' } });
    expect(String(refused.body.message)).toContain('only a paused upload can be resumed');
  });

  it('never hands out the undelivered leads of a withdrawn upload, and releases their hashes on request', async () => {
    const withdrawn = ulid();
    const kept = ulid();
    const wrongFile = await seedQueuedUpload(doc(), tables(), {
      uploadId: withdrawn,
      createdAt: '2026-01-01T00:00:00.000Z',
      statuses: deliverable(14),
    });
    await seedQueuedUpload(doc(), tables(), {
      uploadId: kept,
      createdAt: '2026-02-01T00:00:00.000Z',
      statuses: deliverable(6),
    });
    const hashes = localName(stack, 'StorageLeadHashesTable');
    for (const lead of wrongFile) {
      await doc().send(
        new PutCommand({
          TableName: hashes,
          Item: { hash: lead.emailHash, uploadId: withdrawn, row: lead.row, acceptedAt: lead.createdAt },
        }),
      );
    }
    const ids = [withdrawn, kept];

    await putMember('a');
    expect(await run()).toMatchObject({ leadsAssigned: 10 });
    const delivered = new Set((await assignmentsOf('a')).map((lead) => lead.row));
    expect((await assignmentsOf('a')).every((lead) => lead.uploadId === withdrawn)).toBe(true);

    const answer = await admin('POST', `/admin/uploads/${withdrawn}/withdraw`, { releaseHashes: true });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ state: 'withdrawn', counts: { assigned: 10 } });
    expect(answer.body.hashesReleasedAt).toEqual(expect.any(String));
    await expectOverviewEqualsRecount(ids);
    // Repeating it changes nothing.
    expect((await admin('POST', `/admin/uploads/${withdrawn}/withdraw`)).status).toBe(200);
    await expectOverviewEqualsRecount(ids);

    // The delivered leads' hashes stay (those people were handed out); the others are forgotten.
    for (const lead of wrongFile) {
      const { Item } = await doc().send(new GetCommand({ TableName: hashes, Key: { hash: lead.emailHash } }));
      expect(Item !== undefined, `hash of row ${lead.row}`).toBe(delivered.has(lead.row));
    }

    await putMember('b');
    expect(await run()).toMatchObject({ leadsAssigned: 6 });
    expect((await assignmentsOf('b')).every((lead) => lead.uploadId === kept)).toBe(true);
    expect((await leadsOf(withdrawn)).filter((lead) => lead.assignedCount === 1)).toHaveLength(10);
    expect((await uploadItem(withdrawn)).state).toBe('withdrawn');
    await expectOverviewEqualsRecount(ids);

    const refused = await admin('POST', `/admin/uploads/${kept}/withdraw`, {});
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ details: { state: 'exhausted' } });
  });

  it('releases an upload stuck in verification: unanswered leads rejected as unverified, the rest queued', async () => {
    const uploadId = ulid();
    const createdAt = '2026-01-01T00:00:00.000Z';
    const item: UploadItem = {
      ...uploadKey(uploadId),
      ...uploadStateIndexKeys('verifying', createdAt, uploadId),
      ...uploadListIndexKeys(uploadId),
      sk: 'UPLOAD',
      uploadId,
      state: 'verifying',
      fileName: 'stuck.csv',
      sizeBytes: 100,
      uploadedBy: 'admin-1',
      createdAt,
      updatedAt: createdAt,
      objectKey: `uploads/${uploadId}.csv`,
      rowsRead: 3,
      accepted: 3,
      verificationPending: 2,
      deliverable: 1,
      undeliverable: 0,
    };
    await doc().send(new PutCommand({ TableName: tables().uploads, Item: item }));
    const statuses: LeadStatus[] = ['deliverable', 'pending', 'recheck'];
    for (const [index, status] of statuses.entries()) {
      await doc().send(
        new PutCommand({
          TableName: tables().uploads,
          Item: {
            ...leadKey(uploadId, index + 2),
            uploadId,
            row: index + 2,
            email: `lead${index}@stuck.example`,
            emailHash: `hash-${uploadId}-${index}`,
            status,
            createdAt,
          } satisfies LeadItem,
        }),
      );
    }
    await addCounters(doc(), tables().control, GLOBAL_COUNTERS_KEY, {
      leadsPendingVerification: 2,
      leadsDeliverable: 1,
      leadsAvailable: 1,
    });

    const released = await admin('POST', `/admin/uploads/${uploadId}/release`);
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({
      rejectedUnverified: 2,
      upload: { state: 'queued', counts: { verificationPending: 0, deliverable: 1, undeliverable: 2 } },
    });
    const leads = await leadsOf(uploadId);
    expect(leads.map((lead) => [lead.status, lead.reason])).toEqual([
      ['deliverable', undefined],
      ['rejected', 'unverified'],
      ['rejected', 'unverified'],
    ]);
    expect(await globalCounters()).toMatchObject({
      leadsPendingVerification: 0,
      leadsUndeliverable: 2,
      leadsDeliverable: 1,
      queuedUploads: 1,
    });
    await expectOverviewEqualsRecount([uploadId]);

    const again = await admin('POST', `/admin/uploads/${uploadId}/release`);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ details: { state: 'queued' } });
  });
});
