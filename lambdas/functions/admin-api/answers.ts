import { MemberViewSchema } from '../../members/domain/member-schemas';
import { ReturnViewSchema } from '../../returns/domain/returns';
import { DAYS_OF_WEEK } from '../../schedules/domain/schedule';
import { RUN_STATES, RUN_TRIGGERS, UPLOAD_STATES } from '../../shared/model';
import * as z from '../../shared/zod';
import { NextCursorSchema } from './cursor';
import { HeartbeatFields, HeartbeatSchema } from './schemas';

/**
 * The shapes of the admin API's answers, for the OpenAPI document, the console's generated client and the
 * tests that hold the stack to its contract. The function imports only their types: building these schemas
 * at every cold start would serve no request (`schemas.ts` holds what the function parses).
 */

// ---------- health ----------

export const HealthReportSchema = z.strictObject({
  status: z
    .enum(['ok', 'degraded'])
    .check(z.meta({ description: 'degraded (answered with 503) if a table is unreachable' })),
  build: z.strictObject({ version: z.string(), stage: z.string(), node: z.string() }),
  tables: z.record(z.string(), z.strictObject({ reachable: z.boolean(), status: z.optional(z.string()) })),
});

// ---------- uploads ----------

const UploadCountsSchema = z.strictObject({
  rowsRead: z.int(),
  accepted: z.int(),
  duplicateInFile: z.int(),
  duplicateOfEarlier: z.int(),
  rejected: z.int(),
  verificationPending: z.int(),
  deliverable: z.int(),
  undeliverable: z.int(),
  assigned: z.int(),
});

/** The fields of an upload's view, without its schema id: the detail view extends them. */
const UploadViewFields = z.strictObject({
  uploadId: z.string(),
  fileName: z.string(),
  state: z.enum(UPLOAD_STATES),
  uploadedBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  sizeBytes: z.int(),
  counts: UploadCountsSchema,
  failureReason: z.optional(z.string()),
  stoppedAtRow: z.optional(z.int()),
  duplicateOf: z.optional(z.string()),
  hashesReleasedAt: z.optional(z.string()).check(
    z.meta({
      description:
        "withdrawn with its undelivered leads' hashes released (those people may be uploaded again)",
    }),
  ),
});

export const UploadViewSchema = UploadViewFields.check(z.meta({ id: 'Upload' }));

export const UploadReleaseResultSchema = z.strictObject({
  upload: UploadViewSchema,
  rejectedUnverified: z
    .int()
    .check(z.meta({ description: 'leads whose answer never came, rejected now with reason `unverified`' })),
});

export const UploadSlotSchema = z.strictObject({
  uploadId: z.string(),
  state: z.literal('awaiting_upload'),
  upload: z.strictObject({
    url: z.string(),
    fields: z
      .record(z.string(), z.string())
      .check(z.meta({ description: 'post every field first, the file last' })),
    expiresInSeconds: z.int(),
  }),
  maxBytes: z.int(),
});

export const UploadDetailSchema = z.extend(UploadViewFields, {
  progress: z
    .strictObject({
      rowsRead: z.int(),
      rowsDone: z.int(),
      verified: z.int().check(z.meta({ description: 'accepted leads the verifier has settled' })),
      verificationPending: z.int().check(z.meta({ description: 'accepted leads still to be verified' })),
    })
    .check(
      z.meta({ description: 'ingest (rows read, rows done), then verification (leads verified, pending)' }),
    ),
  result: z
    .optional(z.strictObject({ url: z.string(), expiresInSeconds: z.int() }))
    .check(z.meta({ description: 'a short-lived link to the per-row result file, once written' })),
});

export const UploadPageSchema = z.strictObject({
  uploads: z.array(UploadViewSchema),
  nextCursor: NextCursorSchema,
});

// ---------- returns ----------

export const ReturnQueuePageSchema = z.strictObject({
  returns: z.array(ReturnViewSchema).check(z.meta({ description: 'oldest first' })),
  nextCursor: NextCursorSchema,
});

// ---------- members ----------

export const MemberDetailSchema = z
  .strictObject({
    member: MemberViewSchema,
    thisWeek: z
      .strictObject({
        weekKey: z.string().check(z.meta({ description: 'the ISO week, in distribution.timeZone' })),
        timeZone: z.string(),
        received: z.int().check(z.meta({ description: 'leads delivered this week' })),
        weeklyQuota: z.int(),
        owed: z.int().check(z.meta({ description: 'what the next run may still deliver this week' })),
        lastServedAt: z.nullable(z.string()),
      })
      .check(z.meta({ description: "this week's deliveries against the member's quota" })),
  })
  .check(z.meta({ id: 'MemberDetail' }));

