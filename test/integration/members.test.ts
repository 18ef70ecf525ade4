import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { documentClient } from '../../fixtures/clients';
import { activeAddressMark } from '../../lambdas/members/domain/member-record';
import { DEFAULT_TIERS } from '../../lambdas/members/domain/tiers';
import { MemberStore } from '../../lambdas/members/member-store';
import { memberTag } from '../../lambdas/shared/email-tags';
import {
  ELIGIBLE_INDEX_PK,
  eligibleTierCounter,
  GLOBAL_COUNTERS_KEY,
  MEMBER_DIRECTORY_PK,
  type MemberItem,
  memberKey,
  NOT_ELIGIBLE_INDEX_PK,
} from '../../lambdas/shared/model';
import { ADMIN, callApi } from '../support/api';
import { interceptDoc, tablesOf } from '../support/distribution';
import { loadEvent } from '../support/events';
import { useLocalStack } from '../support/local-stack';

/**
 * Members sync through the admin API (local front door, authorizer, dynalite). After every scenario the
 * global counters are recounted from the member items themselves and must agree exactly.
 */
interface ApiBody {
  message?: string;
  member?: Record<string, unknown>;
  members: { id: string; eligible: boolean }[];
  errors?: unknown[];
  nextCursor: string | null;
  [field: string]: unknown;
}

