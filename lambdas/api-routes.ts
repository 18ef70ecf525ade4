/**
 * Every HTTP route of the pipeline, as plain data. The CDK API construct builds API Gateway resources and
 * methods from this list, the local front door serves the same list, and each API function's router must
 * implement exactly the routes of its audience (a test checks both directions).
 *
 * `auth` decides the authorizer and the function that serves the route:
 * - admin:   platform JWT with the admin role       -> lambdas/admin-api
 * - member:  platform JWT with the member role      -> lambdas/member-api
 * - partner: usage-plan API key + partner credential -> lambdas/partner-api
 * - public:  no credential (public keys, API document) -> lambdas/public-api
 */

import { LEADS_CSV_CONTENT_TYPE, leadsCsvQuerySchema } from './automailer/domain/leads-csv';
import {
  DryRunPlanSchema,
  ErasurePageSchema,
  ErasureViewSchema,
  HealthReportSchema,
  MemberDetailSchema,
  MemberImportResultSchema,
  MemberLeadPageSchema,
  MemberPageSchema,
  MemberUpsertResultSchema,
  OverviewSchema,
  ReturnQueuePageSchema,
  RunDetailSchema,
  RunPageSchema,
  RunStartedSchema,
  SchedulePageSchema,
  ScheduleResultSchema,
  SchedulerHealthSchema,
  SuppressionAddedSchema,
  SuppressionImportResultSchema,
  SuppressionPageSchema,
  UploadDetailSchema,
  UploadPageSchema,
  UploadReleaseResultSchema,
  UploadSlotSchema,
  UploadViewSchema,
} from './functions/admin-api/answers';
import {
  ErasureBodySchema,
  ErasureListQuerySchema,
  MemberIdParamsSchema,
  MemberImportBodySchema,
  MemberLeadsQuerySchema,
  MemberListQuerySchema,
  NoQuerySchema,
  ReturnApproveBodySchema,
  ReturnIdParamsSchema,
  ReturnQueueQuerySchema,
  ReturnRefuseBodySchema,
  RunIdParamsSchema,
  RunListQuerySchema,
  RunNowBodySchema,
  ScheduleIdParamsSchema,
  ScheduleListQuerySchema,
  SuppressionIdParamsSchema,
  SuppressionImportBodySchema,
  SuppressionInputSchema,
  SuppressionListQuerySchema,
  UploadIdParamsSchema,
  UploadListQuerySchema,
  UploadSlotBodySchema,
  UploadWithdrawBodySchema,
} from './functions/admin-api/schemas';
import {
  AutomailerLinkSchema,
  StartedHandoffSchema,
  StartHandoffBodySchema,
} from './functions/member-api/schemas';
import {
  PartnerMemberParamsSchema,
  RedeemBodySchema,
  RedeemedHandoffSchema,
} from './functions/partner-api/schemas';
import { JwksSchema, OpenApiDocumentSchema } from './functions/public-api/schemas';
import { MemberLedgerQuerySchema } from './members/domain/ledger-query';
import { MemberInputSchema, MemberLedgerSchema } from './members/domain/member-schemas';
import { ReturnListSchema, ReturnRequestSchema, ReturnViewSchema } from './returns/domain/returns';
import { ScheduleInputSchema } from './schedules/domain/schedule';
import type { ZodMiniObject, ZodMiniType } from './shared/zod';

export type RouteAuth = 'admin' | 'member' | 'partner' | 'public';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteAnswer {
  readonly status: number;
  /** JSON body schema; absent for an empty answer (204) or a non-JSON one (`contentType`). */
  readonly body?: ZodMiniType;
  /** For answers that are not JSON, such as CSV. */
  readonly contentType?: string;
  readonly description?: string;
}

export interface RouteSpec {
  readonly method: HttpMethod;
  /** API Gateway resource path, with `{param}` placeholders. */
  readonly path: string;
  readonly auth: RouteAuth;
  readonly summary: string;
  /**
   * The zod schemas the route's handler parses its input with; the OpenAPI document is generated from these
   * same objects, so the published contract cannot drift from the validation.
   */
  readonly request?: {
    readonly params?: ZodMiniObject;
    readonly query?: ZodMiniObject;
    readonly body?: ZodMiniType;
    /** Whether a route with a `body` also accepts none (then it takes the schema's defaults). */
    readonly bodyOptional?: boolean;
    /** Another media type the body may come in, such as the CSV form of an import. */
    readonly alternativeBody?: { readonly contentType: string; readonly description: string };
  };
  /** The success answer. */
  readonly response: RouteAnswer;
  /** When the route answers 409 (a concurrent change), if it can. */
  readonly conflictWhen?: string;
  /** Other success answers: a dry run's plan, a change saved while Scheduler lags (202), ... */
  readonly otherResponses?: readonly (RouteAnswer & { readonly description: string })[];
}

