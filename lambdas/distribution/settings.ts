import { SHORTFALL_POLICIES } from '../contracts/limits';
import { tiersFromJson } from '../members/domain/tiers';
import { TIME_ZONE_NAME } from '../schedules/domain/zoned-time';
import { type Env, readEnv } from '../shared/env';
import * as z from '../shared/zod';
import { DEFAULT_SETTINGS, type DistributionSettings } from './domain/run';

/**
 * The deployment's time zone, as a function reads it from its environment: shaped like an IANA name. Whether
 * Intl knows the zone was checked when the stack was synthesized (`lib/config.ts`), and a zone it did not know
 * would throw where it is first used; asking Intl here would build an ICU formatter, over 10 ms of every cold
 * start, in functions most of whose requests never turn a time into a week.
 */
export const timeZoneNameEnv = () =>
  z.string().check(z.regex(TIME_ZONE_NAME, 'must be an IANA time zone name'));

/** The distribution settings every function that plans or counts members reads from its environment. */
const DistributionEnvSchema = z.object({
  TIERS: z.string().check(z.minLength(2)),
  MAX_ASSIGNMENTS_PER_LEAD: z.coerce.number().check(z.int(), z.minimum(1), z.maximum(10)),
  DEFAULT_TIME_ZONE: timeZoneNameEnv(),
  LOCK_LEASE_SECONDS: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(900))),
  WINDOW_SIZE: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(2_000))),
  NOTIFY_CHUNK_SIZE: z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100))),
  JOIN_POLL_MS: z.optional(z.coerce.number().check(z.int(), z.minimum(10), z.maximum(60_000))),
  CARRY_OVER_WEEKS: z.optional(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(52))),
  SHORTFALL_POLICY: z.optional(z.enum(SHORTFALL_POLICIES)),
});

export const distributionSettingsFromEnv = (env: Env): DistributionSettings => {
  const parsed = readEnv(DistributionEnvSchema, env);
  return {
    ...DEFAULT_SETTINGS,
    tiers: tiersFromJson(parsed.TIERS),
    maxAssignmentsPerLead: parsed.MAX_ASSIGNMENTS_PER_LEAD,
    defaultTimeZone: parsed.DEFAULT_TIME_ZONE,
    ...(parsed.LOCK_LEASE_SECONDS ? { lockLeaseMs: parsed.LOCK_LEASE_SECONDS * 1000 } : {}),
    ...(parsed.WINDOW_SIZE ? { windowSize: parsed.WINDOW_SIZE } : {}),
    ...(parsed.NOTIFY_CHUNK_SIZE ? { notifyChunkSize: parsed.NOTIFY_CHUNK_SIZE } : {}),
    ...(parsed.JOIN_POLL_MS ? { joinPollMs: parsed.JOIN_POLL_MS } : {}),
    ...(parsed.CARRY_OVER_WEEKS === undefined ? {} : { carryOverWeeks: parsed.CARRY_OVER_WEEKS }),
    ...(parsed.SHORTFALL_POLICY ? { shortfallPolicy: parsed.SHORTFALL_POLICY } : {}),
  };
};