export const DeliveredLeadSchema = z
  .strictObject({
    assignedAt: z.string(),
    runId: z.string(),
    uploadId: z.string(),
    row: z.int().check(z.meta({ description: "the lead's row in its upload's file" })),
    email: z.string(),
    firstName: z.optional(z.string()),
    lastName: z.optional(z.string()),
    fullName: z.optional(z.string()),
    phone: z.optional(z.string()),
    company: z.optional(z.string()),
    title: z.optional(z.string()),
    website: z.optional(z.string()),
    city: z.optional(z.string()),
    state: z.optional(z.string()),
    country: z.optional(z.string()),
  })
  .check(z.meta({ id: 'DeliveredLead' }));

export const MemberLeadPageSchema = z.strictObject({
  leads: z.array(DeliveredLeadSchema).check(z.meta({ description: 'newest first' })),
  nextCursor: NextCursorSchema,
});

export const MemberUpsertResultSchema = z.strictObject({
  outcome: z.enum(['created', 'updated', 'unchanged']),
  member: MemberViewSchema,
});

export const MemberImportResultSchema = z.strictObject({
  received: z.int(),
  created: z.int(),
  updated: z.int(),
  unchanged: z.int(),
  failed: z.int(),
  errors: z.array(
    z.strictObject({
      row: z.int(),
      memberId: z.optional(z.string()),
      field: z.optional(z.string()),
      message: z.string(),
    }),
  ),
});

export const MemberPageSchema = z.strictObject({
  members: z.array(MemberViewSchema),
  nextCursor: NextCursorSchema,
});

// ---------- schedules ----------

export const ScheduleViewSchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    kind: z.enum(['weekly', 'monthly']),
    dayOfWeek: z.optional(z.enum(DAYS_OF_WEEK)),
    dayOfMonth: z.optional(z.int()),
    time: z.string(),
    timeZone: z.string(),
    enabled: z.boolean(),
    expression: z.string().check(z.meta({ description: 'the EventBridge Scheduler expression' })),
    sync: z.enum(['pending', 'synced']),
    syncError: z.optional(z.string()),
    nextRuns: z.array(z.strictObject({ at: z.string(), local: z.string() })),
    dstNotices: z.array(
      z.strictObject({ date: z.string(), kind: z.enum(['skipped', 'repeated-time-runs-once']) }),
    ),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .check(z.meta({ id: 'Schedule' }));

export const ScheduleResultSchema = z.strictObject({ schedule: ScheduleViewSchema });

export const SchedulePageSchema = z.strictObject({
  schedules: z.array(ScheduleViewSchema),
  nextCursor: NextCursorSchema,
});

// ---------- distributions ----------

export const RunStartedSchema = z.strictObject({
  runId: z.string(),
  requestedAt: z.string(),
  startsAt: z.string(),
  timeZone: z.string(),
});

const MemberAllocationSchema = z.strictObject({
  memberId: z.string(),
  tier: z.string(),
  receivedThisWeek: z.int(),
  accrued: z
    .int()
    .check(z.meta({ description: "this week's accrued entitlement (pro rata for part weeks)" })),
  carriedIn: z.int().check(z.meta({ description: 'unmet entitlement carried over from before' })),
  owed: z
    .int()
    .check(z.meta({ description: 'what this run owes: accrued + carried in - received this week' })),
  planned: z
    .int()
    .check(z.meta({ description: 'what the run would deliver (less when the supply is short)' })),
  shortfall: z.int(),
  fromUploads: z.array(z.strictObject({ uploadId: z.string(), count: z.int() })),
});

export const DryRunPlanSchema = z.strictObject({
  dryRun: z.literal(true),
  weekKey: z.string(),
  timeZone: z.string(),
  eligibleMembers: z.int(),
  totals: z.strictObject({ need: z.int(), assigned: z.int(), shortfall: z.int() }),
  members: z.array(MemberAllocationSchema),
  shortMembers: z.array(
    z.strictObject({
      memberId: z.string(),
      tier: z.string(),
      owed: z.int(),
      planned: z.int(),
    }),
  ),
  uploads: z.array(
    z.strictObject({
      uploadId: z.string(),
      leadsWalked: z.int(),
      assignments: z.int(),
      exhausted: z.boolean(),
    }),
  ),
  exhaustedUploads: z.array(z.string()),
});

