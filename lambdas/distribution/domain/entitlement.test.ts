import { describe, expect, it } from 'vitest';
import { DEFAULT_TIERS, notOwedReason } from '../../members/domain/tiers';
import { proportionalShares } from './allocate';
import { type EntitledMember, owedInRun, weekAccrual, weekEntitlement } from './entitlement';

const WEEK = { start: new Date('2026-10-05T00:00:00Z'), end: new Date('2026-10-12T00:00:00Z') };
const NOW = new Date('2026-10-06T09:00:00Z');
const member = (extra: Partial<EntitledMember> = {}): EntitledMember => ({
  memberId: 'm',
  tier: 'growth',
  subscriptionStatus: 'active',
  ...extra,
});
const entitlementOf = (
  subject: EntitledMember,
  earlier?: Parameters<typeof weekAccrual>[2],
  carryOverWeeks = 1,
) =>
  weekEntitlement(
    subject,
    weekAccrual(subject, WEEK, earlier, DEFAULT_TIERS, carryOverWeeks),
    NOW,
    DEFAULT_TIERS,
  );

describe('entitlement', () => {
  it('owes a member with no ledger yet the whole week, so a weekly run delivers the quota', () => {
    expect(entitlementOf(member())).toEqual({ quota: 25, accrued: 25, carriedIn: 0, owed: 25 });
  });

  it('accrues every week since the last entry: a month apart is four weeks', () => {
    const earlier = { accruedThrough: '2026-09-07T00:00:00.000Z', owed: 25, received: 25 };
    expect(entitlementOf(member(), earlier)).toMatchObject({ accrued: 125, owed: 125 });
    expect(entitlementOf(member(), { ...earlier, accruedThrough: '2026-09-14T00:00:00.000Z' }).accrued).toBe(
      100,
    );
  });

  it('carries a short week over, at most carryOverWeeks quotas, and none with 0', () => {
    const short = { accruedThrough: '2026-10-05T00:00:00.000Z', owed: 25, received: 5 };
    expect(entitlementOf(member(), short)).toMatchObject({ accrued: 25, carriedIn: 20, owed: 45 });
    expect(entitlementOf(member(), { ...short, owed: 80 }).carriedIn).toBe(25);
    expect(entitlementOf(member(), { ...short, owed: 80 }, 2).carriedIn).toBe(50);
    expect(entitlementOf(member(), short, 0).carriedIn).toBe(0);
  });

  it('owes a part week pro rata from the start of the subscription and up to its end', () => {
    // Wednesday noon to the end of the week: 4.5 of 7 days.
    expect(entitlementOf(member({ subscriptionStartedAt: '2026-10-07T12:00:00Z' })).accrued).toBe(16);
    // Ends Thursday midnight: 3 of 7 days.
    expect(entitlementOf(member({ subscriptionEndsAt: '2026-10-08T00:00:00Z' })).accrued).toBe(11);
  });

  it('accrues nothing for the weeks a member was paused: accrual starts again when they became eligible', () => {
    const beforePause = { accruedThrough: '2026-09-14T00:00:00.000Z', owed: 25, received: 25 };
    // Back on Thursday midnight after three weeks paused: 4 of 7 days of this week.
    expect(entitlementOf(member({ eligibleSince: '2026-10-08T00:00:00Z' }), beforePause).accrued).toBe(14);
  });

  it('owes a member who is not eligible nothing, and says why', () => {
    expect(entitlementOf(member({ weeklyQuotaOverride: 0 })).owed).toBe(0);
    expect(notOwedReason(member({ weeklyQuotaOverride: 0 }), NOW, DEFAULT_TIERS)).toBe('paused');
    expect(notOwedReason(member({ subscriptionStatus: 'canceled' }), NOW, DEFAULT_TIERS)).toBe('lapsed');
    expect(notOwedReason(member({ subscriptionEndsAt: '2026-10-01T00:00:00Z' }), NOW, DEFAULT_TIERS)).toBe(
      'lapsed',
    );
    expect(notOwedReason(member({ tier: 'unknown' }), NOW, DEFAULT_TIERS)).toBe('quota_0');
    expect(notOwedReason(member(), NOW, DEFAULT_TIERS)).toBeUndefined();
  });

  it('owes in a run what the week has not delivered yet, never less than nothing', () => {
    const owed = { quota: 25, accrued: 25, carriedIn: 10, owed: 35 };
    expect(owedInRun(owed, 0)).toBe(35);
    expect(owedInRun(owed, 30)).toBe(5);
    expect(owedInRun(owed, 40)).toBe(0);
  });
});

describe('proportionalShares', () => {
  const demand = (memberId: string, need: number, lastServedAt: string | null = null) => ({
    memberId,
    need,
    receivedThisWeek: 0,
    lastServedAt,
  });

  it('shares 100 leads for quotas 10/25/50/100 as 5/14/27/54 (largest remainder)', () => {
    const shares = proportionalShares(
      [demand('starter', 10), demand('growth', 25), demand('pro', 50), demand('elite', 100)],
      100,
    );
    expect(Object.fromEntries(shares ?? [])).toEqual({ starter: 5, growth: 14, pro: 27, elite: 54 });
  });

  it('gives a tied remainder to the member waiting longest', () => {
    const members = [demand('a', 10, '2026-10-05T09:00:00Z'), demand('b', 10, '2026-10-01T09:00:00Z')];
    expect(Object.fromEntries(proportionalShares(members, 5) ?? [])).toEqual({ a: 2, b: 3 });
    expect(
      Object.fromEntries(
        proportionalShares([demand('a', 10), demand('b', 10, '2026-10-01T09:00:00Z')], 5) ?? [],
      ),
    ).toEqual({
      a: 3,
      b: 2,
    });
  });

  it('has nothing to share out when the supply covers every need', () => {
    expect(proportionalShares([demand('a', 10)], 10)).toBeUndefined();
  });
});
