import { randomBytes } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { documentClient } from '../../fixtures/clients';
import { memberTag } from '../../lambdas/shared/email-tags';
import { GLOBAL_COUNTERS_KEY, type LeadStatus } from '../../lambdas/shared/model';
import { type LocalStack, startLocalStack } from '../../local/runtime';
import { adminApi, runDistributionNow } from '../support/api';
import { mailsTo, seedQueuedUpload, tablesOf } from '../support/distribution';
import { loadEvent } from '../support/events';
import { QUIET_ENV } from '../support/local-stack';

/**
 * The bounce path end to end on the emulators: a member is mailed by a run (SES emulator), SES's bounce
 * event for that mail reaches the email-feedback function through the local event bus (the template's
 * rule), and the next run assigns the member leads but sends no email. Each test on a fresh stack: a run
 * takes every eligible member and every queued upload.
 */

const deliverable = (count: number): LeadStatus[] => Array.from({ length: count }, () => 'deliverable');

type SesEvent = {
  'detail-type': string;
  detail: {
    eventType: string;
    mail: { tags: Record<string, string[]>; destination: string[] };
    bounce?: { bounceType: string; bouncedRecipients: { emailAddress: string }[] };
    complaint?: { complainedRecipients: { emailAddress: string }[] };
  };
};

describe('SES bounces and complaints on the local stack', () => {
  let stack: LocalStack;
  let tag = '';
  beforeEach(async () => {
    stack = await startLocalStack({ template: inject('template'), env: QUIET_ENV });
    tag = randomBytes(4).toString('hex');
  });
  afterEach(async () => {
    await stack.stop();
  });

  const admin = adminApi(() => stack);
  const emailOf = (memberId: string) => `${memberId}-${tag}@members.example`;
  const putMember = async (memberId: string, weeklyQuotaOverride: number | null = null) => {
    const response = await admin('PUT', `/admin/members/${memberId}`, {
      email: emailOf(memberId),
      name: `Member ${memberId}`,
      tier: 'starter',
      subscriptionStatus: 'active',
      weeklyQuotaOverride,
    });
    expect(response.status).toBeLessThan(300);
  };
  const run = () => runDistributionNow(stack);
  const seed = (uploadId: string, count: number) =>
    seedQueuedUpload(documentClient(stack), tablesOf(stack), {
      uploadId: `${uploadId}-${tag}`,
      createdAt: new Date().toISOString(),
      statuses: deliverable(count),
    });
  /** The event SES publishes for a mail of this stack's configuration set to `memberId`. */
  const sesEvent = (file: string, memberId: string, change: (event: SesEvent) => void = () => undefined) => {
    const event = loadEvent<SesEvent>(file);
    event.detail.mail.tags = {
      'ses:configuration-set': [`proleads-${stack.config.stage}`],
      member: [memberTag(memberId).Value],
    };
    event.detail.mail.destination = [emailOf(memberId)];
    for (const recipient of [
      ...(event.detail.bounce?.bouncedRecipients ?? []),
      ...(event.detail.complaint?.complainedRecipients ?? []),
    ])
      recipient.emailAddress = emailOf(memberId);
    change(event);
    return event;
  };
  const memberView = async (memberId: string) =>
    (
      await admin<{ member: { addressMark: { reason: string } | null; softBounces: number } }>(
        'GET',
        `/admin/members/${memberId}`,
      )
    ).body;
  const markedMembers = async () =>
    Number(
      (
        await documentClient(stack).send(
          new GetCommand({ TableName: tablesOf(stack).control, Key: GLOBAL_COUNTERS_KEY }),
        )
      ).Item?.markedMembers ?? 0,
    );

  it('a hard bounce stops the next email to that member; leads still arrive; an admin clears the mark', async () => {
    await putMember('bouncer', 2);
    await putMember('reader', 2);
    await seed('FIRST', 20);
    expect(await run()).toMatchObject({ membersServed: 2, membersNotified: 2, membersNotMailed: 0 });
    expect(await mailsTo(stack, [emailOf('bouncer')])).toHaveLength(1);

    const [recorded] = (await stack.events.put(sesEvent('ses/bounce-permanent.json', 'bouncer'))) as {
      outcome: string;
    }[][];
    expect(recorded).toEqual([{ memberId: 'bouncer', kind: 'hard-bounce', outcome: 'updated' }]);
    expect((await memberView('bouncer')).member.addressMark).toMatchObject({ reason: 'hard-bounce' });
    expect(await markedMembers()).toBe(1);

    // A larger quota (synced with the same address: the mark stays) makes the next run owe them more.
    await putMember('bouncer', 5);
    await putMember('reader', 5);
    const second = await run();
    expect(second).toMatchObject({
      leadsAssigned: 6,
      membersServed: 2,
      membersNotified: 1,
      membersNotMailed: 1,
    });
    expect(await mailsTo(stack, [emailOf('bouncer')])).toHaveLength(1);
    expect(await mailsTo(stack, [emailOf('reader')])).toHaveLength(2);

    const cleared = await admin('DELETE', '/admin/members/bouncer/address-mark');
    expect(cleared.status).toBe(200);
    expect((await memberView('bouncer')).member.addressMark).toBeNull();
    expect(await markedMembers()).toBe(0);
  });

  it('npm start plays SES feedback on request (POST /.dev/ses-feedback), through the same rule', async () => {
    await putMember('dev-bouncer');
    const path = `/.dev/ses-feedback?member=dev-bouncer&address=${encodeURIComponent(emailOf('dev-bouncer'))}`;
    const answer = await fetch(`${stack.url}${path}&type=hard-bounce`, { method: 'POST' });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({
      recorded: [{ memberId: 'dev-bouncer', kind: 'hard-bounce', outcome: 'updated' }],
    });
    expect((await memberView('dev-bouncer')).member.addressMark).toMatchObject({ reason: 'hard-bounce' });
    expect((await fetch(`${stack.url}${path}&type=hard-bounce`)).status).toBe(405);
    expect((await fetch(`${stack.url}${path}&type=spam`, { method: 'POST' })).status).toBe(400);
  });

  it('a complaint marks the address; a soft bounce is counted and does not; another stage’s events are not ours', async () => {
    await putMember('complainer');
    await putMember('soft');
    await stack.events.put(sesEvent('ses/complaint.json', 'complainer'));
    await stack.events.put(
      sesEvent('ses/bounce-permanent.json', 'soft', (event) => {
        if (event.detail.bounce) event.detail.bounce.bounceType = 'Transient';
      }),
    );
    const otherStage = sesEvent('ses/bounce-permanent.json', 'soft', (event) => {
      event.detail.mail.tags['ses:configuration-set'] = ['proleads-someone-else'];
    });
    expect(await stack.events.put(otherStage)).toEqual([]);

    expect((await memberView('complainer')).member.addressMark).toMatchObject({ reason: 'complaint' });
    expect((await memberView('soft')).member).toMatchObject({ addressMark: null, softBounces: 1 });
    expect(await markedMembers()).toBe(1);
  });
});
