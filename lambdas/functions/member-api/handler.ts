import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { leadsCsvQuerySchema } from '../../automailer/domain/leads-csv';
import { startHandoff } from '../../automailer/handoff';
import { exportLeadsCsv } from '../../automailer/leads-export';
import { revokeLink, showLink } from '../../automailer/member-link';
import { HANDOFF_HEADERS, HandoffEnv } from '../../automailer/settings';
import { timeZoneNameEnv } from '../../distribution/settings';
import { getMember } from '../../members/adapters/member-profile';
import { MemberLedgerQuerySchema } from '../../members/domain/ledger-query';
import { tiersFromJson } from '../../members/domain/tiers';
import { readMemberLedger } from '../../members/member-ledger';
import { verifierBounceCheck } from '../../returns/adapters/bounce-check';
import { DynamoReturnStore, retireReturnedLead } from '../../returns/adapters/return-store';
import { ReturnRequestSchema, returnView } from '../../returns/domain/returns';
import { type FileReturnDeps, fileReturn } from '../../returns/returns';
import { createDocumentClient } from '../../shared/dynamo';
import { type Env, readEnv, tablesFromEnv } from '../../shared/env';
import { NotFoundError, UnauthorizedError } from '../../shared/errors';
import {
  type ApiRequest,
  createRouter,
  json,
  parseJsonBody,
  parseQuery,
  type RouteHandler,
} from '../../shared/http';
import { createLogger } from '../../shared/logger';
import { createSecretsClient, onceFromSecret } from '../../shared/secrets';
import * as z from '../../shared/zod';
import {
  createVerifierClient,
  type VerifierClient,
  type VerifierClientConfig,
} from '../../verification/adapters/verifier-client';
import { policyFromJson } from '../../verification/domain/policy';
import { StartHandoffBodySchema } from './schemas';

const MemberApiEnvSchema = z.extend(HandoffEnv, {
  ADMIN_ORIGIN: z.url(),
  RETURN_WINDOW_DAYS: z.coerce.number().check(z.int(), z.minimum(1), z.maximum(90)),
  RETURN_MAX_PERCENT_PER_WEEK: z.coerce.number().check(z.int(), z.minimum(0), z.maximum(100)),
  MAX_ASSIGNMENTS_PER_LEAD: z.coerce.number().check(z.int(), z.minimum(1), z.maximum(10)),
  // The verifier, asked afresh whether a returned address bounces hard.
  VERIFIER_BASE_URL: z.url(),
  VERIFIER_PATH_PREFIX: z._default(z.string(), ''),
  VERIFIER_TIMEOUT_MS: z.coerce.number().check(z.int(), z.positive()),
  VERIFIER_API_KEY_SECRET_ARN: z.optional(z.string().check(z.minLength(1))),
  VERIFICATION_POLICY: z.optional(z.string()),
  TIERS: z.string().check(z.minLength(2)),
  DEFAULT_TIME_ZONE: timeZoneNameEnv(),
});

/** How long a member's return may wait for the verifier's answer on a bounce. */
const BOUNCE_CHECK_MS = 8_000;

/** The verifier client, made on first use; with a keyed verifier, the key is read once per container. */
const verifierOf = (
  env: Env,
  {
    apiKeySecretArn,
    ...config
  }: Omit<VerifierClientConfig, 'apiKey'> & { apiKeySecretArn?: string | undefined },
): (() => Promise<VerifierClient>) => {
  if (apiKeySecretArn) {
    return onceFromSecret(createSecretsClient(env), apiKeySecretArn, (apiKey) =>
      createVerifierClient({ ...config, apiKey }),
    );
  }
  let client: VerifierClient | undefined;
  return async () => {
    client ??= createVerifierClient(config);
    return client;
  };
};

/** API Gateway gives a route at most 29 s: counting claims outlive that. */
const ROUTE_TIME_MS = 29_000;

const memberOf = ({ principal }: ApiRequest): string => {
  if (principal?.role !== 'member') throw new UnauthorizedError();
  return principal.sub;
};

