import { MemberIdSchema, MemberImportRowSchema } from '../../members/domain/member-schemas';
import { parseReturnId, RETURN_ID_MESSAGE, RETURN_STATES } from '../../returns/domain/returns';
import { isKnownTimeZone } from '../../schedules/domain/zoned-time';
import { RUN_STATES, RUN_TRIGGERS, UPLOAD_ID_PATTERN } from '../../shared/model';
import * as z from '../../shared/zod';
import { MAX_SUPPRESSION_IMPORT_ROWS, parseSuppressionId } from '../../suppression/domain/suppression';
import { pageQuerySchema } from './cursor';

/**
 * What the admin API's function parses: each route's path, query and body, and the heartbeat it reads back from
 * its table. A module of its own (zod and small domain modules only) so that `api-routes.ts`, the CDK app and
 * the OpenAPI document import the very objects the handlers validate with, without the handlers' AWS clients.
 * The shapes of the answers are in `answers.ts`: the function never builds those schemas (only their types
 * reach it), so its cold start does not construct them.
 */
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

export const UploadWithdrawBodySchema = z.strictObject({
  releaseHashes: z._default(z.boolean(), false).check(
    z.meta({
      description:
        'also forget the undelivered leads (their hashes), so the same people can be uploaded again; by default they stay known as duplicates',
    }),
  ),
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

export const MemberLeadsQuerySchema = pageQuerySchema({ defaultLimit: 50, maxLimit: 200 });

/**
 * The JSON form of an import. The handler reads it record by record (each with `MemberImportRowSchema`,
 * narrowed to the configured tiers) so one bad row is reported, not the whole import refused.
 */
export const MemberImportBodySchema = z.union([
  z.array(MemberImportRowSchema),
  z.strictObject({ members: z.array(MemberImportRowSchema) }),
]);

// ---------- schedules ----------

export const ScheduleIdParamsSchema = z.object({
  id: z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a schedule id (26-character ULID)')),
});

export const ScheduleListQuerySchema = pageQuerySchema({ defaultLimit: 50, maxLimit: 100 });

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

/** The distribution's heartbeat: what the last run that ended left behind (its id, state, figures). */
/** The fields of the heartbeat, without its schema id: the scheduler's health extends them. */
export const HeartbeatFields = z.strictObject({
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

// ---------- overview and scheduler health ----------

/** Neither route takes a query parameter; an unknown one is a client's mistake worth a 400. */
export const NoQuerySchema = z.strictObject({});

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

export const SuppressionListQuerySchema = pageQuerySchema({ defaultLimit: 50, maxLimit: 200 });

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

// ---------- erasure ----------

export const ErasureBodySchema = z.strictObject({
  email: z.string().check(z.maxLength(320), z.meta({ description: "the person's address; it is not kept" })),
});

export const ErasureListQuerySchema = pageQuerySchema({ defaultLimit: 50, maxLimit: 200 });
