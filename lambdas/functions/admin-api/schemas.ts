import { MemberIdSchema, MemberImportRowSchema, MemberViewSchema } from '../../members/domain/member-schemas';
import {
  parseReturnId,
  RETURN_ID_MESSAGE,
  RETURN_STATES,
  ReturnViewSchema,
} from '../../returns/domain/returns';
import { DAYS_OF_WEEK } from '../../schedules/domain/schedule';
import { isKnownTimeZone } from '../../schedules/domain/zoned-time';
import { RUN_STATES, RUN_TRIGGERS, UPLOAD_ID_PATTERN, UPLOAD_STATES } from '../../shared/model';
import * as z from '../../shared/zod';
import { MAX_SUPPRESSION_IMPORT_ROWS, parseSuppressionId } from '../../suppression/domain/suppression';
import { NextCursorSchema, pageQuerySchema } from './cursor';

/**
 * The admin API's contract: the zod schemas its handlers parse input with, and the shapes of their answers.
 * A module of its own (zod and small domain modules only) so that `api-routes.ts`, the CDK app and the
 * OpenAPI document import the very objects the handlers validate with, without the handlers' AWS clients.
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

export const UploadIdParamsSchema = z.object({
  id: z.string().check(z.regex(UPLOAD_ID_PATTERN, 'not an upload id')),
});

// Shown to an admin and used in a download name: no control characters, no path separators.
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
const FILE_NAME = /^[^\u0000-\u001f\u007f/\\]+$/;

/** The slot request; the handler narrows `sizeBytes` to the deployment's `uploads.maxBytes`. */
export const UploadSlotBodySchema = z.strictObject({
  fileName: z
    .string()
    .check(
      z.trim(),
      z.minLength(5, 'give the file name, ending in .csv'),
      z.maxLength(200, 'at most 200 characters'),
      z.regex(FILE_NAME, 'no control characters or slashes'),
      z.regex(/\.csv$/i, 'must end in .csv'),
    ),
  sizeBytes: z
    .int()
    .check(
      z.minimum(1, 'the file is empty'),
      z.meta({ description: "the file's size; at most uploads.maxBytes (50 MB by default)" }),
    ),
});

export const UploadListQuerySchema = pageQuerySchema({ defaultLimit: 25, maxLimit: 100 });

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

export const UploadWithdrawBodySchema = z.strictObject({
  releaseHashes: z._default(z.boolean(), false).check(
    z.meta({
      description:
        'also forget the undelivered leads (their hashes), so the same people can be uploaded again; by default they stay known as duplicates',
    }),
  ),
});

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

export const ReturnQueueQuerySchema = z.extend(pageQuerySchema({ defaultLimit: 50, maxLimit: 200 }), {
  state: z
    ._default(z.enum(RETURN_STATES), 'pending')
    .check(z.meta({ description: 'which returns (default pending)' })),
});

export const ReturnIdParamsSchema = z.object({
  id: z.string().check(z.refine((id) => parseReturnId(id) !== undefined, RETURN_ID_MESSAGE)),
});

export const ReturnApproveBodySchema = z.strictObject({
  note: z
    .optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(500)))
    .check(z.meta({ description: 'shown to the member' })),
});

export const ReturnRefuseBodySchema = z.strictObject({
  note: z
    .string()
    .check(z.trim(), z.minLength(1), z.maxLength(500), z.meta({ description: 'why: shown to the member' })),
});

export const ReturnQueuePageSchema = z.strictObject({
  returns: z.array(ReturnViewSchema).check(z.meta({ description: 'oldest first' })),
  nextCursor: NextCursorSchema,
});

// ---------- members ----------

export const MemberIdParamsSchema = z.object({ id: MemberIdSchema });

export const MemberListQuerySchema = z.extend(pageQuerySchema({ defaultLimit: 50, maxLimit: 200 }), {
  eligible: z
    .optional(z.enum(['true', 'false']))
    .check(
      z.meta({ description: 'true: only members owed leads; false: only members who are not; absent: all' }),
    ),
  tier: z
    .optional(z.string().check(z.regex(/^[a-z][a-z0-9-]{1,30}$/, 'must be a tier name')))
    .check(z.meta({ description: "only this tier's members (a configured tier name)" })),
});

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

export const MemberLeadsQuerySchema = pageQuerySchema({ defaultLimit: 50, maxLimit: 200 });

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

/**
 * The JSON form of an import. The handler reads it record by record (each with `MemberImportRowSchema`,
 * narrowed to the configured tiers) so one bad row is reported, not the whole import refused.
 */
