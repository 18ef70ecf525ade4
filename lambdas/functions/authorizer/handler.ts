import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { authorizerPolicy as policy, UNAUTHORIZED } from '../../shared/auth/authorizer-policy';
import {
  bearerToken,
  createPlatformTokenVerifier,
  InvalidTokenError,
  type PlatformTokenVerifier,
} from '../../shared/auth/platform-token';
import { type Env, readEnv } from '../../shared/env';
import { createLogger } from '../../shared/logger';
import * as z from '../../shared/zod';

const AuthorizerEnvSchema = z.object({ REQUIRED_ROLE: z.enum(['admin', 'member']) });

/**
 * The same wildcard for every route of the stage, so one cached decision serves all routes the caller may
 * use; routes of another audience sit behind another authorizer with its own cache.
 */
const stageWildcard = (methodArn: string): string => `${methodArn.split('/').slice(0, 2).join('/')}/*`;

/** Every Authorization header the request carried (API Gateway lists repeated headers here). */
const authorizationValues = (event: APIGatewayRequestAuthorizerEvent): string[] =>
  Object.entries(event.multiValueHeaders ?? {})
    .filter(([name]) => name.toLowerCase() === 'authorization')
    .flatMap(([, values]) => values ?? []);

/**
 * Platform-token authorizer (REQUEST type). Steps: refuse more than one Authorization header (401); read
 * the bearer token (any case of `Bearer`); verify it (signature from the
 * configured JWKS, pinned algorithms, iss/aud/typ/exp/nbf); a missing or bad token is 401; a good token
 * without the required role is 403; otherwise allow and pass `sub` and `role` to the route.
 */
export const createHandler = (env: Env, verify: PlatformTokenVerifier = createPlatformTokenVerifier(env)) => {
  const { REQUIRED_ROLE } = readEnv(AuthorizerEnvSchema, env);
  const logger = createLogger(env);
  return async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    if (authorizationValues(event).length > 1) {
      logger.info('several Authorization headers', { path: event.path });
      throw new Error(UNAUTHORIZED);
    }
    const token = bearerToken(event.headers);
    if (!token) {
      logger.info('no bearer token', { path: event.path });
      throw new Error(UNAUTHORIZED);
    }
    let identity: Awaited<ReturnType<PlatformTokenVerifier>>;
    try {
      identity = await verify(token);
    } catch (error) {
      if (error instanceof InvalidTokenError) {
        logger.warn('token refused', { reason: error.message, path: event.path });
        throw new Error(UNAUTHORIZED);
      }
      throw error;
    }
    const resource = stageWildcard(event.methodArn);
    if (identity.role !== REQUIRED_ROLE) {
      logger.warn('role refused', { sub: identity.sub, role: identity.role, requiredRole: REQUIRED_ROLE });
      return policy(identity.sub, 'Deny', resource);
    }
    return policy(identity.sub, 'Allow', resource, { sub: identity.sub, role: identity.role });
  };
};
