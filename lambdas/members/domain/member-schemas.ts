import { z } from 'zod';
import type { Tier } from './tiers';

/**
 * The member contract of the admin API: what an upsert or import row may set, and what an admin sees. Kept
 * apart from the member store (which pulls in the DynamoDB client) so the route list and its OpenAPI
 * document can import the very schemas the handlers validate with.
 */

export const MEMBER_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
export const MEMBER_ID_MESSAGE = 'must be 1-64 letters, digits or . _ : -';

export const SUBSCRIPTION_STATUSES = [
  'active',
  'trialing',
  'past_due',
  'unpaid',
  'paused',
  'canceled',
  'incomplete',
  'incomplete_expired',
] as const;

const QUOTA_MESSAGE = 'must be a whole number of leads per week, 0-10000 (0 pauses the member)';

/**
 * The fields an upsert sets; the id comes from the path (or the import row). `tier` is any tier name here:
 * which tiers exist is deployment configuration, checked by `memberInputSchema(tiers)`.
 */
export const MemberInputSchema = z.strictObject({
  email: z
    .string({ error: 'is required' })
    .trim()
    .toLowerCase()
    .pipe(z.email({ error: 'must be an email address' })),
  name: z.string({ error: 'is required' }).trim().min(1, 'must not be empty').max(200),
  tier: z
    .string({ error: 'is required' })
    .min(1)
    .meta({ description: 'one of the configured tiers (by default starter, growth, pro, elite)' }),
  subscriptionStatus: z.enum(SUBSCRIPTION_STATUSES, {
    error: (issue) =>
      issue.input === undefined
        ? 'is required'
        : `must be one of ${SUBSCRIPTION_STATUSES.join(', ')}, got '${String(issue.input)}'`,
  }),
  subscriptionEndsAt: z.iso
    .datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2026-12-31T23:59:59Z' })
    .transform((value) => new Date(value).toISOString())
    .nullish(),
  subscriptionStartedAt: z.iso
    .datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2026-12-02T12:00:00Z' })
    .transform((value) => new Date(value).toISOString())
    .nullish()
    .meta({
      description:
        'when the paid subscription began: a member who joins mid-week is owed that week pro rata from here',
    }),
  weeklyQuotaOverride: z
    .number({ error: QUOTA_MESSAGE })
    .int({ error: QUOTA_MESSAGE })
    .min(0, { error: QUOTA_MESSAGE })
    .max(10_000, { error: QUOTA_MESSAGE })
    .nullish(),
});

/** `MemberInputSchema` narrowed to the configured tiers: what upserts and import rows are parsed with. */
export const memberInputSchema = (tiers: readonly Tier[]) => {
  const tierNames = tiers.map((tier) => tier.name);
  return MemberInputSchema.extend({
    tier: MemberInputSchema.shape.tier.refine((tier) => tierNames.includes(tier), {
      error: (issue) => `'${String(issue.input)}' is not a configured tier (known: ${tierNames.join(', ')})`,
    }),
  });
};
export type MemberInput = z.infer<typeof MemberInputSchema>;

export const MemberIdSchema = z.string().regex(MEMBER_ID_PATTERN, MEMBER_ID_MESSAGE);

/** One record of a bulk import: the member's id and the fields of an upsert. */
export const MemberImportRowSchema = MemberInputSchema.extend({ id: MemberIdSchema });

/** What an admin sees of a member. */
export const MemberViewSchema = z.strictObject({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  tier: z.string(),
  subscriptionStatus: z.string(),
  subscriptionEndsAt: z.string().nullable(),
  subscriptionStartedAt: z.string().nullable(),
  weeklyQuotaOverride: z.number().int().nullable(),
  weeklyQuota: z.number().int(),
  eligible: z.boolean(),
  version: z.number().int(),
  updatedAt: z.string(),
  addressMark: z
    .strictObject({
      reason: z.enum(['hard-bounce', 'complaint']),
      at: z.string(),
    })
    .nullable()
    .meta({
      description:
        'SES reported the current address as permanently bouncing or complaining: the member is not emailed until an admin clears the mark (DELETE /admin/members/{id}/address-mark) or the address changes',
    }),
  softBounces: z.number().int().meta({
    description: 'transient bounces SES reported for the current address (counted, not suppressing)',
  }),
});
export type MemberView = z.infer<typeof MemberViewSchema>;

export const MemberLedgerQuerySchema = z.strictObject({
  weeks: z.coerce
    .number({ error: 'must be a whole number of weeks, 1-53' })
    .int({ error: 'must be a whole number of weeks, 1-53' })
    .min(1, { error: 'must be a whole number of weeks, 1-53' })
    .max(53, { error: 'must be a whole number of weeks, 1-53' })
    .default(12)
    .meta({ description: 'how many weeks back, this one included (default 12)' }),
});

const SHORT_REASONS = ['supply_short', 'paused', 'lapsed', 'quota_0'] as const;

/** A member's ledger: per week what was owed (accrued + carried in), received (by run), and short, and why. */
export const MemberLedgerSchema = z
  .strictObject({
    memberId: z.string(),
    timeZone: z.string().meta({ description: 'the zone the weeks are counted in (distribution.timeZone)' }),
    notOwed: z
      .enum(['paused', 'lapsed', 'quota_0'])
      .nullable()
      .meta({ description: 'why the member is owed nothing now; null while eligible' }),
    weeks: z.array(
      z.strictObject({
        weekKey: z.string().meta({ description: 'ISO week, e.g. 2026-W41' }),
        quota: z.number().int().meta({ description: 'the weekly quota the entitlement was computed with' }),
        accruedFrom: z.string(),
        accruedThrough: z.string().meta({ description: 'the end of the week: entitlement is taken to it' }),
        accrued: z
          .number()
          .int()
          .meta({ description: 'entitlement accrued since the previous entry (pro rata for part weeks)' }),
        carriedIn: z
          .number()
          .int()
          .meta({ description: "the previous entry's unmet entitlement, at most carryOverWeeks quotas" }),
        owed: z.number().int().meta({ description: 'accrued + carriedIn' }),
        received: z.number().int(),
        runs: z.array(z.strictObject({ runId: z.string(), received: z.number().int() })),
        short: z.number().int().meta({ description: 'owed - received, never negative' }),
        shortReason: z.enum(SHORT_REASONS).nullable(),
      }),
    ),
    totals: z.strictObject({
      accrued: z.number().int(),
      received: z.number().int(),
    }),
  })
  .meta({
    id: 'MemberLedger',
    description: [
      "Entitlement accrues from the weekly quota (the tier's or the override) while the member is eligible, pro rata",
      "for part weeks, and a run takes it to the end of its week: a weekly run delivers a week's quota, a monthly run",
      'the four or five weeks since the last run, a second run in a week only tops up. What a week could not deliver',
      'is carried into the next, at most distribution.carryOverWeeks quotas of it. A short supply is shared by',
      'distribution.shortfallPolicy: proportional (default) gives everyone the same fraction of what they are owed,',
      'rounded by largest remainder. Worked example: one member of each tier (quotas 10/25/50/100) and 100 leads:',
      'exact shares 5.41/13.51/27.03/54.05, floored 5/13/27/54 and the one lead left to the largest remainder,',
      'so 5/14/27/54; the starter member carries 5 into the next week and is owed 10 + 5 = 15 there.',
    ].join(' '),
  });
export type MemberLedger = z.infer<typeof MemberLedgerSchema>;