export const MemberImportBodySchema = z.union([
  z.array(MemberImportRowSchema),
  z.strictObject({ members: z.array(MemberImportRowSchema) }),
]);

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

export const ScheduleIdParamsSchema = z.object({
  id: z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a schedule id (26-character ULID)')),
});

export const ScheduleListQuerySchema = pageQuerySchema({ defaultLimit: 50, maxLimit: 100 });

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

export const RunNowBodySchema = z.strictObject({
  dryRun: z._default(z.boolean(), false).check(z.meta({ description: 'true: only plan, write nothing' })),
  timeZone: z
    .optional(
      z.string().check(
        z.refine(isKnownTimeZone, {
          error: (issue) => `'${String(issue.input)}' is not a known IANA time zone`,
        }),
      ),
    )
    .check(z.meta({ description: "the week's zone; distribution.timeZone by default" })),
});

export const RunListQuerySchema = pageQuerySchema({ defaultLimit: 20, maxLimit: 100 });

export const RunIdParamsSchema = z.object({
  id: z
    .string()
    .check(
      z.regex(/^[0-9A-Za-z-]{10,64}$/, 'must be a run id (10-64 letters, digits or -)'),
      z.meta({ description: 'a run id, as the run list gives it' }),
    ),
});

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

/** The distribution's heartbeat: what the last run that ended left behind (its id, state, figures). */
/** The fields of the heartbeat, without its schema id: the scheduler's health extends them. */
const HeartbeatFields = z.strictObject({
  lastRunId: z.string(),
  lastRunState: z.enum(RUN_STATES),
  lastRunTrigger: z.enum(RUN_TRIGGERS),
  lastRunAt: z.iso.datetime().check(z.meta({ description: 'when that run ended' })),
  lastSuccessAt: z.optional(z.iso.datetime()).check(z.meta({ description: 'when a run last succeeded' })),
  leadsAssigned: z.optional(z.int()).check(z.meta({ description: 'a succeeded run: leads it assigned' })),
  membersServed: z.optional(z.int()).check(z.meta({ description: 'a succeeded run: members it served' })),
  skippedReason: z.optional(z.string()).check(z.meta({ description: 'a skipped run: why' })),
  error: z.optional(z.string()).check(z.meta({ description: 'a failed run: its error' })),
});
export const HeartbeatSchema = HeartbeatFields.check(z.meta({ id: 'Heartbeat' }));
export type Heartbeat = z.infer<typeof HeartbeatSchema>;

export const RunPageSchema = z.strictObject({
  runs: z.array(RunViewSchema),
  heartbeat: z.nullable(HeartbeatSchema).check(z.meta({ description: 'null until a run has ended' })),
  nextCursor: NextCursorSchema,
});

// ---------- overview and scheduler health ----------

/** Neither route takes a query parameter; an unknown one is a client's mistake worth a 400. */
export const NoQuerySchema = z.strictObject({});

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

export const SuppressionInputSchema = z.union([
  z.strictObject({
    email: z
      .string()
      .check(z.maxLength(320), z.meta({ description: 'an address; only its keyed hash is kept' })),
  }),
  z.strictObject({
    domain: z.string().check(z.maxLength(260), z.meta({ description: 'a domain and its subdomains' })),
  }),
]);

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

export const SuppressionListQuerySchema = pageQuerySchema({ defaultLimit: 50, maxLimit: 200 });

export const SuppressionPageSchema = z.strictObject({
  suppressions: z.array(SuppressionViewSchema),
  nextCursor: NextCursorSchema,
});

export const SuppressionIdParamsSchema = z.object({
  id: z.string().check(
    z.maxLength(300),
    z.refine(
      (id) => parseSuppressionId(id) !== undefined,
      'must be a suppression id (email:<hash> or domain:<name>)',
    ),
  ),
});

export const SuppressionImportBodySchema = z.strictObject({
  entries: z.array(SuppressionInputSchema).check(z.minLength(1), z.maxLength(MAX_SUPPRESSION_IMPORT_ROWS)),
});

export const SuppressionImportResultSchema = z.strictObject({
  received: z.int(),
  added: z.int(),
  alreadyListed: z.int(),
  refused: z.array(z.strictObject({ row: z.int(), reason: z.string() })),
});

// ---------- erasure ----------

export const ErasureBodySchema = z.strictObject({
  email: z.string().check(z.maxLength(320), z.meta({ description: "the person's address; it is not kept" })),
});

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

export const ErasureListQuerySchema = pageQuerySchema({ defaultLimit: 50, maxLimit: 200 });

export const ErasurePageSchema = z.strictObject({
  erasures: z.array(ErasureViewSchema),
  nextCursor: NextCursorSchema,
});
