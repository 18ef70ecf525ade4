import { MEMBER_ID_MESSAGE, MEMBER_ID_PATTERN } from '../../shared/model';
import * as z from '../../shared/zod';
import type { Tier } from './tiers';

/**
 * The member contract of the admin API: what an upsert or import row may set, and what an admin sees. Kept
 * apart from the member store (which pulls in the DynamoDB client) so the route list and its OpenAPI
 * document can import the very schemas the handlers validate with.
 */

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

/**
 * The fields an upsert sets; the id comes from the path (or the import row). `tier` is any tier name here:
 * which tiers exist is deployment configuration, checked by `memberInputSchema(tiers)`.
 */
export const MemberInputSchema = z.strictObject({
  email: z.pipe(
    z.string({ error: 'is required' }).check(z.trim(), z.toLowerCase()),
    z.email({ error: 'must be an email address' }),
  ),
  name: z
    .string({ error: 'is required' })
    .check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(200)),
  tier: z
    .string({ error: 'is required' })
    .check(
      z.minLength(1),
      z.meta({ description: 'one of the configured tiers (by default starter, growth, pro, elite)' }),
    ),
  subscriptionStatus: z.enum(SUBSCRIPTION_STATUSES, {
    error: (issue) =>
      issue.input === undefined
        ? 'is required'
        : `must be one of ${SUBSCRIPTION_STATUSES.join(', ')}, got '${String(issue.input)}'`,
  }),
  subscriptionEndsAt: z.nullish(
    z.pipe(
      z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2026-12-31T23:59:59Z' }),
      z.transform((value: string) => new Date(value).toISOString()),
    ),
  ),
  subscriptionStartedAt: z
    .nullish(
      z.pipe(
        z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2026-12-02T12:00:00Z' }),
        z.transform((value: string) => new Date(value).toISOString()),
      ),
    )
    .check(
      z.meta({
        description:
          'when the paid subscription began: a member who joins mid-week is owed that week pro rata from here',
      }),
    ),
  weeklyQuotaOverride: z.nullish(
    z.wholeNumberIn(0, 10_000, 'must be a whole number of leads per week, 0-10000 (0 pauses the member)'),
  ),
});

/** `MemberInputSchema` narrowed to the configured tiers: what upserts and import rows are parsed with. */
export const memberInputSchema = (tiers: readonly Tier[]) => {
  const tierNames = tiers.map((tier) => tier.name);
  return z.extend(MemberInputSchema, {
    tier: MemberInputSchema.shape.tier.check(
      z.refine((tier: string) => tierNames.includes(tier), {
        error: (issue) =>
          `'${String(issue.input)}' is not a configured tier (known: ${tierNames.join(', ')})`,
      }),
    ),
  });
};
export type MemberInput = z.infer<typeof MemberInputSchema>;

export const MemberIdSchema = z.string().check(z.regex(MEMBER_ID_PATTERN, MEMBER_ID_MESSAGE));

/** One record of a bulk import: the member's id and the fields of an upsert. */
export const MemberImportRowSchema = z.extend(MemberInputSchema, { id: MemberIdSchema });

/** What an admin sees of a member. */
export const MemberViewSchema = z.strictObject({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  tier: z.string(),
  subscriptionStatus: z.string(),
  subscriptionEndsAt: z.nullable(z.string()),
  subscriptionStartedAt: z.nullable(z.string()),
  weeklyQuotaOverride: z.nullable(z.number().check(z.int())),
  weeklyQuota: z.number().check(z.int()),
  eligible: z.boolean(),
  version: z.number().check(z.int()),
  updatedAt: z.string(),
  addressMark: z
    .nullable(
      z.strictObject({
        reason: z.enum(['hard-bounce', 'complaint']),
        at: z.string(),
      }),
    )
    .check(
      z.meta({
        description:
          'SES reported the current address as permanently bouncing or complaining: the member is not emailed until an admin clears the mark (DELETE /admin/members/{id}/address-mark) or the address changes',
      }),
    ),
  softBounces: z.number().check(
    z.int(),
    z.meta({
      description: 'transient bounces SES reported for the current address (counted, not suppressing)',
    }),
  ),
});
export type MemberView = z.infer<typeof MemberViewSchema>;

const SHORT_REASONS = ['supply_short', 'paused', 'lapsed', 'quota_0'] as const;

/** A member's ledger: per week what was owed (accrued + carried in), received (by run), and short, and why. */
export const MemberLedgerSchema = z
  .strictObject({
    memberId: z.string(),
    timeZone: z
      .string()
      .check(z.meta({ description: 'the zone the weeks are counted in (distribution.timeZone)' })),
    notOwed: z
      .nullable(z.enum(['paused', 'lapsed', 'quota_0']))
      .check(z.meta({ description: 'why the member is owed nothing now; null while eligible' })),
    weeks: z.array(
      z.strictObject({
        weekKey: z.string().check(z.meta({ description: 'ISO week, e.g. 2026-W41' })),
        quota: z
          .number()
          .check(z.int(), z.meta({ description: 'the weekly quota the entitlement was computed with' })),
        accruedFrom: z.string(),
        accruedThrough: z
          .string()
          .check(z.meta({ description: 'the end of the week: entitlement is taken to it' })),
        accrued: z
          .number()
          .check(
            z.int(),
            z.meta({ description: 'entitlement accrued since the previous entry (pro rata for part weeks)' }),
          ),
        carriedIn: z
          .number()
          .check(
            z.int(),
            z.meta({ description: "the previous entry's unmet entitlement, at most carryOverWeeks quotas" }),
          ),
        owed: z.number().check(z.int(), z.meta({ description: 'accrued + carriedIn' })),
        received: z.number().check(z.int()),
        runs: z.array(z.strictObject({ runId: z.string(), received: z.number().check(z.int()) })),
        short: z.number().check(z.int(), z.meta({ description: 'owed - received, never negative' })),
        shortReason: z.nullable(z.enum(SHORT_REASONS)),
      }),
    ),
    totals: z.strictObject({
      accrued: z.number().check(z.int()),
      received: z.number().check(z.int()),
    }),
  })
  .check(
    z.meta({
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
    }),
  );
export type MemberLedger = z.infer<typeof MemberLedgerSchema>;