export const RunViewSchema = z
  .strictObject({
    runId: z.string(),
    trigger: z.enum(RUN_TRIGGERS),
    state: z.enum(RUN_STATES),
    scheduleId: z.optional(z.string()),
    requestedBy: z.optional(z.string()),
    runAt: z.string(),
    weekKey: z.string(),
    timeZone: z.string(),
    startedAt: z.string(),
    endedAt: z.nullable(z.string()),
    attempts: z.int(),
    leadsAssigned: z.int(),
    membersServed: z.int(),
    membersShort: z.int(),
    leadsShort: z
      .int()
      .check(z.meta({ description: 'leads the eligible members were owed but did not get' })),
    membersNotified: z.int(),
    notifiedUnknown: z.int().check(
      z.meta({
        description:
          'members whose email has no known outcome (the send got no answer, or the run stopped between claiming and recording it): never sent again, so at most one email per run',
      }),
    ),
    membersNotMailed: z.int().check(
      z.meta({
        description:
          'members served whose address is marked (SES reported a hard bounce or a complaint): their leads are assigned, no email is sent',
      }),
    ),
    uploadsTouched: z.array(z.string()),
    uploadsExhausted: z.array(z.string()),
    skippedReason: z.optional(z.string()),
    error: z.optional(z.string()),
  })
  .check(z.meta({ id: 'Run' }));

export const RunDetailSchema = z.strictObject({ run: RunViewSchema });

export const RunPageSchema = z.strictObject({
  runs: z.array(RunViewSchema),
  heartbeat: z.nullable(HeartbeatSchema).check(z.meta({ description: 'null until a run has ended' })),
  nextCursor: NextCursorSchema,
});

// ---------- overview and scheduler health ----------

const RunStateSchema = z.enum(RUN_STATES);
const TriggerSchema = z.enum(RUN_TRIGGERS);

const ShortRunSchema = z.strictObject({
  scheduleId: z.string(),
  name: z.string(),
  at: z.iso.datetime(),
  owed: z
    .int()
    .check(z.describe('what the run will owe the eligible members (the weeks since the run before it)')),
  available: z.int().check(z.describe('what will be left for it')),
  short: z.int(),
});

const SupplyWalkSchema = z.strictObject({
  weeksUntilShort: z
    .nullable(z.number())
    .check(z.describe('weeks from now until that run; null when no run within a year falls short')),
  firstShortRun: z
    .nullable(ShortRunSchema)
    .check(z.describe('the first scheduled run the supply cannot cover')),
});

const SupplyForecastSchema = z.extend(SupplyWalkSchema, {
  leadsInVerification: z.int().check(z.describe('leads still being verified, not counted above')),
  withVerification: SupplyWalkSchema.check(
    z.describe('the same forecast counting the leads in verification as available'),
  ),
});

export const OverviewSchema = z.strictObject({
  generatedAt: z.iso.datetime(),
  leads: z.strictObject({
    pendingVerification: z.int(),
    availableForDistribution: z.int(),
    distributedThisWeek: z.int(),
    distributedAllTime: z.int(),
    duplicatesAllTime: z.int(),
    duplicatesInFileAllTime: z.int(),
    duplicatesOfEarlierAllTime: z.int(),
    rejectedRowsAllTime: z.int(),
    undeliverableAllTime: z.int(),
  }),
  uploads: z.strictObject({
    queued: z.int(),
    oldestQueuedAt: z.nullable(z.iso.datetime()),
    stuck: z
      .int()
      .check(
        z.describe(
          'Uploads stuck in ingesting (lease expired, no progress) at the stale-upload sweeper’s last pass',
        ),
      ),
    stuckUploadIds: z.array(z.string()).check(z.describe('Their ids, at most 20')),
  }),
  members: z.strictObject({
    eligible: z.int(),
    eligibleByTier: z.record(z.string(), z.int()),
    withMarkedAddress: z
      .int()
      .check(
        z.describe(
          'Members whose address SES reported as hard bouncing or complaining: they get leads but no email until an admin clears the mark',
        ),
      ),
  }),
  weeklyDemand: z.int(),
  returns: z
    .strictObject({ pending: z.int(), approved: z.int(), refused: z.int() })
    .check(z.meta({ description: "members' returns of delivered leads, by state (maintained counters)" })),
  supply: z.strictObject({
    weeksLeft: z
      .nullable(z.number())
      .check(
        z.describe(
          'leads available over the weekly demand: weeks of entitlement covered; null while no member is eligible',
        ),
      ),
    runsOutOn: z.nullable(z.iso.date()),
    forecast: z
      .nullable(SupplyForecastSchema)
      .check(
        z.describe(
          "the enabled schedules' next year of runs against today's demand; null without an enabled schedule or demand",
        ),
      ),
  }),
  lastRun: z.nullable(
    z.strictObject({
      runId: z.string(),
      state: RunStateSchema,
      trigger: TriggerSchema,
      startedAt: z.iso.datetime(),
      endedAt: z.nullable(z.iso.datetime()),
      leadsAssigned: z.int(),
    }),
  ),
  nextRun: z.nullable(z.strictObject({ scheduleId: z.string(), name: z.string(), at: z.iso.datetime() })),
});
export type Overview = z.infer<typeof OverviewSchema>;

