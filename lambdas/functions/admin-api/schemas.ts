import { z } from 'zod';
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
    .meta({ description: 'degraded (answered with 503) if a table is unreachable' }),
  build: z.strictObject({ version: z.string(), stage: z.string(), node: z.string() }),
  tables: z.record(z.string(), z.strictObject({ reachable: z.boolean(), status: z.string().optional() })),
});

// ---------- uploads ----------

export const UploadIdParamsSchema = z.object({ id: z.string().regex(UPLOAD_ID_PATTERN, 'not an upload id') });

// Shown to an admin and used in a download name: no control characters, no path separators.
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point.
const FILE_NAME = /^[^\u0000-\u001f\u007f/\\]+$/;

/** The slot request; the handler narrows `sizeBytes` to the deployment's `uploads.maxBytes`. */
export const UploadSlotBodySchema = z.strictObject({
  fileName: z
    .string()
    .trim()
    .min(5, 'give the file name, ending in .csv')
    .max(200, 'at most 200 characters')
    .regex(FILE_NAME, 'no control characters or slashes')
    .regex(/\.csv$/i, 'must end in .csv'),
  sizeBytes: z
    .number()
    .int()
    .min(1, 'the file is empty')
    .meta({ description: "the file's size; at most uploads.maxBytes (50 MB by default)" }),
});

export const UploadListQuerySchema = pageQuerySchema({ defaultLimit: 25, maxLimit: 100 });

const UploadCountsSchema = z.strictObject({
  rowsRead: z.number().int(),
  accepted: z.number().int(),
  duplicateInFile: z.number().int(),
  duplicateOfEarlier: z.number().int(),
  rejected: z.number().int(),
  verificationPending: z.number().int(),
  deliverable: z.number().int(),
  undeliverable: z.number().int(),
  assigned: z.number().int(),
});

export const UploadViewSchema = z
  .strictObject({
    uploadId: z.string(),
    fileName: z.string(),
    state: z.enum(UPLOAD_STATES),
    uploadedBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    sizeBytes: z.number().int(),
    counts: UploadCountsSchema,
    failureReason: z.string().optional(),
    stoppedAtRow: z.number().int().optional(),
    duplicateOf: z.string().optional(),
    hashesReleasedAt: z.string().optional().meta({
      description:
        "withdrawn with its undelivered leads' hashes released (those people may be uploaded again)",
    }),
  })
  .meta({ id: 'Upload' });

export const UploadWithdrawBodySchema = z.strictObject({
  releaseHashes: z.boolean().default(false).meta({
    description:
      'also forget the undelivered leads (their hashes), so the same people can be uploaded again; by default they stay known as duplicates',
  }),
});

export const UploadReleaseResultSchema = z.strictObject({
  upload: UploadViewSchema,
  rejectedUnverified: z
    .number()
    .int()
    .meta({ description: 'leads whose answer never came, rejected now with reason `unverified`' }),
});

export const UploadSlotSchema = z.strictObject({
  uploadId: z.string(),
  state: z.literal('awaiting_upload'),
  upload: z.strictObject({
    url: z.string(),
    fields: z.record(z.string(), z.string()).meta({ description: 'post every field first, the file last' }),
    expiresInSeconds: z.number().int(),
  }),
  maxBytes: z.number().int(),
});

export const UploadDetailSchema = UploadViewSchema.extend({
  progress: z
    .strictObject({
      rowsRead: z.number().int(),
      rowsDone: z.number().int(),
      verified: z.number().int().meta({ description: 'accepted leads the verifier has settled' }),
      verificationPending: z.number().int().meta({ description: 'accepted leads still to be verified' }),
    })
    .meta({ description: 'ingest (rows read, rows done), then verification (leads verified, pending)' }),
  result: z
    .strictObject({ url: z.string(), expiresInSeconds: z.number().int() })
    .optional()
    .meta({ description: 'a short-lived link to the per-row result file, once written' }),
});

