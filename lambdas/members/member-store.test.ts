import { describe, expect, it } from 'vitest';
import type { CounterDeltas } from '../shared/counters';
import type { MemberItem } from '../shared/model';
import type { MemberInput } from './domain/member-schemas';
import { DEFAULT_TIERS } from './domain/tiers';
import { MemberStore } from './member-store';
import type { CounterIntent, MemberRecords } from './ports';

/** Members and counters in memory; `raceOnce` makes the next member write lose to another writer. */
const memoryRecords = () => {
  const members = new Map<string, MemberItem>();
  const counters: Record<string, number> = {};
  const intents = new Map<string, CounterIntent>();
  let raceOnce: MemberItem | undefined;
  const add = (deltas: CounterDeltas, sign: number) => {
    for (const [name, delta] of Object.entries(deltas)) counters[name] = (counters[name] ?? 0) + sign * delta;
  };
  const records: MemberRecords = {
    get: async (memberId) => members.get(memberId),
    putIfVersion: async (item, expectedVersion) => {
      if (raceOnce) {
        members.set(raceOnce.memberId, raceOnce);
        raceOnce = undefined;
      }
      if (members.get(item.memberId)?.version !== expectedVersion) return false;
      members.set(item.memberId, item);
      return true;
    },
    applyCounterIntent: async (marker, intent) => {
      if (intents.has(marker)) return false;
      intents.set(marker, intent);
      add(intent.deltas, 1);
      return true;
    },
    settleCounterIntent: async (marker, deltas, how) => {
      if (!intents.delete(marker)) return;
      if (how === 'revert') add(deltas, -1);
    },
    counterIntents: async () => [...intents].map(([marker, intent]) => ({ marker, intent })),
    list: async () => ({ items: [...members.values()] }),
  };
  return { records, counters, intents, loseNextWriteTo: (item: MemberItem) => (raceOnce = item) };
};

const input = (tier: string): MemberInput => ({
  email: 'member@example.com',
  name: 'A Member',
  tier,
  subscriptionStatus: 'active',
  subscriptionEndsAt: null,
  weeklyQuotaOverride: null,
});

const storeOver = (records: MemberRecords) =>
  new MemberStore({
    doc: { send: async () => ({}) },
    membersTable: 'unused',
    controlTable: 'unused',
    tiers: DEFAULT_TIERS,
    now: () => new Date('2026-01-05T10:00:00Z'),
    records,
  });

describe('MemberStore.upsert over its records port', () => {
  it('counts a new member once and a repeated sync not at all', async () => {
    const memory = memoryRecords();
    const store = storeOver(memory.records);
    expect((await store.upsert('m1', input('growth'))).outcome).toBe('created');
    expect((await store.upsert('m1', input('growth'))).outcome).toBe('unchanged');
    expect(memory.counters).toEqual({ eligibleMembers: 1, 'eligibleMembers#growth': 1, weeklyDemand: 25 });
    expect(memory.intents.size).toBe(0);
  });

  it('takes its counter change back when another writer changed the member first, then applies its own', async () => {
    const memory = memoryRecords();
    const store = storeOver(memory.records);
    const { item } = await store.upsert('m1', input('starter'));
    memory.loseNextWriteTo({ ...item, version: item.version + 1 });
    expect((await store.upsert('m1', input('pro'))).outcome).toBe('updated');
    expect(memory.counters).toMatchObject({ eligibleMembers: 1, weeklyDemand: 50 });
    expect(memory.intents.size).toBe(0);
  });
});

describe('MemberStore address feedback', () => {
  it('marks the address on a hard bounce, counts the member once, and clears on an admin’s word', async () => {
    const memory = memoryRecords();
    const store = storeOver(memory.records);
    await store.upsert('m1', input('growth'));
    expect(await store.recordAddressFeedback('m1', 'Member@Example.com', 'hard-bounce')).toBe('updated');
    expect(await store.recordAddressFeedback('m1', 'member@example.com', 'complaint')).toBe('unchanged');
    expect((await store.get('m1'))?.addressMark).toMatchObject({ reason: 'hard-bounce' });
    expect(memory.counters.markedMembers).toBe(1);

    expect((await store.clearAddressMark('m1'))?.outcome).toBe('updated');
    expect((await store.get('m1'))?.addressMark).toBeNull();
    expect(memory.counters.markedMembers).toBe(0);
    expect(memory.intents.size).toBe(0);
  });

  it('counts soft bounces without marking, and ignores feedback about an address the member no longer has', async () => {
    const memory = memoryRecords();
    const store = storeOver(memory.records);
    await store.upsert('m1', input('growth'));
    await store.recordAddressFeedback('m1', 'member@example.com', 'soft-bounce');
    await store.recordAddressFeedback('m1', 'member@example.com', 'soft-bounce');
    const item = await store.get('m1');
    expect(item).toMatchObject({ softBounces: 2, addressMark: null });
    expect(memory.counters.markedMembers ?? 0).toBe(0);

    expect(await store.recordAddressFeedback('m1', 'old@example.com', 'complaint')).toBe('other-address');
    expect(await store.recordAddressFeedback('nobody', 'member@example.com', 'complaint')).toBe(
      'unknown-member',
    );
  });

  it('keeps the mark through a sync of the same address and drops it (and its count) with a new address', async () => {
    const memory = memoryRecords();
    const store = storeOver(memory.records);
    await store.upsert('m1', input('growth'));
    await store.recordAddressFeedback('m1', 'member@example.com', 'complaint');
    expect((await store.upsert('m1', input('growth'))).outcome).toBe('unchanged');
    expect((await store.upsert('m1', { ...input('pro') })).item.addressMark).toMatchObject({
      reason: 'complaint',
    });
    expect(memory.counters.markedMembers).toBe(1);

    const moved = await store.upsert('m1', { ...input('pro'), email: 'new@example.com' });
    expect(moved.item.addressMark).toBeNull();
    expect(memory.counters.markedMembers).toBe(0);
  });
});
