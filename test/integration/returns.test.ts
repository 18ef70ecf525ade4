import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { documentClient } from '../../fixtures/clients';
import {
  type AssignmentItem,
  assignmentKey,
  GLOBAL_COUNTERS_KEY,
  type LeadItem,
  type LeadStatus,
  leadKey,
  type MemberItem,
  memberKey,
  returnQueueIndexKeys,
  uploadKey,
} from '../../lambdas/shared/model';
import { type LocalStack, startLocalStack } from '../../local/runtime';
import { adminApi, callApi, runDistributionNow } from '../support/api';
import { mailsTo, queryPartition, seedQueuedUpload, tablesOf } from '../support/distribution';
import { QUIET_ENV } from '../support/local-stack';

/**
 * Returns on the local stack: a member returns delivered leads over the member API, an admin decides them
 * over the admin API, and distribution runs in between deliver the replacements. Each test on a fresh
 * stack (a run takes every eligible member). Counters are compared with a recount after every step.
 */

const deliverable = (count: number): LeadStatus[] => Array.from({ length: count }, () => 'deliverable');

describe('returns with replacement', () => {
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
  const member = (memberId: string, method: string, path: string, body?: unknown) =>
    callApi(stack, { sub: memberId, role: 'member' }, method, path, body);
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
    (await queryPartition(
      doc(),
      tables().members,
      memberKey(memberId).pk,
      'ASSIGN#',
    )) as unknown as AssignmentItem[];
  const profile = async (memberId: string) =>
    (await doc().send(new GetCommand({ TableName: tables().members, Key: memberKey(memberId) })))
      .Item as MemberItem;
  const leadsOf = async (uploadId: string) =>
    (await queryPartition(doc(), tables().uploads, uploadKey(uploadId).pk, 'LEAD#')) as unknown as LeadItem[];
  const globalCounters = async () =>
    (await doc().send(new GetCommand({ TableName: tables().control, Key: GLOBAL_COUNTERS_KEY }))).Item ?? {};

  /** The returns counters and the supply recounted from the items, against the overview and the counters. */
  const expectCountersEqualRecount = async (uploadIds: readonly string[]) => {
    const inState = async (state: string) =>
      (
        await doc().send(
          new QueryCommand({
            TableName: tables().members,
            IndexName: 'returns',
            KeyConditionExpression: 'gsi4pk = :pk',
            ExpressionAttributeValues: { ':pk': returnQueueIndexKeys(state, '', '').gsi4pk },
          }),
        )
      ).Items?.length ?? 0;
    let available = 0;
    for (const uploadId of uploadIds) {
      for (const lead of await leadsOf(uploadId)) {
        if (lead.status === 'deliverable') available += 1 - (lead.assignedCount ?? 0);
      }
    }
    const recount = {
      pending: await inState('pending'),
      approved: await inState('approved'),
      refused: await inState('refused'),
    };
    const overview = (await admin('GET', '/admin/overview')).body as {
      returns: typeof recount;
      leads: { availableForDistribution: number };
    };
    expect(overview.returns).toEqual(recount);
    expect(overview.leads.availableForDistribution).toBe(available);
    const counters = await globalCounters();
    expect(counters.inflight).toBeUndefined();
  };

  it('replaces an approved return exactly once on the next run, and refuses returns past the window or over the cap', async () => {
    const older = ulid();
    const newer = ulid();
    await seedQueuedUpload(doc(), tables(), {
      uploadId: older,
      createdAt: '2026-01-01T00:00:00.000Z',
      statuses: deliverable(10),
    });
    await seedQueuedUpload(doc(), tables(), {
      uploadId: newer,
      createdAt: '2026-02-01T00:00:00.000Z',
      statuses: deliverable(20),
    });
    const uploads = [older, newer];
    await putMember('a');
    expect(await run()).toMatchObject({ outcome: 'succeeded', leadsAssigned: 10 });
    const delivered = await assignmentsOf('a');
    expect(delivered).toHaveLength(10);
    const [first, second, third] = delivered;
    if (!first || !second || !third) throw new Error('expected ten deliveries');

    // Within the window and the cap (20% of the 10 delivered that week = 2).
    const filed = await member('a', 'POST', '/members/me/returns', {
      email: first.email.toUpperCase(),
      reason: 'bounced',
    });
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({
      memberId: 'a',
      uploadId: first.uploadId,
      row: first.row,
      reason: 'bounced',
      state: 'pending',
    });
    const otherWithoutText = await member('a', 'POST', '/members/me/returns', {
      email: second.email,
      reason: 'other',
    });
    expect(otherWithoutText.status).toBe(400);
    const secondFiled = await member('a', 'POST', '/members/me/returns', {
      email: second.email,
      reason: 'other',
      text: 'The company closed last year',
    });
    expect(secondFiled.status).toBe(201);
    await expectCountersEqualRecount(uploads);

    const overCap = await member('a', 'POST', '/members/me/returns', {
      email: third.email,
      reason: 'wrong_person',
    });
    expect(overCap.status).toBe(409);
    expect(overCap.body).toMatchObject({ details: { reason: 'over_weekly_cap' } });
    expect(String(overCap.body.message)).toContain('2 of the 10');
    const again = await member('a', 'POST', '/members/me/returns', { email: first.email, reason: 'bounced' });
    expect(again.body).toMatchObject({ details: { reason: 'already_returned' } });
    const notTheirs = await member('a', 'POST', '/members/me/returns', {
      email: 'someone@else.example',
      reason: 'bounced',
    });
    expect(notTheirs.status).toBe(404);

    // A lead delivered ten days ago is past the seven-day window.
    const longAgo = new Date(Date.now() - 10 * 86_400_000).toISOString();
    await doc().send(
      new PutCommand({
        TableName: tables().members,
        Item: {
          ...assignmentKey('a', longAgo, older, 999),
          memberId: 'a',
          assignedAt: longAgo,
          runId: ulid(),
          uploadId: older,
          row: 999,
          email: 'old.lead@long-ago.example',
        } satisfies AssignmentItem,
      }),
    );
    const late = await member('a', 'POST', '/members/me/returns', {
      email: 'old.lead@long-ago.example',
      reason: 'bounced',
    });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ details: { reason: 'outside_window' } });
    expect(String(late.body.message)).toContain('within 7 days');

    // The admins' queue: both pending, oldest first.
    const queue = await admin('GET', '/admin/returns');
    expect((queue.body.returns as { returnId: string }[]).map((item) => item.returnId)).toEqual([
      filed.body.returnId,
      secondFiled.body.returnId,
    ]);
    const approved = await admin('POST', `/admin/returns/${filed.body.returnId}/approve`, {
      note: 'Bounced for us too',
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      state: 'approved',
      decidedBy: 'admin-1',
      note: 'Bounced for us too',
    });
    expect((await admin('POST', `/admin/returns/${filed.body.returnId}/approve`)).status).toBe(200);
    const refuseApproved = await admin('POST', `/admin/returns/${filed.body.returnId}/refuse`, {
      note: 'No',
    });
    expect(refuseApproved.status).toBe(409);
    const refused = await admin('POST', `/admin/returns/${secondFiled.body.returnId}/refuse`, {
      note: 'The lead was right when delivered',
    });
    expect(refused.body).toMatchObject({ state: 'refused', note: 'The lead was right when delivered' });
    await expectCountersEqualRecount(uploads);

    // The approval took the lead out of circulation and owes one replacement.
    const returnedLead = (await leadsOf(first.uploadId)).find((lead) => lead.row === first.row);
    expect(returnedLead?.status).toBe('returned');
    expect((await profile('a')).replacementsOwed).toBe(1);

    // The next run (same week, quota already met) delivers exactly the replacement: a new lead.
    expect(await run()).toMatchObject({ outcome: 'succeeded', leadsAssigned: 1 });
    // Eleven deliveries (and the old one seeded above): the replacement is none of the earlier ones.
    const afterReplacement = (await assignmentsOf('a')).filter((lead) => lead.row !== 999);
    expect(afterReplacement).toHaveLength(11);
    const replacements = afterReplacement.filter(
      (lead) => !delivered.some((before) => before.uploadId === lead.uploadId && before.row === lead.row),
    );
    expect(replacements).toHaveLength(1);
    expect(replacements[0]?.uploadId).toBe(newer);
    expect((await profile('a')).replacementsOwed).toBe(0);
    const mails = await mailsTo(stack, ['a@members.example']);
    expect(mails.at(-1)?.body.text).toContain('One of them replaces a lead you returned.');
    await expectCountersEqualRecount(uploads);

    // And only once.
    expect(await run()).toMatchObject({ leadsAssigned: 0 });
    expect((await assignmentsOf('a')).filter((lead) => lead.row !== 999)).toHaveLength(11);

    const mine = await member('a', 'GET', '/members/me/returns');
    expect(
      (mine.body.returns as { returnId: string; state: string }[])
        .map((item) => [item.returnId, item.state])
        .sort(),
    ).toEqual(
      [
        [filed.body.returnId, 'approved'],
        [secondFiled.body.returnId, 'refused'],
      ].sort(),
    );
  });

  it('approves a bounce at once when the verifier knows the address bounces hard', async () => {
    const uploadId = ulid();
    const [lead] = await seedQueuedUpload(doc(), tables(), {
      uploadId,
      createdAt: '2026-01-01T00:00:00.000Z',
      statuses: deliverable(10),
    });
    if (!lead) throw new Error('no lead seeded');
    // The local verifier answers INVALID_DOMAIN for any name under `.invalid`.
    await doc().send(
      new UpdateCommand({
        TableName: tables().uploads,
        Key: leadKey(uploadId, lead.row),
        UpdateExpression: 'SET email = :email',
        ExpressionAttributeValues: { ':email': 'gone@mailbox.invalid' },
      }),
    );
    await putMember('a');
    expect(await run()).toMatchObject({ leadsAssigned: 10 });

    const filed = await member('a', 'POST', '/members/me/returns', {
      email: 'gone@mailbox.invalid',
      reason: 'bounced',
    });
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ state: 'approved', decidedBy: 'automatic' });
    expect((await profile('a')).replacementsOwed).toBe(1);
    expect((await leadsOf(uploadId)).find((item) => item.row === lead.row)?.status).toBe('returned');
    await expectCountersEqualRecount([uploadId]);

    // Another reason for the same kind of address still waits for an admin.
    const second = (await assignmentsOf('a')).find((item) => item.row !== lead.row);
    if (!second) throw new Error('expected another delivery');
    const wrongPerson = await member('a', 'POST', '/members/me/returns', {
      email: second.email,
      reason: 'wrong_person',
    });
    expect(wrongPerson.body).toMatchObject({ state: 'pending' });
    await expectCountersEqualRecount([uploadId]);
  });
});