export const UploadPageSchema = z.strictObject({
  uploads: z.array(UploadViewSchema),
  nextCursor: NextCursorSchema,
});

// ---------- returns ----------

export const ReturnQueueQuerySchema = pageQuerySchema({ defaultLimit: 50, maxLimit: 200 }).extend({
  state: z.enum(RETURN_STATES).default('pending').meta({ description: 'which returns (default pending)' }),
});

export const ReturnIdParamsSchema = z.object({
  id: z.string().refine((id) => parseReturnId(id) !== undefined, RETURN_ID_MESSAGE),
});

export const ReturnApproveBodySchema = z.strictObject({
  note: z.string().trim().min(1).max(500).optional().meta({ description: 'shown to the member' }),
});

export const ReturnRefuseBodySchema = z.strictObject({
  note: z.string().trim().min(1).max(500).meta({ description: 'why: shown to the member' }),
});

export const ReturnQueuePageSchema = z.strictObject({
  returns: z.array(ReturnViewSchema).meta({ description: 'oldest first' }),
  nextCursor: NextCursorSchema,
});

// ---------- members ----------

export const MemberIdParamsSchema = z.object({ id: MemberIdSchema });

export const MemberListQuerySchema = pageQuerySchema({ defaultLimit: 50, maxLimit: 200 }).extend({
  eligible: z
    .enum(['true', 'false'])
    .optional()
    .meta({ description: 'true: only members owed leads; false: only members who are not; absent: all' }),
  tier: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,30}$/, 'must be a tier name')
    .optional()
    .meta({ description: "only this tier's members (a configured tier name)" }),
});

export const MemberDetailSchema = z
  .strictObject({
    member: MemberViewSchema,
    thisWeek: z
      .strictObject({
        weekKey: z.string().meta({ description: 'the ISO week, in distribution.timeZone' }),
        timeZone: z.string(),
        received: z.number().int().meta({ description: 'leads delivered this week' }),
        weeklyQuota: z.number().int(),
        owed: z.number().int().meta({ description: 'what the next run may still deliver this week' }),
        lastServedAt: z.string().nullable(),
      })
      .meta({ description: "this week's deliveries against the member's quota" }),
  })
  .meta({ id: 'MemberDetail' });

export const MemberLeadsQuerySchema = pageQuerySchema({ defaultLimit: 50, maxLimit: 200 });

export const DeliveredLeadSchema = z
  .strictObject({
    assignedAt: z.string(),
    runId: z.string(),
    uploadId: z.string(),
    row: z.number().int().meta({ description: "the lead's row in its upload's file" }),
    email: z.string(),
    firstName: z.string().optional(),
    lastName: z.string().optional(),
    fullName: z.string().optional(),
    phone: z.string().optional(),
    company: z.string().optional(),
    title: z.string().optional(),
    website: z.string().optional(),
    city: z.string().optional(),
    state: z.string().optional(),
    country: z.string().optional(),
  })
  .meta({ id: 'DeliveredLead' });