/** The member API: the signed-in member's own AutoMailer hand-off and link, and leads download. */
export const createHandler = (env: Env, clock: () => Date = () => new Date()) => {
  const config = readEnv(MemberApiEnvSchema, env);
  const tableNames = tablesFromEnv(env, 'members', 'control', 'uploads');
  const logger = createLogger(env);
  const tables = {
    doc: createDocumentClient(env),
    membersTable: tableNames.members,
    controlTable: tableNames.control,
  };

  const returnStore = new DynamoReturnStore(tables.doc, {
    members: tableNames.members,
    control: tableNames.control,
  });
  const returnDeps: FileReturnDeps = {
    store: returnStore,
    settings: {
      windowDays: config.RETURN_WINDOW_DAYS,
      maxPercentPerWeek: config.RETURN_MAX_PERCENT_PER_WEEK,
    },
    timeZone: config.DEFAULT_TIME_ZONE,
    now: clock,
    remainingMs: ROUTE_TIME_MS,
    autoApprove: {
      isHardBounce: verifierBounceCheck(
        verifierOf(env, {
          baseUrl: config.VERIFIER_BASE_URL,
          pathPrefix: config.VERIFIER_PATH_PREFIX,
          timeoutMs: Math.min(config.VERIFIER_TIMEOUT_MS, BOUNCE_CHECK_MS),
          maxAttempts: 1,
          apiKeySecretArn: config.VERIFIER_API_KEY_SECRET_ARN,
        }),
        policyFromJson(config.VERIFICATION_POLICY),
        BOUNCE_CHECK_MS,
      ),
      retireLead: (item) =>
        retireReturnedLead(tables.doc, tableNames.uploads, config.MAX_ASSIGNMENTS_PER_LEAD, item),
    },
  };

  const handoff: RouteHandler = async (request) => {
    const memberId = memberOf(request);
    const { state } = request.event.body ? parseJsonBody(StartHandoffBodySchema, request.event) : {};
    const started = await startHandoff(
      tables,
      {
        memberId,
        state,
        clientId: config.AUTOMAILER_CLIENT_ID,
        redirectUri: config.AUTOMAILER_REDIRECT_URI,
        now: clock(),
      },
      logger,
    );
    return json(200, started, { headers: HANDOFF_HEADERS });
  };

  const ownLeads: RouteHandler = async (request) =>
    exportLeadsCsv(tables.doc, tables.membersTable, {
      memberId: memberOf(request),
      query: parseQuery(leadsCsvQuerySchema, request.event),
      bom: true,
      now: clock(),
    });

  const ledgerDeps = {
    ...tables,
    tiers: tiersFromJson(config.TIERS),
    timeZone: config.DEFAULT_TIME_ZONE,
    now: clock,
  };
  const ownLedger: RouteHandler = async (request) => {
    const memberId = memberOf(request);
    const { weeks } = parseQuery(MemberLedgerQuerySchema, request.event);
    const member = await getMember(tables.doc, tables.membersTable, memberId);
    if (!member) throw new NotFoundError('No member record for you yet');
    return json(200, await readMemberLedger(ledgerDeps, member, weeks));
  };

  const ownLink: RouteHandler = async (request) => json(200, await showLink(tables, memberOf(request)));

  const revokeOwnLink: RouteHandler = async (request) => {
    await revokeLink(tables, memberOf(request));
    return { statusCode: 204, headers: {}, body: '' };
  };

  const fileOwnReturn: RouteHandler = async (request) => {
    const memberId = memberOf(request);
    const body = parseJsonBody(ReturnRequestSchema, request.event);
    return json(201, returnView(await fileReturn(returnDeps, memberId, body)));
  };

  const ownReturns: RouteHandler = async (request) => {
    const memberId = memberOf(request);
    const items = await returnStore.ofMember(memberId);
    return json(200, { returns: items.map(returnView) });
  };

  return createRouter(
    {
      'POST /members/me/returns': fileOwnReturn,
      'GET /members/me/returns': ownReturns,
      'POST /sso/automailer': handoff,
      'GET /members/me/leads.csv': ownLeads,
      'GET /members/me/ledger': ownLedger,
      'GET /members/me/automailer-link': ownLink,
      'DELETE /members/me/automailer-link': revokeOwnLink,
    },
    {
      logger,
      headers: { 'Access-Control-Allow-Origin': config.ADMIN_ORIGIN, Vary: 'Origin' },
    },
  ) satisfies (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;
};