describe('members', () => {
  const stack = useLocalStack();

  const request = (method: string, path: string, body?: unknown, contentType?: string) =>
    callApi<ApiBody>(stack.current, ADMIN, method, path, body, contentType);
  const put = (id: string, fields: Record<string, unknown>) =>
    request('PUT', `/admin/members/${id}`, {
      email: `${id}@members.example`,
      name: `Member ${id}`,
      tier: 'starter',
      subscriptionStatus: 'active',
      ...fields,
    });

  const allMembers = async (): Promise<MemberItem[]> => {
    const doc = documentClient(stack.current);
    const items: MemberItem[] = [];
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new QueryCommand({
          TableName: tablesOf(stack.current).members,
          IndexName: 'directory',
          KeyConditionExpression: 'gsi2pk = :pk',
          ExpressionAttributeValues: { ':pk': MEMBER_DIRECTORY_PK },
          ExclusiveStartKey: cursor,
        }),
      );
      items.push(...((page.Items ?? []) as MemberItem[]));
      cursor = page.LastEvaluatedKey;
    } while (cursor);
    return items;
  };
  const counters = async () =>
    (
      await documentClient(stack.current).send(
        new GetCommand({ TableName: tablesOf(stack.current).control, Key: GLOBAL_COUNTERS_KEY }),
      )
    ).Item ?? {};

  /** The counters, recounted from the items: what the maintained counters must equal. */
  const expectCountersToMatchItems = async () => {
    const members = await allMembers();
    const eligible = members.filter((member) => member.counted.eligible);
    const current = await counters();
    expect(current.eligibleMembers ?? 0).toBe(eligible.length);
    expect(current.weeklyDemand ?? 0).toBe(
      eligible.reduce((sum, member) => sum + member.counted.weeklyQuota, 0),
    );
    expect(current.markedMembers ?? 0).toBe(
      members.filter((member) => activeAddressMark(member) !== undefined).length,
    );
    for (const tier of DEFAULT_TIERS)
      expect(current[eligibleTierCounter(tier.name)] ?? 0).toBe(
        eligible.filter((member) => member.tier === tier.name).length,
      );
    // Every eligible member is in the sparse index and no one else.
    for (const member of members)
      expect(member.gsi1pk).toBe(member.counted.eligible ? ELIGIBLE_INDEX_PK : NOT_ELIGIBLE_INDEX_PK);
    expect(current.inflight).toBeUndefined();
  };

  it('creates, changes and leaves alone a member, keeping eligibility and demand counted', async () => {
    const created = await put('m-1', { tier: 'growth' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      outcome: 'created',
      member: { id: 'm-1', tier: 'growth', weeklyQuota: 25, eligible: true, version: 1 },
    });

    const same = await put('m-1', { tier: 'growth' });
    expect(same.body).toMatchObject({ outcome: 'unchanged', member: { version: 1 } });

    const upgraded = await put('m-1', { tier: 'pro' });
    expect(upgraded.body).toMatchObject({ outcome: 'updated', member: { weeklyQuota: 50, version: 2 } });
    const paused = await put('m-1', { tier: 'pro', weeklyQuotaOverride: 0 });
    expect(paused.body.member).toMatchObject({ eligible: false, weeklyQuota: 0 });
    const cancelled = await put('m-2', { tier: 'elite', subscriptionStatus: 'canceled' });
    expect(cancelled.body.member).toMatchObject({ eligible: false });
    await put('m-3', { tier: 'elite', subscriptionEndsAt: '2099-01-01T00:00:00Z' });
    await put('m-4', { tier: 'starter', subscriptionEndsAt: '2020-01-01T00:00:00Z' });

    const item = (
      await documentClient(stack.current).send(
        new GetCommand({ TableName: tablesOf(stack.current).members, Key: memberKey('m-1') }),
      )
    ).Item;
    expect(item?.gsi1pk).toBe(NOT_ELIGIBLE_INDEX_PK);
    await expectCountersToMatchItems();
    expect(await counters()).toMatchObject({
      eligibleMembers: 1,
      'eligibleMembers#elite': 1,
      weeklyDemand: 100,
    });
  });

  it('answers 400 naming the field for bad input', async () => {
    const tier = await put('m-x', { tier: 'platinum' });
    expect(tier.status).toBe(400);
    expect(tier.body.message).toContain(
      "'platinum' is not a configured tier (known: starter, growth, pro, elite)",
    );
    expect((await put('m-x', { email: 'not-an-email' })).body.message).toContain('email');
    // An unknown status is refused by the request model at the gateway, before the function.
    expect((await put('m-x', { subscriptionStatus: 'sleeping' })).body).toEqual({
      error: 'BadRequest',
      message: 'The request body is invalid',
    });
    expect((await put('m-x', { colour: 'blue' })).status).toBe(400);
    expect((await put('m-x', { weeklyQuotaOverride: -1 })).status).toBe(400);
    expect((await put('bad id!', {})).status).toBe(400);
    expect((await request('PUT', '/admin/members/m-x', '{not json')).status).toBe(400);
  });

  it('imports JSON members idempotently and reports each bad row by number', async () => {
    const members = [
      {
        id: 'j-1',
        email: 'j1@members.example',
        name: 'J One',
        tier: 'starter',
        subscriptionStatus: 'active',
      },
      { id: 'j-2', email: 'j2@members.example', name: 'J Two', tier: 'gold', subscriptionStatus: 'active' },
      {
        id: 'j-3',
        email: 'j3@members.example',
        name: 'J Three',
        tier: 'pro',
        subscriptionStatus: 'trialing',
      },
      { id: 'j-1', email: 'j1@members.example', name: 'again', tier: 'pro', subscriptionStatus: 'active' },
    ];
    const first = await request('POST', '/admin/members/import', { members });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ received: 4, created: 2, updated: 0, unchanged: 0, failed: 2 });
    expect(first.body.errors).toEqual([
      expect.objectContaining({ row: 2, memberId: 'j-2', field: 'tier' }),
      expect.objectContaining({ row: 4, memberId: 'j-1', message: expect.stringContaining('row 1') }),
    ]);

    const again = await request('POST', '/admin/members/import', members);
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 2, failed: 2 });
    await expectCountersToMatchItems();
  });

  it('imports CSV with a header row, reporting rows by line', async () => {
    const csv = [
      '\ufeffMember ID,Email,Name,Tier,Subscription Status,Weekly Quota Override',
      'c-1,c1@members.example,C One,growth,active,',
      'c-2,c2@members.example,C Two,elite,active,5',
      'c-3,c3@members.example,C Three',
      'c-4,c4@members.example,C Four,starter,past_due,',
    ].join('\r\n');
    const result = await request('POST', '/admin/members/import', csv, 'text/csv');
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ received: 4, created: 3, failed: 1 });
    expect(result.body.errors).toEqual([{ row: 4, message: 'has 3 columns; the header has 6' }]);
    const c2 = await request('GET', '/admin/members?limit=200');
    expect(c2.body.members.find((member) => member.id === 'c-2')).toMatchObject({
      weeklyQuota: 5,
      eligible: true,
    });
    await expectCountersToMatchItems();

    expect(
      (await request('POST', '/admin/members/import', 'id,email,shoe size\n1,a@b.example,9', 'text/csv'))
        .status,
    ).toBe(400);
    expect((await request('POST', '/admin/members/import', '[]')).status).toBe(400);
    const tooMany = Array.from({ length: 1001 }, (_, index) => ({ id: `t-${index}` }));
    const refused = await request('POST', '/admin/members/import', tooMany);
    expect(refused.status).toBe(400);
    // The model's maxItems: refused at the gateway.
    expect(refused.body).toEqual({ error: 'BadRequest', message: 'The request body is invalid' });
  });

  it('lists members a page at a time, or only the eligible ones', async () => {
    const everyone = (await allMembers()).map((member) => member.memberId).sort();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await request('GET', `/admin/members?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.body.members.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.members.map((member) => member.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(everyone);

    const eligible = await request('GET', '/admin/members?eligible=true&limit=200');
    expect(eligible.body.members.every((member) => member.eligible)).toBe(true);
    expect(eligible.body.members.length).toBe((await counters()).eligibleMembers);

    expect((await request('GET', '/admin/members?cursor=garbage')).status).toBe(400);
    expect((await request('GET', '/admin/members?limit=0')).status).toBe(400);
  });

  it('keeps the counters exact when the same member is changed by many requests at once', async () => {
    const tiers = ['starter', 'growth', 'pro', 'elite'];
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, index) => put('race-1', { tier: tiers[index % 4] })),
    );
    expect(
      results.every((result) => result.status === 200 || result.status === 201 || result.status === 409),
    ).toBe(true);
    await expectCountersToMatchItems();
  });

  it('keeps the marked-address count exact while bounces, complaints, address changes and clears race', async () => {
    const ids = Array.from({ length: 6 }, (_, index) => `mark-${index}`);
    for (const id of ids) await put(id, {});
    const bounce = (id: string) => {
      const event = loadEvent<{
        detail: {
          mail: { tags: Record<string, string[]> };
          bounce: { bouncedRecipients: { emailAddress: string }[] };
        };
      }>('ses/bounce-permanent.json');
      event.detail.mail.tags = {
        'ses:configuration-set': [`proleads-${stack.current.config.stage}`],
        member: [memberTag(id).Value],
      };
      event.detail.bounce.bouncedRecipients = [{ emailAddress: `${id}@members.example` }];
      return stack.current.events.put(event);
    };
    await Promise.all([
      ...ids.flatMap((id) => [bounce(id), bounce(id)]),
      ...ids.slice(0, 2).map((id) => put(id, { email: `${id}-new@members.example` })),
      ...ids.slice(2, 4).map((id) => request('DELETE', `/admin/members/${id}/address-mark`)),
    ]);
    await expectCountersToMatchItems();
  });

  it('repairs an intent left by a writer that died between the counters and the member', async () => {
    const doc = documentClient(stack.current);
    const tables = tablesOf(stack.current);
    const deps = {
      membersTable: tables.members,
      controlTable: tables.control,
      tiers: DEFAULT_TIERS,
      now: () => new Date(),
    };
    const input = {
      email: 'crash@members.example',
      name: 'Crash',
      tier: 'elite',
      subscriptionStatus: 'active',
    } as const;
    // Dies on the member put: the counters already carry +1 member, +100 demand.
    const diesOnPut = new MemberStore({
      ...deps,
      doc: interceptDoc(doc, (command) => {
        if (command.constructor.name === 'PutCommand') throw new Error('died before the member write');
      }),
    });
    await expect(diesOnPut.upsert('crash-1', input)).rejects.toThrow('died');
    // Dies after the member put, before clearing the intent: the deltas are right and must stay.
    let puts = 0;
    const diesAfterPut = new MemberStore({
      ...deps,
      doc: interceptDoc(doc, (command) => {
        if (command.constructor.name === 'PutCommand') puts += 1;
        else if (puts > 0 && command.constructor.name === 'UpdateCommand')
          throw new Error('died before clearing');
      }),
    });
    await expect(diesAfterPut.upsert('crash-2', input)).rejects.toThrow('died');
    expect(Object.keys(await counters()).filter((name) => name.startsWith('intent#'))).toHaveLength(2);

    // A fresh intent may belong to a writer still at work: left alone. A stale one is settled.
    const store = new MemberStore({ ...deps, doc });
    expect(await store.repairCounterIntents()).toBe(0);
    const later = new MemberStore({ ...deps, doc, now: () => new Date(Date.now() + 10 * 60_000) });
    expect(await later.repairCounterIntents()).toBe(2);

    expect(Object.keys(await counters()).filter((name) => name.startsWith('intent#'))).toEqual([]);
    expect(await store.get('crash-1')).toBeUndefined();
    expect((await store.get('crash-2'))?.counted.eligible).toBe(true);
    await expectCountersToMatchItems();
  });
});
