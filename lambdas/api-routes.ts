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
export type RouteAuth = 'admin' | 'member' | 'partner' | 'public';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteSpec {
  readonly method: HttpMethod;
  /** API Gateway resource path, with `{param}` placeholders. */
  readonly path: string;
  readonly auth: RouteAuth;
  readonly summary: string;
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
