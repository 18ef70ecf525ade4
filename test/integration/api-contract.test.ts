import { describe, expect, it } from 'vitest';
import { API_FUNCTION_FOLDER, ROUTES, type RouteAuth, routeKey } from '../../lambdas/api-routes';
import { MAX_JSON_BODY_BYTES } from '../../lambdas/shared/http';
import { ErrorBodySchema } from '../../scripts/openapi-document';
import { useLocalStack } from '../support/local-stack';

/**
 * The API as a whole, through the local API Gateway front door: each function serves exactly its audience's
 * routes, every malformed input is a 4xx with a JSON error (never a 500), and CORS names only the admin
 * console's origin.
 */
describe('API contract', () => {
  const stack = useLocalStack({ env: { POWERTOOLS_LOG_LEVEL: 'ERROR' } });

  const credentials = async (auth: RouteAuth): Promise<Record<string, string>> => {
    const { identity, automailer, apiKey } = stack.current;
    if (auth === 'admin')
      return { Authorization: `Bearer ${await identity.mint({ sub: 'admin-1', role: 'admin' })}` };
    if (auth === 'member')
      return { Authorization: `Bearer ${await identity.mint({ sub: 'contract-member', role: 'member' })}` };
    // A fresh single-use assertion per request.
    if (auth === 'partner')
      return { 'x-api-key': apiKey, Authorization: `Bearer ${await automailer.assertion()}` };
    return {};
  };

  const ULID = '01JDXZB5H2N4M6P8R0T2V4X6Z8';
  const concrete = (path: string) => path.replace('{id}', ULID).replace('{memberId}', 'contract-member');

  const call = async (
    route: (typeof ROUTES)[number],
    {
      query = '',
      body,
      contentType = 'application/json',
    }: { query?: string; body?: string; contentType?: string },
  ) => {
    const response = await fetch(`${stack.current.url}${concrete(route.path)}${query ? `?${query}` : ''}`, {
      method: route.method,
      headers: {
        ...(await credentials(route.auth)),
        ...(body === undefined ? {} : { 'Content-Type': contentType }),
      },
      body,
    });
    const text = await response.text();
    return { status: response.status, text, headers: response.headers };
  };

  describe('each API function serves exactly the routes of its audience', () => {
    it.each(Object.entries(API_FUNCTION_FOLDER))(
      '%s routes -> lambdas/functions/%s',
      async (auth, folder) => {
        const [logicalId] = stack.current.lambdas.functionsOf(folder);
        expect(logicalId, `no ${folder} function in the template`).toBeDefined();
        const module = (await import(`../../lambdas/functions/${folder}/handler.ts`)) as {
          createHandler: (env: Record<string, string>) => { routeKeys: string[] };
        };
        const served = module.createHandler(stack.current.resources.functionEnv(logicalId ?? '')).routeKeys;
        const declared = ROUTES.filter((route) => route.auth === auth).map(routeKey);
        expect([...served].sort()).toEqual([...declared].sort());
      },
    );
  });

  // A tampered cursor: not base64 JSON; JSON of another index's key; the right keys with values DynamoDB refuses.
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const TAMPERED_CURSORS = [
    'garbage!',
    b64({ pk: 'MEMBER#x', sk: 'PROFILE' }),
    b64({ pk: '', sk: '' }),
    b64(['pk', 'sk']),
  ];

  type Case = readonly [
    label: string,
    input: { query?: string; body?: string; contentType?: string },
    status: number,
  ];
  const bodyCases = (wrongType: string, badEnum: string): Case[] => [
    ['a body that is not JSON', { body: '{"not": json' }, 400],
    ['wrong types', { body: wrongType }, 400],
    ['an unknown enum value or a value out of range', { body: badEnum }, 400],
    ['a media type that cannot be JSON', { body: '<member/>', contentType: 'application/xml' }, 415],
    // Not a body the route's model takes: the gateway refuses it before the function's size limit.
    ['a body far too large', { body: JSON.stringify({ pad: 'x'.repeat(MAX_JSON_BODY_BYTES) }) }, 400],
  ];
  const listCases = (maxLimit: number): Case[] => [
    ['limit 0', { query: 'limit=0' }, 400],
    ['limit above the maximum', { query: `limit=${maxLimit + 1}` }, 400],
    ['limit not a number', { query: 'limit=ten' }, 400],
    ['an unknown parameter', { query: 'sort=asc' }, 400],
    ...TAMPERED_CURSORS.map(
      (cursor): Case => [`tampered cursor ${cursor}`, { query: `cursor=${cursor}` }, 400],
    ),
  ];
  const csvCases: Case[] = [
    ['limit 0', { query: 'limit=0' }, 400],
    ['limit above 500', { query: 'limit=501' }, 400],
    ['since not a date-time', { query: 'since=yesterday' }, 400],
    ['an unknown parameter', { query: 'format=xlsx' }, 400],
  ];

  const ledgerCases: Case[] = [
    ['weeks 0', { query: 'weeks=0' }, 400],
    ['weeks above 53', { query: 'weeks=54' }, 400],
    ['weeks not a number', { query: 'weeks=ten' }, 400],
    ['an unknown parameter', { query: 'from=2026-W01' }, 400],
  ];

  /** Per route with a body or a query: what to send wrong. Checked below to cover every such route. */
  const MALFORMED: Record<string, readonly Case[]> = {
    'POST /admin/uploads': bodyCases(
      '{"fileName": 5, "sizeBytes": "big"}',
      '{"fileName": "a.csv", "sizeBytes": -1}',
    ),
    'GET /admin/uploads': listCases(100),
    'GET /admin/members': [
      ...listCases(200),
      ['eligible not true/false', { query: 'eligible=yes' }, 400],
      ['a tier that is not a tier name', { query: 'tier=Gold!' }, 400],
      ['a tier that is not configured', { query: 'tier=platinum' }, 400],
    ],
    'GET /admin/members/{id}/leads': listCases(200),
    'GET /admin/members/{id}/ledger': ledgerCases,
    'PUT /admin/members/{id}': bodyCases(
      '{"email": 1, "name": [], "tier": true, "subscriptionStatus": 2}',
      '{"email": "a@b.example", "name": "A", "tier": "platinum", "subscriptionStatus": "gold"}',
    ),
    'POST /admin/members/import': [
      ['a body that is not JSON', { body: '{"members": [' }, 400],
      ['wrong types', { body: '{"members": 5}' }, 400],
      ['a CSV with an unknown column', { body: 'id,shoe\n1,9', contentType: 'text/csv' }, 400],
      ['a media type it does not read', { body: '<m/>', contentType: 'application/xml' }, 415],
      ['a body far too large', { body: `[${'"x",'.repeat(600_000)}"x"]` }, 400],
    ],
    'GET /admin/suppressions': listCases(200),
    'GET /admin/erasures': listCases(200),
    'POST /admin/erasures': bodyCases('{"email": 5}', '{"email": "a@b.example", "reason": "asked"}'),
    'POST /admin/suppressions': bodyCases('{"email": 5}', '{"email": "a@b.example", "domain": "b.example"}'),
    'POST /admin/suppressions/import': [
      ['a body that is not JSON', { body: '{"entries": [' }, 400],
      ['wrong types', { body: '{"entries": 5}' }, 400],
      ['a CSV without an email or a domain column', { body: 'name\nx', contentType: 'text/csv' }, 400],
      ['a media type it does not read', { body: '<m/>', contentType: 'application/xml' }, 415],
      ['a body far too large', { body: JSON.stringify({ pad: 'x'.repeat(MAX_JSON_BODY_BYTES) }) }, 400],
    ],
    'GET /admin/returns': [...listCases(200), ['a state that is not a state', { query: 'state=open' }, 400]],
    'POST /admin/returns/{id}/approve': bodyCases('{"note": 5}', '{"note": "   "}'),
    'POST /admin/returns/{id}/refuse': bodyCases('{"note": 5}', '{"note": "   "}'),
    'POST /admin/uploads/{id}/withdraw': bodyCases(
      '{"releaseHashes": "yes"}',
      '{"releaseHashes": true, "all": 1}',
    ),
    'POST /members/me/returns': bodyCases(
      '{"email": 5, "reason": 1}',
      '{"email": "a@b.example", "reason": "spam"}',
    ),
    'GET /admin/schedules': listCases(100),
    'POST /admin/schedules': bodyCases(
      '{"name": 1, "kind": 2, "time": 930, "timeZone": false}',
      '{"name": "n", "kind": "daily", "time": "25:00", "timeZone": "Mars/Base"}',
    ),
    'PUT /admin/schedules/{id}': bodyCases(
      '{"name": 1, "kind": 2, "time": 930, "timeZone": false}',
      '{"name": "n", "kind": "weekly", "dayOfWeek": "FUNDAY", "time": "09:30", "timeZone": "UTC"}',
    ),
    'POST /admin/distributions': bodyCases('{"dryRun": "yes"}', '{"timeZone": "Mars/Base"}'),
    'GET /admin/distributions': listCases(100),
    'GET /admin/overview': [['an unknown parameter', { query: 'verbose=1' }, 400]],
    'GET /admin/scheduler/health': [['an unknown parameter', { query: 'since=yesterday' }, 400]],
    'POST /sso/automailer': bodyCases('{"state": 5}', '{"state": "has spaces in it"}'),
    'GET /members/me/leads.csv': csvCases,
    'GET /members/me/ledger': ledgerCases,
    'POST /automailer/sso/token': bodyCases('{"code": 5}', '{"code": "too-short"}'),
    'GET /automailer/members/{memberId}/leads.csv': csvCases,
  };

  it('has malformed-input cases for every route that takes a body or a query', () => {
    const withInput = ROUTES.filter((route) => route.request?.body || route.request?.query).map(routeKey);
    expect(Object.keys(MALFORMED).sort()).toEqual(withInput.sort());
  });

  describe.each(
    ROUTES.filter((route) => MALFORMED[routeKey(route)]).map((route) => [routeKey(route), route] as const),
  )('%s refuses malformed input', (key, route) => {
    it.each(MALFORMED[key] ?? [])('%s -> %i', async (_, input, status) => {
      const answer = await call(route, input);
      expect(answer.status, answer.text).toBe(status);
      expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
      // Exactly the documented error body: what the generated client's error type says.
      expect(() => ErrorBodySchema.parse(JSON.parse(answer.text)), answer.text).not.toThrow();
    });
  });

  describe('CORS allows only the admin console', () => {
    const origin = () => stack.current.config.adminOrigin;

    it.each([...new Set(ROUTES.map((route) => route.path))])('preflight of %s', async (path) => {
      const response = await fetch(`${stack.current.url}${concrete(path)}`, {
        method: 'OPTIONS',
        headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'GET' },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(origin());
    });

    it('answers (success and error) name the admin origin, never a wildcard', async () => {
      const route = ROUTES.find((candidate) => routeKey(candidate) === 'GET /admin/uploads');
      if (!route) throw new Error('GET /admin/uploads is not a route');
      for (const query of ['', 'limit=0']) {
        const answer = await call(route, { query });
        expect(answer.headers.get('access-control-allow-origin')).toBe(origin());
      }
    });
  });

  it('serves the OpenAPI document publicly at /openapi.json', async () => {
    const response = await fetch(`${stack.current.url}/openapi.json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(document.openapi).toMatch(/^3\./);
    for (const route of ROUTES) expect(Object.keys(document.paths)).toContain(route.path);
  });
});