const SUPPRESSION_ROUTES: readonly RouteSpec[] = [
  {
    method: 'POST',
    path: '/admin/suppressions',
    auth: 'admin',
    summary:
      'Suppress an address (kept only as its keyed hash) or a whole domain: never accepted at ingest, never distributed',
    request: { body: SuppressionInputSchema },
    response: { status: 201, body: SuppressionAddedSchema },
    otherResponses: [
      { status: 200, body: SuppressionAddedSchema, description: 'listed already; nothing changed' },
    ],
  },
  {
    method: 'POST',
    path: '/admin/suppressions/import',
    auth: 'admin',
    summary:
      'Suppress many addresses and domains; every refused row is reported with its row number and reason',
    request: {
      body: SuppressionImportBodySchema,
      alternativeBody: {
        contentType: 'text/csv',
        description: 'A header row naming an email column, a domain column, or both; one entry a line',
      },
    },
    response: { status: 200, body: SuppressionImportResultSchema },
  },
  {
    method: 'GET',
    path: '/admin/suppressions',
    auth: 'admin',
    summary: 'The suppression list, a page at a time (addresses appear as their id only)',
    request: { query: SuppressionListQuerySchema },
    response: { status: 200, body: SuppressionPageSchema },
  },
  {
    method: 'DELETE',
    path: '/admin/suppressions/{id}',
    auth: 'admin',
    summary: 'Take an entry off the suppression list',
    request: { params: SuppressionIdParamsSchema },
    response: { status: 204 },
  },
  {
    method: 'POST',
    path: '/admin/erasures',
    auth: 'admin',
    summary:
      "Erase a person by email (privacy request): their lead's personal data, the members' delivery records of it and their rows in result files and raw uploads; only the keyed hash stays, on the suppression list",
    request: { body: ErasureBodySchema },
    response: { status: 201, body: ErasureViewSchema, description: 'the erasure record (never the address)' },
  },
  {
    method: 'GET',
    path: '/admin/erasures',
    auth: 'admin',
    summary: 'Erasures, newest first: who, when and what was touched',
    request: { query: ErasureListQuerySchema },
    response: { status: 200, body: ErasurePageSchema },
  },
];

