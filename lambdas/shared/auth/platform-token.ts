import { errors, type JWTVerifyGetKey, jwtVerify } from 'jose';
import type { Env } from '../env';
import { readEnv } from '../env';
import * as z from '../zod';
import { createRemoteKeySet, JWKS_CACHING } from './remote-key-set';

const present = () => z.string().check(z.minLength(1));

/** Settings of the main platform's tokens, from the authorizer's environment (zod's small build: see env.ts). */
export const PlatformTokenEnvSchema = z.object({
  JWT_ISSUER: present(),
  JWT_AUDIENCE: present(),
  JWT_JWKS_URL: z.url(),
  JWT_ALGORITHMS: z.pipe(
    present(),
    z.transform((value: string) => value.split(',').map((item) => item.trim())),
  ),
  JWT_TYP: present(),
  JWT_ROLE_CLAIM: present(),
  JWT_CLOCK_TOLERANCE_SECONDS: z.coerce.number().check(z.int(), z.gte(0), z.lte(60)),
  JWT_MAX_TOKEN_AGE_SECONDS: z.coerce.number().check(z.int(), z.gte(60), z.lte(7 * 86_400)),
});

export interface PlatformIdentity {
  readonly sub: string;
  readonly role: string;
  readonly email?: string;
}

export class InvalidTokenError extends Error {}

export type PlatformTokenVerifier = (token: string) => Promise<PlatformIdentity>;

/**
 * Verifies the main platform's JWTs (RFC 8725): the algorithm list is pinned, `iss`, `aud`, `typ`, `exp`
 * and `iat` are required, `nbf` honoured with a small tolerance, an `iat` in the future (beyond that
 * tolerance) or older than the configured maximum age is refused (a ten-year `exp` buys nothing), and keys
 * come only from the configured JWKS, never from a token's own `jku`/`x5u`/`jwk` headers.
 */
export const createPlatformTokenVerifier = (
  env: Env,
  keys: JWTVerifyGetKey = createRemoteKeySet(
    new URL(readEnv(PlatformTokenEnvSchema, env).JWT_JWKS_URL),
    JWKS_CACHING,
  ),
): PlatformTokenVerifier => {
  const settings = readEnv(PlatformTokenEnvSchema, env);
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: settings.JWT_ISSUER,
        audience: settings.JWT_AUDIENCE,
        algorithms: settings.JWT_ALGORITHMS,
        typ: settings.JWT_TYP,
        clockTolerance: settings.JWT_CLOCK_TOLERANCE_SECONDS,
        maxTokenAge: settings.JWT_MAX_TOKEN_AGE_SECONDS,
        requiredClaims: ['exp', 'sub', 'iat'],
      });
      const role = payload[settings.JWT_ROLE_CLAIM];
      if (typeof payload.sub !== 'string' || typeof role !== 'string') {
        throw new InvalidTokenError('token lacks a subject or a role');
      }
      const email = typeof payload.email === 'string' ? payload.email : undefined;
      return { sub: payload.sub, role, ...(email ? { email } : {}) };
    } catch (error) {
      if (error instanceof InvalidTokenError) throw error;
      // An unreachable key set is our outage, not the caller's fault: let it surface as a 5xx.
      if (error instanceof errors.JWKSTimeout) throw error;
      if (error instanceof errors.JOSEError || error instanceof TypeError) {
        throw new InvalidTokenError(error instanceof errors.JOSEError ? error.code : 'ERR_MALFORMED');
      }
      throw error;
    }
  };
};

/** `Authorization: Bearer <jwt>` -> the token, or undefined. The scheme is case-insensitive (RFC 9110 11.1). */
export const bearerToken = (
  headers: Record<string, string | undefined> | null | undefined,
): string | undefined => {
  if (!headers) return undefined;
  const value = Object.entries(headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
  const match = value?.match(/^Bearer\s+([A-Za-z0-9\-_.]+)$/i);
  return match?.[1];
};