export const SchedulerHealthSchema = z.strictObject({
  verdict: z.enum(['healthy', 'degraded', 'failing']),
  reasons: z.array(z.string()).check(z.describe('Why the verdict is not healthy, worst first')),
  checkedAt: z.iso.datetime(),
  heartbeat: z
    .nullable(
      z.extend(HeartbeatFields, {
        ageSeconds: z.nullable(z.int()).check(z.meta({ description: 'seconds since the last run ended' })),
      }),
    )
    .check(z.meta({ description: 'null until a run has ended' })),
  schedules: z.array(
    z.strictObject({
      scheduleId: z.string(),
      name: z.string(),
      enabled: z.boolean(),
      sync: z.enum(['pending', 'synced']),
      lastDueAt: z.nullable(z.iso.datetime()),
      lastDueOutcome: z.enum(['succeeded', 'skipped', 'running', 'failed', 'not-started', 'not-due']),
      overdue: z.boolean(),
      nextFireAt: z.nullable(z.iso.datetime()),
    }),
  ),
  overdueSchedules: z.int(),
  deadLetterQueues: z.array(z.strictObject({ name: z.string(), depth: z.int() })),
  stuckUploads: z
    .int()
    .check(
      z.describe(
        'Uploads stuck in ingesting at the stale-upload sweeper’s last pass (it resumes them, then fails them)',
      ),
    ),
  runs: z.array(RunViewSchema).check(z.meta({ description: 'the latest runs, newest first' })),
  failures: z.array(
    z.strictObject({
      runId: z.string(),
      trigger: TriggerSchema,
      scheduleId: z.optional(z.string()),
      startedAt: z.iso.datetime(),
      endedAt: z.nullable(z.iso.datetime()),
      error: z.nullable(z.string()),
    }),
  ),
});

// ---------- suppression ----------

export const SuppressionViewSchema = z
  .strictObject({
    id: z.string(),
    kind: z.enum(['email', 'domain']),
    domain: z.nullable(z.string()).check(z.meta({ description: 'domains only: an address is never shown' })),
    source: z.enum(['admin', 'import', 'erasure']),
    addedBy: z.string(),
    addedAt: z.string(),
  })
  .check(z.meta({ id: 'Suppression' }));

export const SuppressionAddedSchema = z.strictObject({
  created: z.boolean().check(z.meta({ description: 'false: it was listed already and nothing changed' })),
  suppression: SuppressionViewSchema,
});

export const SuppressionPageSchema = z.strictObject({
  suppressions: z.array(SuppressionViewSchema),
  nextCursor: NextCursorSchema,
});

export const SuppressionImportResultSchema = z.strictObject({
  received: z.int(),
  added: z.int(),
  alreadyListed: z.int(),
  refused: z.array(z.strictObject({ row: z.int(), reason: z.string() })),
});

// ---------- erasure ----------

export const ErasureViewSchema = z
  .strictObject({
    erasureId: z.string(),
    requestedBy: z.string(),
    requestedAt: z.string(),
    touched: z.strictObject({
      leads: z.int(),
      assignments: z.int().check(z.meta({ description: "members' delivery records deleted" })),
      files: z.int().check(z.meta({ description: 'result files, result parts and raw uploads rewritten' })),
      filesSkipped: z
        .int()
        .check(z.meta({ description: 'raw uploads still being ingested, left to expire' })),
    }),
  })
  .check(z.meta({ id: 'Erasure' }));

export const ErasurePageSchema = z.strictObject({
  erasures: z.array(ErasureViewSchema),
  nextCursor: NextCursorSchema,
});
