import { createHmac } from 'node:crypto';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { documentClient } from '../../fixtures/clients';
import {
  GLOBAL_COUNTERS_KEY,
  type LeadItem,
  type LeadStatus,
  leadKey,
  memberKey,
  type UploadItem,
  uploadKey,
} from '../../lambdas/shared/model';
import { DEV_LEAD_HASH_PEPPER } from '../../local/ingest';
import { adminApi, runDistributionNow } from '../support/api';
import { queryPartition, seedQueuedUpload, tablesOf } from '../support/distribution';
import { QUIET_ENV, useLocalStack } from '../support/local-stack';
import { resultRows, uploadFile } from '../support/uploads';

/**
 * The suppression list through the admin API, at ingest and in distribution runs, on a stack of its own
 * (the global counters are judged against a recount of every upload this file made).
 */

const leadHash = (email: string) => createHmac('sha256', DEV_LEAD_HASH_PEPPER).update(email).digest('hex');

describe('the suppression list', () => {
  const stack = useLocalStack({ fresh: true, env: QUIET_ENV, disabledConsumers: ['verification'] });
  const doc = () => documentClient(stack.current);
  const tables = () => tablesOf(stack.current);
  const uploadIds: string[] = [];

  const admin = adminApi(() => stack.current);

  const leadsOf = async (uploadId: string) =>
    (await queryPartition(doc(), tables().uploads, uploadKey(uploadId).pk, 'LEAD#')) as unknown as LeadItem[];
  const uploadItem = async (uploadId: string) =>
    (await doc().send(new GetCommand({ TableName: tables().uploads, Key: uploadKey(uploadId) })))
      .Item as UploadItem;

  /** Every counter a suppression moves, recounted from the lead items of every upload of this file. */
  const expectCountersEqualRecount = async () => {
    let deliverable = 0;
    let undeliverable = 0;
    let available = 0;
    for (const uploadId of uploadIds) {
      const leads = await leadsOf(uploadId);
      const count = (status: LeadStatus) => leads.filter((lead) => lead.status === status).length;
      const upload = await uploadItem(uploadId);
      expect({ deliverable: upload.deliverable ?? 0, undeliverable: upload.undeliverable ?? 0 }).toEqual({
        deliverable: count('deliverable'),
        undeliverable: count('rejected'),
      });
      deliverable += count('deliverable');
      undeliverable += count('rejected');
      for (const lead of leads) if (lead.status === 'deliverable') available += 1 - (lead.assignedCount ?? 0);
    }
    const { Item: counters = {} } = await doc().send(
      new GetCommand({ TableName: tables().control, Key: GLOBAL_COUNTERS_KEY, ConsistentRead: true }),
    );
    expect({
      leadsDeliverable: counters.leadsDeliverable ?? 0,
      leadsUndeliverable: counters.leadsUndeliverable ?? 0,
      leadsAvailable: counters.leadsAvailable ?? 0,
    }).toEqual({
      leadsDeliverable: deliverable,
      leadsUndeliverable: undeliverable,
      leadsAvailable: available,
    });
    expect(counters.inflight).toBeUndefined();
    const overview = (await admin('GET', '/admin/overview')).body as {
      leads: { availableForDistribution: number };
    };
    expect(overview.leads.availableForDistribution).toBe(available);
  };

  it('adds, lists and removes entries; an address is kept and shown only as its hash', async () => {
    const added = await admin('POST', '/admin/suppressions', { email: ' Some.One@Example.com ' });
    expect(added).toMatchObject({
      status: 201,
      body: {
        created: true,
        suppression: { id: `email:${leadHash('some.one@example.com')}`, kind: 'email', domain: null },
      },
    });
    expect(await admin('POST', '/admin/suppressions', { email: 'some.one@example.com' })).toMatchObject({
      status: 200,
      body: { created: false },
    });
    expect(await admin('POST', '/admin/suppressions', { domain: '@Listed-Domain.Example' })).toMatchObject({
      status: 201,
      body: {
        suppression: { id: 'domain:listed-domain.example', kind: 'domain', domain: 'listed-domain.example' },
      },
    });
    expect(await admin('POST', '/admin/suppressions', { domain: 'example' })).toMatchObject({
      status: 400,
      body: { error: 'BadRequest', message: expect.stringContaining('top-level domain') },
    });
    expect((await admin('POST', '/admin/suppressions', { email: 'not-an-address' })).status).toBe(400);

    const listed = await admin('GET', '/admin/suppressions');
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).not.toContain('some.one');
    expect((listed.body.suppressions as { id: string }[]).map((entry) => entry.id)).toEqual(
      expect.arrayContaining([`email:${leadHash('some.one@example.com')}`, 'domain:listed-domain.example']),
    );

    expect((await admin('DELETE', '/admin/suppressions/domain:listed-domain.example')).status).toBe(204);
    expect((await admin('DELETE', '/admin/suppressions/domain:listed-domain.example')).status).toBe(404);
    expect((await admin('DELETE', '/admin/suppressions/nonsense')).status).toBe(400);
  });

  it('imports a CSV, reporting every refused row by its line and reason', async () => {
    const csv = [
      'email,domain',
      'import.one@example.com,',
      ',imported.example',
      'broken-address,',
      'both@example.com,both.example',
      ',',
      'import.one@example.com,',
    ].join('\n');

    const imported = await admin('POST', '/admin/suppressions/import', csv, 'text/csv');

    expect(imported).toMatchObject({
      status: 200,
      body: {
        received: 6,
        added: 2,
        alreadyListed: 1,
        refused: [
          { row: 4, reason: 'email is not a valid email address' },
          { row: 5, reason: 'give either an email or a domain' },
          { row: 6, reason: 'give either an email or a domain' },
        ],
      },
    });
  });

  it('rejects a suppressed address and every address of a suppressed domain at ingest', async () => {
    const tag = ulid().toLowerCase();
    await admin('POST', '/admin/suppressions', { email: `blocked-${tag}@example.com` });
    await admin('POST', '/admin/suppressions', { domain: `${tag}.example` });

    const { slot, upload } = await uploadFile(
      stack.current,
      `email\nkept-${tag}@example.com\nBLOCKED-${tag}@example.com\nanyone@sales.${tag}.example\n`,
    );
    uploadIds.push(slot.uploadId);

    expect(upload).toMatchObject({ rowsRead: 3, accepted: 1, rejected: 2 });
    expect((await resultRows(stack.current, slot.uploadId)).slice(1).map((row) => row.slice(1, 3))).toEqual([
      ['accepted', ''],
      ['rejected', 'suppressed'],
      ['rejected', 'suppressed'],
    ]);
    expect((await leadsOf(slot.uploadId)).map((lead) => lead.email)).toEqual([`kept-${tag}@example.com`]);
  });

  it('never assigns a queued lead whose person is suppressed later, and the counters follow', async () => {
    const uploadId = ulid();
    uploadIds.push(uploadId);
    const statuses: LeadStatus[] = Array.from({ length: 6 }, () => 'deliverable');
    const leads = await seedQueuedUpload(doc(), tables(), {
      uploadId,
      createdAt: '2026-01-01T00:00:00.000Z',
      statuses,
    });
    // The seeded lead 0 gets its real lead hash, so the address suppression can find it.
    const byAddress = leads[0] as LeadItem;
    await doc().send(
      new UpdateCommand({
        TableName: tables().uploads,
        Key: leadKey(uploadId, byAddress.row),
        UpdateExpression: 'SET emailHash = :hash',
        ExpressionAttributeValues: { ':hash': leadHash(byAddress.email) },
      }),
    );
    await expectCountersEqualRecount();

    expect((await admin('POST', '/admin/suppressions', { email: byAddress.email })).status).toBe(201);
    const domain = byAddress.email.slice(byAddress.email.indexOf('@') + 1);
    // A domain suppression of another upload's domain must not touch this one.
    expect((await admin('POST', '/admin/suppressions', { domain: `not-${domain}` })).status).toBe(201);
    const memberId = `m-${uploadId.toLowerCase()}`;
    expect(
      (
        await admin('PUT', `/admin/members/${memberId}`, {
          email: `${memberId}@members.example`,
          name: 'Member',
          tier: 'starter',
          subscriptionStatus: 'active',
        })
      ).status,
    ).toBeLessThan(300);

    const summary = await runDistributionNow(stack.current);

    expect(summary).toMatchObject({ outcome: 'succeeded', leadsAssigned: 5 });
    const assigned = (await queryPartition(doc(), tables().members, memberKey(memberId).pk, 'ASSIGN#')) as {
      uploadId: string;
      row: number;
    }[];
    expect(assigned.map((lead) => lead.row).sort()).toEqual([3, 4, 5, 6, 7]);
    const after = await leadsOf(uploadId);
    expect(after.find((lead) => lead.row === byAddress.row)).toMatchObject({
      status: 'rejected',
      reason: 'suppressed',
    });
    await expectCountersEqualRecount();

    // A later run hands it out no more.
    await admin('PUT', `/admin/members/${memberId}-2`, {
      email: `${memberId}-2@members.example`,
      name: 'Member 2',
      tier: 'starter',
      subscriptionStatus: 'active',
    });
    await runDistributionNow(stack.current);
    expect(
      (await leadsOf(uploadId)).find((lead) => lead.row === byAddress.row)?.assignedCount,
    ).toBeUndefined();
    await expectCountersEqualRecount();
  });
});
