/**
 * The answers of GET /admin/overview and GET /admin/scheduler/health as zod schemas: the route list publishes
 * them in the OpenAPI document and the tests parse real answers with them. zod only, so any bundle may import it.
 */
import { z } from 'zod';

/** Neither route takes a query parameter; an unknown one is a client's mistake worth a 400. */
export const NoQuerySchema = z.strictObject({});

const RunStateSchema = z.enum(['running', 'succeeded', 'failed', 'skipped']);
const TriggerSchema = z.enum(['schedule', 'manual']);

export const OverviewSchema = z.object({
  generatedAt: z.iso.datetime(),
  leads: z.object({
    pendingVerification: z.number().int(),
    availableForDistribution: z.number().int(),
    distributedThisWeek: z.number().int(),
    distributedAllTime: z.number().int(),
    duplicatesAllTime: z.number().int(),
    duplicatesInFileAllTime: z.number().int(),
    duplicatesOfEarlierAllTime: z.number().int(),
    rejectedRowsAllTime: z.number().int(),
    undeliverableAllTime: z.number().int(),
  }),
  uploads: z.object({ queued: z.number().int(), oldestQueuedAt: z.iso.datetime().nullable() }),
  members: z.object({ eligible: z.number().int(), eligibleByTier: z.record(z.string(), z.number().int()) }),
  weeklyDemand: z.number().int(),
  supply: z.object({
    weeksLeft: z.number().nullable().describe('null while no member is eligible'),
    runsOutOn: z.iso.date().nullable(),
  }),
  lastRun: z
    .object({
      runId: z.string(),
      state: RunStateSchema,
      trigger: TriggerSchema,
      startedAt: z.iso.datetime(),
      endedAt: z.iso.datetime().nullable(),
      leadsAssigned: z.number().int(),
    })
    .nullable(),
  nextRun: z.object({ scheduleId: z.string(), name: z.string(), at: z.iso.datetime() }).nullable(),
});
export type Overview = z.infer<typeof OverviewSchema>;

export const SchedulerHealthSchema = z.object({
  verdict: z.enum(['healthy', 'degraded', 'failing']),
  reasons: z.array(z.string()).describe('Why the verdict is not healthy, worst first'),
  checkedAt: z.iso.datetime(),
  heartbeat: z
    .looseObject({
      lastRunId: z.string().optional(),
      lastRunState: z.string().optional(),
      lastRunAt: z.iso.datetime().optional(),
      lastSuccessAt: z.iso.datetime().optional(),
      ageSeconds: z.number().int().nullable(),
    })
    .nullable(),
  schedules: z.array(
    z.object({
      scheduleId: z.string(),
      name: z.string(),
      enabled: z.boolean(),
      sync: z.enum(['pending', 'synced']),
      lastDueAt: z.iso.datetime().nullable(),
      lastDueOutcome: z.enum(['succeeded', 'skipped', 'running', 'failed', 'not-started', 'not-due']),
      overdue: z.boolean(),
      nextFireAt: z.iso.datetime().nullable(),
    }),
  ),
  overdueSchedules: z.number().int(),
  deadLetterQueues: z.array(z.object({ name: z.string(), depth: z.number().int() })),
  runs: z.array(
    z.looseObject({
      runId: z.string(),
      trigger: TriggerSchema,
      state: RunStateSchema,
      startedAt: z.iso.datetime(),
      endedAt: z.iso.datetime().nullable(),
      leadsAssigned: z.number().int(),
    }),
  ),
  failures: z.array(
    z.object({
      runId: z.string(),
      trigger: TriggerSchema,
      scheduleId: z.string().optional(),
      startedAt: z.iso.datetime(),
      endedAt: z.iso.datetime().nullable(),
      error: z.string().nullable(),
    }),
  ),
});
