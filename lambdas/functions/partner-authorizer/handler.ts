import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { dynamoReplayCheck } from '../../automailer/adapters/replay-store';
import {
  ClientAssertionError,
  type ClientKeys,
  clientKeyResolver,
  type ReplayCheck,
  verifyClientAssertion,
} from '../../automailer/domain/client-assertion';
import { AutomailerClientEnv, PARTNER_ROLE } from '../../automailer/settings';
import { authorizerPolicy, UNAUTHORIZED } from '../../shared/auth/authorizer-policy';
import { bearerToken } from '../../shared/auth/platform-token';
import { createRemoteKeySet, JWKS_CACHING } from '../../shared/auth/remote-key-set';
import { createDocumentClient } from '../../shared/dynamo';
import { type Env, readEnv, tablesFromEnv } from '../../shared/env';
import { createLogger } from '../../shared/logger';
import * as z from '../../shared/zod';

const PartnerAuthorizerEnvSchema = z
  .extend(AutomailerClientEnv, {
    /** What AutoMailer's assertions must carry as `aud`: our identity-token issuer. */
    AUTOMAILER_ISSUER: z.string().check(z.minLength(1)),
    /** AutoMailer's published keys; takes precedence over a registered single key. */
    AUTOMAILER_CLIENT_JWKS_URL: z.optional(z.url()),
    AUTOMAILER_CLIENT_PUBLIC_JWK: z.optional(z.string()),
  })
  .check(
    z.refine((env) => env.AUTOMAILER_CLIENT_JWKS_URL || env.AUTOMAILER_CLIENT_PUBLIC_JWK, {
      message: 'set AUTOMAILER_CLIENT_JWKS_URL or AUTOMAILER_CLIENT_PUBLIC_JWK',
      path: ['AUTOMAILER_CLIENT_JWKS_URL'],
    }),
  );

export interface PartnerAuthorizerDependencies {
  keys?: ClientKeys;
  replayCheck?: ReplayCheck;
  clock?: () => Date;
}

/**
 * Partner authorizer (REQUEST type, no result cache: every assertion is single-use). The usage-plan API key
 * only meters AutoMailer; this is what authenticates it.
 * Steps: read `Authorization: Bearer <client assertion>` -> verify it against AutoMailer's registered keys
 * (pinned algorithms, iss = sub = client id, aud = our issuer, exp, at most five minutes) -> consume its
 * jti once -> allow this method with `sub` = client id and role `partner`. Any refusal is a 401 and a
 * security event in the logs.
 */
export const createHandler = (env: Env, dependencies: PartnerAuthorizerDependencies = {}) => {
  const config = readEnv(PartnerAuthorizerEnvSchema, env);
  const tables = tablesFromEnv(env, 'control');
  const logger = createLogger(env);
  const registered: ClientKeys =
    dependencies.keys ??
    (config.AUTOMAILER_CLIENT_JWKS_URL
      ? createRemoteKeySet(new URL(config.AUTOMAILER_CLIENT_JWKS_URL), JWKS_CACHING)
      : (JSON.parse(config.AUTOMAILER_CLIENT_PUBLIC_JWK ?? '') as ClientKeys));
  const keys = clientKeyResolver(registered);
  const replayCheck =
    dependencies.replayCheck ?? dynamoReplayCheck(createDocumentClient(env), tables.control);
  const clock = dependencies.clock ?? (() => new Date());

  return async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    const assertion = bearerToken(event.headers);
    if (!assertion) {
      logger.warn('security event: partner call without a client assertion', {
        securityEvent: 'client_assertion_missing',
        path: event.path,
      });
      throw new Error(UNAUTHORIZED);
    }
    try {
      const { clientId, jti } = await verifyClientAssertion(assertion, {
        clientId: config.AUTOMAILER_CLIENT_ID,
        audience: config.AUTOMAILER_ISSUER,
        keyOrJwks: keys,
        now: clock(),
        replayCheck,
      });
      logger.info('partner authenticated', { clientId, jti, path: event.path });
      return authorizerPolicy(clientId, 'Allow', event.methodArn, { sub: clientId, role: PARTNER_ROLE });
    } catch (error) {
      if (error instanceof ClientAssertionError) {
        logger.warn('security event: client assertion refused', {
          securityEvent: 'client_assertion_refused',
          reason: error.reason,
          path: event.path,
        });
        throw new Error(UNAUTHORIZED);
      }
      throw error;
    }
  };
};
