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
import type { ZodObject, ZodType } from 'zod';
import { NoQuerySchema, OverviewSchema, SchedulerHealthSchema } from './admin-api/status-schemas';

export type RouteAuth = 'admin' | 'member' | 'partner' | 'public';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

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
    readonly params?: ZodObject;
    readonly query?: ZodObject;
    readonly body?: ZodType;
  };
  /** Success status and body schema (JSON), or a content type for non-JSON answers such as CSV. */
  readonly response?: { readonly status: number; readonly body?: ZodType; readonly contentType?: string };
}

export const ROUTES: readonly RouteSpec[] = [
  {
    method: 'GET',
    path: '/admin/health',
    auth: 'admin',
    summary: 'Build info and reachability of the tables',
  },
  {
    method: 'POST',
    path: '/admin/uploads',
    auth: 'admin',
    summary:
      'An upload slot: the upload record and a presigned POST for one CSV (text/csv, size-limited, 15 min)',
  },
  {
    method: 'GET',
    path: '/admin/uploads',
    auth: 'admin',
    summary: 'Uploads, newest first, with state and counts (limit, cursor)',
  },
  {
    method: 'GET',
    path: '/admin/uploads/{id}',
    auth: 'admin',
    summary: 'One upload: state, counts, progress, and a short-lived link to its per-row result file',
  },
  { method: 'GET', path: '/admin/members', auth: 'admin', summary: 'Members, a page at a time' },
  { method: 'PUT', path: '/admin/members/{id}', auth: 'admin', summary: 'Create or change one member' },
  {
    method: 'POST',
    path: '/admin/members/import',
    auth: 'admin',
    summary: 'Create or change many members (JSON or CSV), idempotent',
  },
  { method: 'GET', path: '/admin/schedules', auth: 'admin', summary: 'Distribution schedules' },
  { method: 'POST', path: '/admin/schedules', auth: 'admin', summary: 'Create a distribution schedule' },
  { method: 'GET', path: '/admin/schedules/{id}', auth: 'admin', summary: 'One schedule and its next runs' },
  { method: 'PUT', path: '/admin/schedules/{id}', auth: 'admin', summary: 'Replace a schedule' },
  { method: 'DELETE', path: '/admin/schedules/{id}', auth: 'admin', summary: 'Delete a schedule' },
  {
    method: 'POST',
    path: '/admin/distributions',
    auth: 'admin',
    summary: 'Run a distribution now, or plan one (dryRun) without writing',
  },
  { method: 'GET', path: '/admin/distributions', auth: 'admin', summary: 'Recent runs and the heartbeat' },
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
  },
  {
    method: 'GET',
    path: '/members/me/leads.csv',
    auth: 'member',
    summary: "The signed-in member's newest leads as CSV (at most 500; since, limit)",
  },
  {
    method: 'POST',
    path: '/automailer/sso/token',
    auth: 'partner',
    summary: 'AutoMailer redeems a one-time hand-off code for a five-minute signed identity token',
  },
  {
    method: 'GET',
    path: '/automailer/members/{memberId}/leads.csv',
    auth: 'partner',
    summary: "A member's newest leads as CSV for AutoMailer (at most 500; since, limit)",
  },
  {
    method: 'GET',
    path: '/.well-known/jwks.json',
    auth: 'public',
    summary: 'Public keys that verify the AutoMailer identity tokens',
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
