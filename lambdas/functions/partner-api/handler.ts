import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { createSigningKeyStore, type SigningKeyStore } from '../../automailer/adapters/signing-key-store';
import { leadsCsvQuerySchema } from '../../automailer/domain/leads-csv';
import { redeemHandoff } from '../../automailer/handoff';
import { exportLeadsCsv } from '../../automailer/leads-export';
import { admitPartnerRead } from '../../automailer/member-link';
import { HANDOFF_HEADERS, IdentityTokenEnv, PARTNER_ROLE } from '../../automailer/settings';
import { createDocumentClient } from '../../shared/dynamo';
import { type Env, readEnv, tablesFromEnv } from '../../shared/env';
import { ForbiddenError } from '../../shared/errors';
import {
  type ApiRequest,
  createRouter,
  json,
  parseJsonBody,
  parsePathParameters,
  parseQuery,
  type RouteHandler,
} from '../../shared/http';
import { createLogger } from '../../shared/logger';
import { createSecretsClient } from '../../shared/secrets';
import * as z from '../../shared/zod';
import { PartnerMemberParamsSchema, RedeemBodySchema } from './schemas';

const PartnerApiEnvSchema = z.extend(IdentityTokenEnv, {});

/** The partner API: AutoMailer's server redeems hand-off codes and fetches a member's leads. */
export const createHandler = (env: Env, clock: () => Date = () => new Date(), keys?: SigningKeyStore) => {
  const config = readEnv(PartnerApiEnvSchema, env);
  const tableNames = tablesFromEnv(env, 'members', 'control');
  const logger = createLogger(env);
  const tables = {
    doc: createDocumentClient(env),
    membersTable: tableNames.members,
    controlTable: tableNames.control,
  };
  const signingKeys =
    keys ??
    createSigningKeyStore({
      client: createSecretsClient(env),
      secretId: config.SIGNING_KEYS_SECRET_ARN,
      cacheSeconds: config.SIGNING_KEY_CACHE_SECONDS,
      clock,
    });

  /** The partner authorizer has verified AutoMailer's client assertion; its client id arrives as `sub`. */
  const partnerOf = ({ principal }: ApiRequest): string => {
    if (principal?.role !== PARTNER_ROLE || principal.sub !== config.AUTOMAILER_CLIENT_ID) {
      throw new ForbiddenError('Only AutoMailer may call this route');
    }
    return principal.sub;
  };

  const redeem: RouteHandler = async (request) => {
    const clientId = partnerOf(request);
    const body = parseJsonBody(RedeemBodySchema, request.event);
    const redeemed = await redeemHandoff(
      tables,
      signingKeys,
      { issuer: config.AUTOMAILER_ISSUER, activationDelaySeconds: config.SIGNING_KEY_ACTIVATION_SECONDS },
      { ...body, clientId, now: clock() },
      logger,
    );
    return json(200, redeemed, { headers: HANDOFF_HEADERS });
  };

  const memberLeads: RouteHandler = async (request) => {
    const clientId = partnerOf(request);
    const { memberId } = parsePathParameters(PartnerMemberParamsSchema, request.event);
    const query = parseQuery(leadsCsvQuerySchema, request.event);
    // Only a member who linked AutoMailer by a hand-off, and each read is counted on the link.
    await admitPartnerRead(tables, { memberId, clientId, now: clock() });
    return exportLeadsCsv(tables.doc, tables.membersTable, {
      memberId,
      query,
      bom: false,
      now: clock(),
    });
  };

  return createRouter(
    {
      'POST /automailer/sso/token': redeem,
      'GET /automailer/members/{memberId}/leads.csv': memberLeads,
    },
    { logger },
  ) satisfies (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;
};