export const ROUTES: readonly RouteSpec[] = [
  {
    method: 'GET',
    path: '/admin/health',
    auth: 'admin',
    summary: 'Build info and reachability of the tables',
    response: { status: 200, body: HealthReportSchema },
    otherResponses: [{ status: 503, body: HealthReportSchema, description: 'a table is unreachable' }],
  },
  {
    method: 'POST',
    path: '/admin/uploads',
    auth: 'admin',
    summary:
      'An upload slot: the upload record and a presigned POST for one CSV (text/csv, size-limited, 15 min)',
    request: { body: UploadSlotBodySchema },
    response: { status: 201, body: UploadSlotSchema },
  },
  {
    method: 'GET',
    path: '/admin/uploads',
    auth: 'admin',
    summary: 'Uploads, newest first, with state and counts (limit, cursor)',
    request: { query: UploadListQuerySchema },
    response: { status: 200, body: UploadPageSchema },
  },
  {
    method: 'GET',
    path: '/admin/uploads/{id}',
    auth: 'admin',
    summary: 'One upload: state, counts, progress, and a short-lived link to its per-row result file',
    request: { params: UploadIdParamsSchema },
    response: { status: 200, body: UploadDetailSchema },
  },
  {
    method: 'POST',
    path: '/admin/uploads/{id}/pause',
    auth: 'admin',
    summary: 'Pause a queued upload: distribution skips it until it is resumed (idempotent)',
    request: { params: UploadIdParamsSchema },
    response: { status: 200, body: UploadViewSchema },
    conflictWhen: 'the upload is not queued (the answer names its state)',
  },
  {
    method: 'POST',
    path: '/admin/uploads/{id}/resume',
    auth: 'admin',
    summary: 'Resume a paused upload: it is queued again in its original place, oldest first (idempotent)',
    request: { params: UploadIdParamsSchema },
    response: { status: 200, body: UploadViewSchema },
    conflictWhen: 'the upload is not paused (the answer names its state)',
  },
  {
    method: 'POST',
    path: '/admin/uploads/{id}/withdraw',
    auth: 'admin',
    summary:
      'Withdraw a queued or paused upload: its undelivered leads leave the supply, delivered ones stay (releaseHashes)',
    request: { params: UploadIdParamsSchema, body: UploadWithdrawBodySchema, bodyOptional: true },
    response: { status: 200, body: UploadViewSchema },
    conflictWhen: 'the upload is neither queued nor paused, or a distribution run is in progress',
  },
  {
    method: 'POST',
    path: '/admin/uploads/{id}/release',
    auth: 'admin',
    summary:
      'Release an upload stuck in verification: leads without an answer are rejected as unverified, the rest queued',
    request: { params: UploadIdParamsSchema },
    response: { status: 200, body: UploadReleaseResultSchema },
    conflictWhen: 'the upload is not in verification (the answer names its state)',
  },
  {
    method: 'GET',
    path: '/admin/returns',
    auth: 'admin',
    summary:
      "Members' returns of delivered leads by state, oldest first: the queue to decide (state, limit, cursor)",
    request: { query: ReturnQueueQuerySchema },
    response: { status: 200, body: ReturnQueuePageSchema },
  },
  {
    method: 'GET',
    path: '/admin/members/{id}/returns',
    auth: 'admin',
    summary: "One member's returns, newest first, with their state and the admins' notes",
    request: { params: MemberIdParamsSchema },
    response: { status: 200, body: ReturnListSchema },
  },
  {
    method: 'POST',
    path: '/admin/returns/{id}/approve',
    auth: 'admin',
    summary:
      'Approve a pending return: the lead leaves circulation and the member is owed one replacement on the next run',
    request: { params: ReturnIdParamsSchema, body: ReturnApproveBodySchema, bodyOptional: true },
    response: { status: 200, body: ReturnViewSchema },
    conflictWhen: 'the return was refused already (approving it again answers it as it is)',
  },
  {
    method: 'POST',
    path: '/admin/returns/{id}/refuse',
    auth: 'admin',
    summary: 'Refuse a pending return, with a note that says why',
    request: { params: ReturnIdParamsSchema, body: ReturnRefuseBodySchema },
    response: { status: 200, body: ReturnViewSchema },
    conflictWhen: 'the return was approved already (refusing it again answers it as it is)',
  },
  {
    method: 'GET',
    path: '/admin/members',
    auth: 'admin',
    summary: 'Members, a page at a time, filtered by eligibility and tier',
    request: { query: MemberListQuerySchema },
    response: { status: 200, body: MemberPageSchema },
  },
  {
    method: 'GET',
    path: '/admin/members/{id}',
    auth: 'admin',
    summary: "One member: profile, tier, subscription, quota, eligibility and this week's deliveries",
    request: { params: MemberIdParamsSchema },
    response: { status: 200, body: MemberDetailSchema },
  },
  {
    method: 'GET',
    path: '/admin/members/{id}/leads',
    auth: 'admin',
    summary: 'The leads delivered to one member, newest first (limit, cursor)',
    request: { params: MemberIdParamsSchema, query: MemberLeadsQuerySchema },
    response: { status: 200, body: MemberLeadPageSchema },
  },
  {
    method: 'GET',
    path: '/admin/members/{id}/ledger',
    auth: 'admin',
    summary:
      "One member's ledger, newest week first: owed (accrued + carried over), received by run, short and why (weeks)",
    request: { params: MemberIdParamsSchema, query: MemberLedgerQuerySchema },
    response: { status: 200, body: MemberLedgerSchema },
  },
  {
    method: 'PUT',
    path: '/admin/members/{id}',
    auth: 'admin',
    summary: 'Create or change one member',
    request: { params: MemberIdParamsSchema, body: MemberInputSchema },
    response: { status: 200, body: MemberUpsertResultSchema, description: 'changed, or unchanged' },
    conflictWhen: 'another request changed the member at the same time; retry',
    otherResponses: [{ status: 201, body: MemberUpsertResultSchema, description: 'created' }],
  },
  {
    method: 'DELETE',
    path: '/admin/members/{id}/address-mark',
    auth: 'admin',
    summary:
      "Clear the mark SES feedback (a hard bounce or a complaint) put on a member's address: the next run mails them again",
    request: { params: MemberIdParamsSchema },
    response: {
      status: 200,
      body: MemberUpsertResultSchema,
      description: 'cleared (updated), or there was no mark (unchanged)',
    },
    conflictWhen: 'another request changed the member at the same time; retry',
  },
  {
    method: 'GET',
    path: '/admin/members/{id}/automailer-link',
    auth: 'admin',
    summary: "A member's AutoMailer link: since when, and AutoMailer's reads of their leads (last, count)",
    request: { params: MemberIdParamsSchema },
    response: { status: 200, body: AutomailerLinkSchema },
  },
  {
    method: 'DELETE',
    path: '/admin/members/{id}/automailer-link',
    auth: 'admin',
    summary: "Revoke a member's AutoMailer link: AutoMailer's next read of them is refused (idempotent)",
    request: { params: MemberIdParamsSchema },
    response: { status: 204, description: 'revoked, or was not linked' },
  },
  ...SUPPRESSION_ROUTES,
  {
    method: 'POST',
    path: '/admin/members/import',
    auth: 'admin',
    summary: 'Create or change many members (JSON or CSV), idempotent',
    request: {
      body: MemberImportBodySchema,
      alternativeBody: {
        contentType: 'text/csv',
        description:
          'A header row naming id, email, name, tier, subscriptionStatus and optionally subscriptionEndsAt, weeklyQuotaOverride; one member a line',
      },
    },
    response: {
      status: 200,
      body: MemberImportResultSchema,
      description: 'the tally; rows that could not be applied are listed with their row number',
    },
  },
  {
    method: 'GET',
    path: '/admin/schedules',
    auth: 'admin',
    summary: 'Distribution schedules, a page at a time',
    request: { query: ScheduleListQuerySchema },
    response: { status: 200, body: SchedulePageSchema },
  },
  {
    method: 'POST',
    path: '/admin/schedules',
    auth: 'admin',
    summary: 'Create a distribution schedule',
    request: { body: ScheduleInputSchema },
    response: { status: 201, body: ScheduleResultSchema },
    otherResponses: [
      {
        status: 202,
        body: ScheduleResultSchema,
        description: 'saved; Scheduler not yet updated (sync: pending)',
      },
    ],
  },
  {
    method: 'GET',
    path: '/admin/schedules/{id}',
    auth: 'admin',
    summary: 'One schedule and its next runs',
    request: { params: ScheduleIdParamsSchema },
    response: { status: 200, body: ScheduleResultSchema },
  },
  {
    method: 'PUT',
    path: '/admin/schedules/{id}',
    auth: 'admin',
    summary: 'Replace a schedule',
    conflictWhen: 'another request changed the schedule at the same time; read it and retry',
    request: { params: ScheduleIdParamsSchema, body: ScheduleInputSchema },
    response: { status: 200, body: ScheduleResultSchema },
    otherResponses: [
      {
        status: 202,
        body: ScheduleResultSchema,
        description: 'saved; Scheduler not yet updated (sync: pending)',
      },
    ],
  },
  {
    method: 'DELETE',
    path: '/admin/schedules/{id}',
    auth: 'admin',
    summary: 'Delete a schedule',
    conflictWhen: 'another request changed the schedule at the same time; read it and retry',
    request: { params: ScheduleIdParamsSchema },
    response: { status: 204, description: 'deleted' },
    otherResponses: [
      {
        status: 202,
        body: ScheduleResultSchema,
        description: 'Scheduler not yet updated; deleted on the next read',
      },
    ],
  },
  {
    method: 'POST',
    path: '/admin/distributions',
    auth: 'admin',
    summary: 'Run a distribution now, or plan one (dryRun) without writing',
    request: { body: RunNowBodySchema, bodyOptional: true },
    response: { status: 202, body: RunStartedSchema, description: 'the run starts within about a minute' },
    otherResponses: [
      { status: 200, body: DryRunPlanSchema, description: 'dryRun: the plan, nothing written' },
    ],
  },
  {
    method: 'GET',
    path: '/admin/distributions',
    auth: 'admin',
    summary: 'Recent runs and the heartbeat',
    request: { query: RunListQuerySchema },
    response: { status: 200, body: RunPageSchema },
  },
  {
    method: 'GET',
    path: '/admin/distributions/{id}',
    auth: 'admin',
    summary: 'One run: trigger, schedule, times, counts, uploads touched and exhausted, error',
    request: { params: RunIdParamsSchema },
    response: { status: 200, body: RunDetailSchema },
  },
  {
    method: 'GET',
    path: '/admin/overview',
    auth: 'admin',
    summary:
      'Pending and available leads, queued uploads, eligible members, weekly demand, weeks of supply, runs',
    request: { query: NoQuerySchema },
    response: { status: 200, body: OverviewSchema },
  },
  {
    method: 'GET',
    path: '/admin/scheduler/health',
    auth: 'admin',
    summary:
      'Scheduler verdict (healthy/degraded/failing) with reasons, heartbeat, runs, failures, DLQ depths',
    request: { query: NoQuerySchema },
    response: { status: 200, body: SchedulerHealthSchema },
  },
  {
    method: 'POST',
    path: '/sso/automailer',
    auth: 'member',
    summary: 'Start the AutoMailer hand-off: the URL to send the browser to, with a one-time code',
    request: { body: StartHandoffBodySchema, bodyOptional: true },
    response: { status: 200, body: StartedHandoffSchema },
  },
  {
    method: 'GET',
    path: '/members/me/leads.csv',
    auth: 'member',
    summary: "The signed-in member's newest leads as CSV (at most 500; since, limit)",
    request: { query: leadsCsvQuerySchema },
    response: { status: 200, contentType: LEADS_CSV_CONTENT_TYPE },
  },
  {
    method: 'POST',
    path: '/members/me/returns',
    auth: 'member',
    summary:
      'Return a delivered lead (by its email) with a reason: within returns.windowDays of delivery, up to returns.maxPercentPerWeek of the week',
    request: { body: ReturnRequestSchema },
    response: { status: 201, body: ReturnViewSchema },
    conflictWhen:
      'refused: `details.reason` is outside_window, over_weekly_cap or already_returned, and the message says why',
  },
  {
    method: 'GET',
    path: '/members/me/returns',
    auth: 'member',
    summary: "The signed-in member's returns, newest first, with their state and the admin's note",
    response: { status: 200, body: ReturnListSchema },
  },
  {
    method: 'GET',
    path: '/members/me/ledger',
    auth: 'member',
    summary:
      "The signed-in member's ledger: what they were owed each week, what they received, and why short",
    request: { query: MemberLedgerQuerySchema },
    response: { status: 200, body: MemberLedgerSchema },
  },
  {
    method: 'GET',
    path: '/members/me/automailer-link',
    auth: 'member',
    summary: "The signed-in member's AutoMailer link (made by a hand-off) and AutoMailer's reads under it",
    response: { status: 200, body: AutomailerLinkSchema },
  },
  {
    method: 'DELETE',
    path: '/members/me/automailer-link',
    auth: 'member',
    summary: 'Revoke the AutoMailer link: AutoMailer can no longer read your leads (idempotent)',
    response: { status: 204, description: 'revoked, or was not linked' },
  },
  {
    method: 'POST',
    path: '/automailer/sso/token',
    auth: 'partner',
    summary: 'AutoMailer redeems a one-time hand-off code for a five-minute signed identity token',
    request: { body: RedeemBodySchema },
    response: { status: 200, body: RedeemedHandoffSchema },
  },
  {
    method: 'GET',
    path: '/automailer/members/{memberId}/leads.csv',
    auth: 'partner',
    summary:
      "A linked member's newest leads as CSV for AutoMailer (at most 500; since, limit); 403 not_linked otherwise",
    request: { params: PartnerMemberParamsSchema, query: leadsCsvQuerySchema },
    response: { status: 200, contentType: LEADS_CSV_CONTENT_TYPE },
  },
  {
    method: 'GET',
    path: '/.well-known/jwks.json',
    auth: 'public',
    summary: 'Public keys that verify the AutoMailer identity tokens',
    response: { status: 200, body: JwksSchema, contentType: 'application/jwk-set+json' },
  },
  {
    method: 'GET',
    path: '/openapi.json',
    auth: 'public',
    summary: 'This API as an OpenAPI 3 document',
    response: { status: 200, body: OpenApiDocumentSchema },
  },
];

export type RouteKey = `${HttpMethod} ${string}`;

export const routeKey = (route: Pick<RouteSpec, 'method' | 'path'>): RouteKey =>
  `${route.method} ${route.path}`;

export const API_FUNCTION_FOLDER: Record<RouteAuth, string> = {
  admin: 'admin-api',
  member: 'member-api',
  partner: 'partner-api',
  public: 'public-api',
};