export const MemberLeadPageSchema = z.strictObject({
  leads: z.array(DeliveredLeadSchema).meta({ description: 'newest first' }),
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
  received: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  failed: z.number().int(),
  errors: z.array(
    z.strictObject({
      row: z.number().int(),
      memberId: z.string().optional(),
      field: z.string().optional(),
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
  id: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a schedule id (26-character ULID)'),
});

export const ScheduleListQuerySchema = pageQuerySchema({ defaultLimit: 50, maxLimit: 100 });

export const ScheduleViewSchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    kind: z.enum(['weekly', 'monthly']),
    dayOfWeek: z.enum(DAYS_OF_WEEK).optional(),
    dayOfMonth: z.number().int().optional(),
    time: z.string(),
    timeZone: z.string(),
    enabled: z.boolean(),
    expression: z.string().meta({ description: 'the EventBridge Scheduler expression' }),
    sync: z.enum(['pending', 'synced']),
    syncError: z.string().optional(),
    nextRuns: z.array(z.strictObject({ at: z.string(), local: z.string() })),
    dstNotices: z.array(
      z.strictObject({ date: z.string(), kind: z.enum(['skipped', 'repeated-time-runs-once']) }),
    ),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Schedule' });

export const ScheduleResultSchema = z.strictObject({ schedule: ScheduleViewSchema });

export const SchedulePageSchema = z.strictObject({
  schedules: z.array(ScheduleViewSchema),
  nextCursor: NextCursorSchema,
});

// ---------- distributions ----------

export const RunNowBodySchema = z.strictObject({
  dryRun: z.boolean().default(false).meta({ description: 'true: only plan, write nothing' }),
  timeZone: z
    .string()
    .refine(isKnownTimeZone, { error: (issue) => `'${String(issue.input)}' is not a known IANA time zone` })
    .optional()
    .meta({ description: "the week's zone; distribution.timeZone by default" }),
});

export const RunListQuerySchema = pageQuerySchema({ defaultLimit: 20, maxLimit: 100 });

export const RunIdParamsSchema = z.object({
  id: z
    .string()
    .regex(/^[0-9A-Za-z-]{10,64}$/, 'must be a run id (10-64 letters, digits or -)')
    .meta({ description: 'a run id, as the run list gives it' }),
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
  receivedThisWeek: z.number().int(),
  accrued: z
    .number()
    .int()
    .meta({ description: "this week's accrued entitlement (pro rata for part weeks)" }),
  carriedIn: z.number().int().meta({ description: 'unmet entitlement carried over from before' }),
  owed: z
    .number()
    .int()
    .meta({ description: 'what this run owes: accrued + carried in - received this week' }),
  planned: z
    .number()
    .int()
    .meta({ description: 'what the run would deliver (less when the supply is short)' }),
  shortfall: z.number().int(),
  fromUploads: z.array(z.strictObject({ uploadId: z.string(), count: z.number().int() })),
});

export const DryRunPlanSchema = z.strictObject({
  dryRun: z.literal(true),
  weekKey: z.string(),
  timeZone: z.string(),
  eligibleMembers: z.number().int(),
  totals: z.strictObject({ need: z.number().int(), assigned: z.number().int(), shortfall: z.number().int() }),
  members: z.array(MemberAllocationSchema),
  shortMembers: z.array(
    z.strictObject({
      memberId: z.string(),
      tier: z.string(),
      owed: z.number().int(),
      planned: z.number().int(),
    }),
  ),
  uploads: z.array(
    z.strictObject({
      uploadId: z.string(),
      leadsWalked: z.number().int(),
      assignments: z.number().int(),
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
    scheduleId: z.string().optional(),
    requestedBy: z.string().optional(),
    runAt: z.string(),
    weekKey: z.string(),
    timeZone: z.string(),
    startedAt: z.string(),
    endedAt: z.string().nullable(),
    attempts: z.number().int(),
    leadsAssigned: z.number().int(),
    membersServed: z.number().int(),
    membersShort: z.number().int(),
    leadsShort: z
      .number()
      .int()
      .meta({ description: 'leads the eligible members were owed but did not get' }),
    membersNotified: z.number().int(),
    notifiedUnknown: z.number().int().meta({
      description:
        'members whose email has no known outcome (the send got no answer, or the run stopped between claiming and recording it): never sent again, so at most one email per run',
    }),
    membersNotMailed: z.number().int().meta({
      description:
        'members served whose address is marked (SES reported a hard bounce or a complaint): their leads are assigned, no email is sent',
    }),
    uploadsTouched: z.array(z.string()),
    uploadsExhausted: z.array(z.string()),
    skippedReason: z.string().optional(),
    error: z.string().optional(),
  })
  .meta({ id: 'Run' });

export const RunDetailSchema = z.strictObject({ run: RunViewSchema });

/** The distribution's heartbeat: what the last run that ended left behind (its id, state, figures). */
export const HeartbeatSchema = z
  .strictObject({
    lastRunId: z.string(),
    lastRunState: z.enum(RUN_STATES),
    lastRunTrigger: z.enum(RUN_TRIGGERS),
    lastRunAt: z.iso.datetime().meta({ description: 'when that run ended' }),
    lastSuccessAt: z.iso.datetime().optional().meta({ description: 'when a run last succeeded' }),
    leadsAssigned: z.number().int().optional().meta({ description: 'a succeeded run: leads it assigned' }),
    membersServed: z.number().int().optional().meta({ description: 'a succeeded run: members it served' }),
    skippedReason: z.string().optional().meta({ description: 'a skipped run: why' }),
    error: z.string().optional().meta({ description: 'a failed run: its error' }),
  })
  .meta({ id: 'Heartbeat' });
export type Heartbeat = z.infer<typeof HeartbeatSchema>;

export const RunPageSchema = z.strictObject({
  runs: z.array(RunViewSchema),
  heartbeat: HeartbeatSchema.nullable().meta({ description: 'null until a run has ended' }),
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
    .number()
    .int()
    .describe('what the run will owe the eligible members (the weeks since the run before it)'),
  available: z.number().int().describe('what will be left for it'),
  short: z.number().int(),
});

const SupplyWalkSchema = z.strictObject({
  weeksUntilShort: z
    .number()
    .nullable()
    .describe('weeks from now until that run; null when no run within a year falls short'),
  firstShortRun: ShortRunSchema.nullable().describe('the first scheduled run the supply cannot cover'),
});

const SupplyForecastSchema = SupplyWalkSchema.extend({
  leadsInVerification: z.number().int().describe('leads still being verified, not counted above'),
  withVerification: SupplyWalkSchema.describe(
    'the same forecast counting the leads in verification as available',
  ),
});

export const OverviewSchema = z.strictObject({
  generatedAt: z.iso.datetime(),
  leads: z.strictObject({
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
  uploads: z.strictObject({
    queued: z.number().int(),
    oldestQueuedAt: z.iso.datetime().nullable(),
    stuck: z
      .number()
      .int()
      .describe(
        'Uploads stuck in ingesting (lease expired, no progress) at the stale-upload sweeper’s last pass',
      ),
    stuckUploadIds: z.array(z.string()).describe('Their ids, at most 20'),
  }),
  members: z.strictObject({
    eligible: z.number().int(),
    eligibleByTier: z.record(z.string(), z.number().int()),
    withMarkedAddress: z
      .number()
      .int()
      .describe(
        'Members whose address SES reported as hard bouncing or complaining: they get leads but no email until an admin clears the mark',
      ),
  }),
  weeklyDemand: z.number().int(),
  returns: z
    .strictObject({ pending: z.number().int(), approved: z.number().int(), refused: z.number().int() })
    .meta({ description: "members' returns of delivered leads, by state (maintained counters)" }),
  supply: z.strictObject({
    weeksLeft: z
      .number()
      .nullable()
      .describe(
        'leads available over the weekly demand: weeks of entitlement covered; null while no member is eligible',
      ),
    runsOutOn: z.iso.date().nullable(),
    forecast: SupplyForecastSchema.nullable().describe(
      "the enabled schedules' next year of runs against today's demand; null without an enabled schedule or demand",
    ),
  }),
  lastRun: z
    .strictObject({
      runId: z.string(),
      state: RunStateSchema,
      trigger: TriggerSchema,
      startedAt: z.iso.datetime(),
      endedAt: z.iso.datetime().nullable(),
      leadsAssigned: z.number().int(),
    })
    .nullable(),
  nextRun: z.strictObject({ scheduleId: z.string(), name: z.string(), at: z.iso.datetime() }).nullable(),
});
export type Overview = z.infer<typeof OverviewSchema>;

export const SchedulerHealthSchema = z.strictObject({
  verdict: z.enum(['healthy', 'degraded', 'failing']),
  reasons: z.array(z.string()).describe('Why the verdict is not healthy, worst first'),
  checkedAt: z.iso.datetime(),
  heartbeat: HeartbeatSchema.extend({
    ageSeconds: z.number().int().nullable().meta({ description: 'seconds since the last run ended' }),
  })
    .nullable()
    .meta({ description: 'null until a run has ended' }),
  schedules: z.array(
    z.strictObject({
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
  deadLetterQueues: z.array(z.strictObject({ name: z.string(), depth: z.number().int() })),
  stuckUploads: z
    .number()
    .int()
    .describe(
      'Uploads stuck in ingesting at the stale-upload sweeper’s last pass (it resumes them, then fails them)',
    ),
  runs: z.array(RunViewSchema).meta({ description: 'the latest runs, newest first' }),
  failures: z.array(
    z.strictObject({
      runId: z.string(),
      trigger: TriggerSchema,
      scheduleId: z.string().optional(),
      startedAt: z.iso.datetime(),
      endedAt: z.iso.datetime().nullable(),
      error: z.string().nullable(),
    }),
  ),
});

// ---------- suppression ----------

export const SuppressionInputSchema = z.union([
  z.strictObject({
    email: z.string().max(320).meta({ description: 'an address; only its keyed hash is kept' }),
  }),
  z.strictObject({ domain: z.string().max(260).meta({ description: 'a domain and its subdomains' }) }),
]);

export const SuppressionViewSchema = z
  .strictObject({
    id: z.string(),
    kind: z.enum(['email', 'domain']),
    domain: z.string().nullable().meta({ description: 'domains only: an address is never shown' }),
    source: z.enum(['admin', 'import', 'erasure']),
    addedBy: z.string(),
    addedAt: z.string(),
  })
  .meta({ id: 'Suppression' });

export const SuppressionAddedSchema = z.strictObject({
  created: z.boolean().meta({ description: 'false: it was listed already and nothing changed' }),
  suppression: SuppressionViewSchema,
});

export const SuppressionListQuerySchema = pageQuerySchema({ defaultLimit: 50, maxLimit: 200 });

export const SuppressionPageSchema = z.strictObject({
  suppressions: z.array(SuppressionViewSchema),
  nextCursor: NextCursorSchema,
});

export const SuppressionIdParamsSchema = z.object({
  id: z
    .string()
    .max(300)
    .refine(
      (id) => parseSuppressionId(id) !== undefined,
      'must be a suppression id (email:<hash> or domain:<name>)',
    ),
});

export const SuppressionImportBodySchema = z.strictObject({
  entries: z.array(SuppressionInputSchema).min(1).max(MAX_SUPPRESSION_IMPORT_ROWS),
});

export const SuppressionImportResultSchema = z.strictObject({
  received: z.number().int(),
  added: z.number().int(),
  alreadyListed: z.number().int(),
  refused: z.array(z.strictObject({ row: z.number().int(), reason: z.string() })),
});

// ---------- erasure ----------

export const ErasureBodySchema = z.strictObject({
  email: z.string().max(320).meta({ description: "the person's address; it is not kept" }),
});

export const ErasureViewSchema = z
  .strictObject({
    erasureId: z.string(),
    requestedBy: z.string(),
    requestedAt: z.string(),
    touched: z.strictObject({
      leads: z.number().int(),
      assignments: z.number().int().meta({ description: "members' delivery records deleted" }),
      files: z.number().int().meta({ description: 'result files, result parts and raw uploads rewritten' }),
      filesSkipped: z
        .number()
        .int()
        .meta({ description: 'raw uploads still being ingested, left to expire' }),
    }),
  })
  .meta({ id: 'Erasure' });

export const ErasureListQuerySchema = pageQuerySchema({ defaultLimit: 50, maxLimit: 200 });

export const ErasurePageSchema = z.strictObject({
  erasures: z.array(ErasureViewSchema),
  nextCursor: NextCursorSchema,
});
