import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { z } from 'zod';
import { leadsCsvQuerySchema } from '../../automailer/domain/leads-csv';
import { startHandoff } from '../../automailer/handoff';
import { exportLeadsCsv } from '../../automailer/leads-export';
import { revokeLink, showLink } from '../../automailer/member-link';
import { HANDOFF_HEADERS, HandoffEnv } from '../../automailer/settings';
import { getMember } from '../../members/adapters/member-profile';
import { MemberLedgerQuerySchema } from '../../members/domain/member-schemas';
import { tiersFromJson } from '../../members/domain/tiers';
import { readMemberLedger } from '../../members/member-ledger';
import { isKnownTimeZone } from '../../schedules/domain/zoned-time';
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
import { StartHandoffBodySchema } from './schemas';

const MemberApiEnvSchema = HandoffEnv.extend({
  ADMIN_ORIGIN: z.url(),
  TIERS: z.string().min(2),
  DEFAULT_TIME_ZONE: z.string().refine(isKnownTimeZone, 'must be an IANA time zone'),
});

const memberOf = ({ principal }: ApiRequest): string => {
  if (principal?.role !== 'member') throw new UnauthorizedError();
  return principal.sub;
};

/** The member API: the signed-in member's own AutoMailer hand-off and link, and leads download. */
export const createHandler = (env: Env, clock: () => Date = () => new Date()) => {
  const config = readEnv(MemberApiEnvSchema, env);
  const tableNames = tablesFromEnv(env, 'members', 'control');
  const logger = createLogger(env);
  const tables = {
    doc: createDocumentClient(env),
    membersTable: tableNames.members,
    controlTable: tableNames.control,
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

  return createRouter(
    {
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
