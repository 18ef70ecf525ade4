import { z } from 'zod';
import { SHORTFALL_POLICIES } from '../contracts/limits';
import { tiersFromJson } from '../members/domain/tiers';
import { isKnownTimeZone } from '../schedules/domain/zoned-time';
import { type Env, readEnv } from '../shared/env';
import { DEFAULT_SETTINGS, type DistributionSettings } from './domain/run';

/** The distribution settings every function that plans or counts members reads from its environment. */
const DistributionEnvSchema = z.object({
  TIERS: z.string().min(2),
  MAX_ASSIGNMENTS_PER_LEAD: z.coerce.number().int().min(1).max(10),
  DEFAULT_TIME_ZONE: z.string().refine(isKnownTimeZone, 'must be an IANA time zone'),
  LOCK_LEASE_SECONDS: z.coerce.number().int().min(1).max(900).optional(),
  WINDOW_SIZE: z.coerce.number().int().min(1).max(2_000).optional(),
  NOTIFY_CHUNK_SIZE: z.coerce.number().int().min(1).max(100).optional(),
  JOIN_POLL_MS: z.coerce.number().int().min(10).max(60_000).optional(),
  CARRY_OVER_WEEKS: z.coerce.number().int().min(0).max(52).optional(),
  SHORTFALL_POLICY: z.enum(SHORTFALL_POLICIES).optional(),
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
