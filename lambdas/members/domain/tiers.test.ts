import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TIERS,
  isEligible,
  type MemberSubscription,
  MemberSubscriptionSchema,
  notOwedReason,
  parseTierConfig,
  weeklyQuota,
} from './tiers';

const now = new Date('2026-03-10T12:00:00Z');

const member = (overrides: Partial<MemberSubscription> = {}): MemberSubscription => ({
  memberId: 'm-1',
  tier: 'growth',
  subscriptionStatus: 'active',
  ...overrides,
});

describe('tier configuration', () => {
  it('has four default tiers with rising quotas', () => {
    expect(DEFAULT_TIERS.map((tier) => [tier.name, tier.weeklyQuota])).toEqual([
      ['starter', 10],
      ['growth', 25],
      ['pro', 50],
      ['elite', 100],
    ]);
  });

  it('accepts configured names and quotas', () => {
    expect(parseTierConfig([{ name: 'basic', weeklyQuota: 5 }])).toEqual([{ name: 'basic', weeklyQuota: 5 }]);
  });

  it.each([
    [[], /at least one tier/],
    [
      [
        { name: 'pro', weeklyQuota: 5 },
        { name: 'pro', weeklyQuota: 6 },
      ],
      /1\.name: tier 'pro' is listed twice/,
    ],
    [[{ name: 'pro', weeklyQuota: -1 }], /0\.weeklyQuota/],
    [[{ name: 'pro', weeklyQuota: 2.5 }], /0\.weeklyQuota/],
    [[{ name: 'Pro Plus', weeklyQuota: 5 }], /0\.name: must be 1-32 lower-case/],
  ])('refuses %j', (config, message) => {
    expect(() => parseTierConfig(config)).toThrow(message);
  });
});

describe('weeklyQuota', () => {
  it("is the tier's quota", () => {
    expect(weeklyQuota(member({ tier: 'pro' }), DEFAULT_TIERS)).toBe(50);
  });

  it('takes a per-member override over the tier, including an override of 0', () => {
    expect(weeklyQuota(member({ tier: 'starter', weeklyQuotaOverride: 40 }), DEFAULT_TIERS)).toBe(40);
    expect(weeklyQuota(member({ tier: 'elite', weeklyQuotaOverride: 0 }), DEFAULT_TIERS)).toBe(0);
  });

  it('ignores a null override', () => {
    expect(weeklyQuota(member({ tier: 'elite', weeklyQuotaOverride: null }), DEFAULT_TIERS)).toBe(100);
  });

  it('is 0 for a tier that is not configured', () => {
    expect(weeklyQuota(member({ tier: 'legacy-gold' }), DEFAULT_TIERS)).toBe(0);
  });

  it('refuses a negative or fractional override instead of guessing', () => {
    expect(() => weeklyQuota(member({ weeklyQuotaOverride: -3 }), DEFAULT_TIERS)).toThrow(RangeError);
    expect(() => weeklyQuota(member({ weeklyQuotaOverride: 1.5 }), DEFAULT_TIERS)).toThrow(RangeError);
  });
});

describe('isEligible', () => {
  it('is true for an active member with no end date and a quota', () => {
    expect(isEligible(member(), now, DEFAULT_TIERS)).toBe(true);
  });

  it('is true while the end date is still ahead', () => {
    expect(isEligible(member({ subscriptionEndsAt: '2026-03-10T12:00:01Z' }), now, DEFAULT_TIERS)).toBe(true);
  });

  it('is false once the end date is reached, even while the status still says active', () => {
    expect(isEligible(member({ subscriptionEndsAt: now }), now, DEFAULT_TIERS)).toBe(false);
    expect(isEligible(member({ subscriptionEndsAt: '2026-01-01T00:00:00Z' }), now, DEFAULT_TIERS)).toBe(
      false,
    );
  });

  it.each(['canceled', 'past_due', 'paused', 'ACTIVE'])('is false for status %s', (subscriptionStatus) => {
    expect(isEligible(member({ subscriptionStatus }), now, DEFAULT_TIERS)).toBe(false);
  });

  it('is false with a quota of 0 (override or unknown tier)', () => {
    expect(isEligible(member({ weeklyQuotaOverride: 0 }), now, DEFAULT_TIERS)).toBe(false);
    expect(isEligible(member({ tier: 'legacy-gold' }), now, DEFAULT_TIERS)).toBe(false);
  });

  it('is false when the end date cannot be read', () => {
    expect(isEligible(member({ subscriptionEndsAt: 'next tuesday' }), now, DEFAULT_TIERS)).toBe(false);
  });
});

describe('notOwedReason', () => {
  it('names why a member is owed nothing: paused by a 0 override, lapsed, or a tier with quota 0', () => {
    expect(notOwedReason(member({ weeklyQuotaOverride: 0 }), now, DEFAULT_TIERS)).toBe('paused');
    expect(notOwedReason(member({ subscriptionStatus: 'past_due' }), now, DEFAULT_TIERS)).toBe('lapsed');
    expect(
      notOwedReason(member({ tier: 'free' }), now, [...DEFAULT_TIERS, { name: 'free', weeklyQuota: 0 }]),
    ).toBe('quota_0');
    expect(notOwedReason(member(), now, DEFAULT_TIERS)).toBeUndefined();
  });
});

describe('MemberSubscriptionSchema', () => {
  it('accepts a synced member record and refuses a bad override', () => {
    const record = {
      memberId: 'm-9',
      tier: 'pro',
      subscriptionStatus: 'active',
      subscriptionEndsAt: '2026-04-01T00:00:00Z',
    };

    expect(MemberSubscriptionSchema.safeParse(record).success).toBe(true);
    expect(MemberSubscriptionSchema.safeParse({ ...record, weeklyQuotaOverride: -1 }).success).toBe(false);
    expect(MemberSubscriptionSchema.safeParse({ ...record, subscriptionEndsAt: 'soon' }).success).toBe(false);
  });
});
