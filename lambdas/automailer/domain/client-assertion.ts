import {
  createLocalJWKSet,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
  errors as joseErrors,
  jwtVerify,
} from 'jose';
import { UnauthorizedError } from '../../shared/errors';

/**
 * Pinned: asymmetric only, so a symmetric `HS256` token "signed" with the partner's public key, or an
 * unsigned `alg: none` token, never reaches a key (RFC 8725 3.1-3.2).
 */
export const CLIENT_ASSERTION_ALGORITHMS = ['ES256', 'RS256'] as const;
export type ClientAssertionAlgorithm = (typeof CLIENT_ASSERTION_ALGORITHMS)[number];
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;
export const MAX_CLOCK_TOLERANCE_SECONDS = 60;
/** A client assertion is a few hundred bytes; anything far bigger is refused before parsing. */
const MAX_ASSERTION_LENGTH = 8 * 1024;
const MAX_JTI_LENGTH = 256;
/**
 * `typ` values a partner's JWT library may set on a client assertion (RFC 7523 uses none; the newer
 * draft uses `client-authentication+jwt`). Our own kinds (`automailer-id+jwt`, `at+jwt`) are refused.
 */
const ACCEPTED_TYP = new Set(['jwt', 'client-authentication+jwt']);

export type ClientAssertionRefusal =
  | 'malformed'
  | 'algorithm_not_allowed'
  | 'unknown_key'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'missing_claim'
  | 'wrong_claim'
  | 'wrong_type'
  | 'lifetime_too_long'
  | 'replayed';

/** A 401 whose reason is for our logs and tests; the message stays generic enough to teach an attacker little. */
export class ClientAssertionError extends UnauthorizedError {
  constructor(
    readonly reason: ClientAssertionRefusal,
    detail?: string,
  ) {
    super(`Client assertion refused: ${reason.replaceAll('_', ' ')}${detail ? ` (${detail})` : ''}`);
  }
}

/** The partner's registered verification key(s): one public JWK, a JWKS document, or a resolver. */
export type ClientKeys = JWK | JSONWebKeySet | JWTVerifyGetKey;

/**
 * Records a `jti` as used and says whether it was new. The adapter does a conditional put
 * (`attribute_not_exists`) keyed on client id + jti with a TTL just past `expiresAt`; a lost condition is
 * a replay. It must throw (not return false) on an infrastructure error.
 */
export type ReplayCheck = (use: { clientId: string; jti: string; expiresAt: Date }) => Promise<boolean>;

export interface VerifyClientAssertionOptions {
  clientId: string;
  /** Our token URL or API identifier (either may be listed). */
  audience: string | string[];
  keyOrJwks: ClientKeys;
  now: Date;
  replayCheck: ReplayCheck;
  clockToleranceSeconds?: number;
}

export interface VerifiedClientAssertion {
  clientId: string;
  jti: string;
  expiresAt: Date;
}

const isKeySet = (keys: ClientKeys): keys is JSONWebKeySet =>
  typeof keys === 'object' && Array.isArray((keys as JSONWebKeySet).keys);

const expectedKeyShape: Record<ClientAssertionAlgorithm, (jwk: JWK) => boolean> = {
  ES256: (jwk) => jwk.kty === 'EC' && jwk.crv === 'P-256',
  RS256: (jwk) => jwk.kty === 'RSA',
};

/** Only the public members, so a registered key can never act as a private or symmetric one. */
const publicMembers = (jwk: JWK): JWK => {
  if (jwk.kty === 'EC') return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
  if (jwk.kty === 'RSA') return { kty: jwk.kty, n: jwk.n, e: jwk.e };
  throw new Error(`A client key must be EC P-256 or RSA, not ${String(jwk.kty)}`);
};

/**
 * Turn the registered key material into a jose key resolver. Build it once per container and pass the
 * result as `keyOrJwks`. Keys come only from our configuration, never from a token's `jku`/`x5u`/`jwk`.
 */
export const clientKeyResolver = (keys: ClientKeys): JWTVerifyGetKey => {
  if (typeof keys === 'function') return keys;
  if (isKeySet(keys)) return createLocalJWKSet(keys);
  const publicJwk = publicMembers(keys);
  // A single registered key is used whatever `kid` the token names: there is nothing to choose between.
  return async (header) => {
    const alg = header.alg as ClientAssertionAlgorithm;
    if (!CLIENT_ASSERTION_ALGORITHMS.includes(alg)) throw new joseErrors.JOSEAlgNotAllowed('alg not allowed');
    if ((keys.alg !== undefined && keys.alg !== alg) || !expectedKeyShape[alg](publicJwk)) {
      throw new joseErrors.JWKSNoMatchingKey();
    }
    return importJWK(publicJwk, alg);
  };
};

const refusalFor = (error: unknown): ClientAssertionError => {
  if (error instanceof ClientAssertionError) return error;
  if (error instanceof joseErrors.JWTExpired) return new ClientAssertionError('expired');
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return new ClientAssertionError('not_yet_valid');
    if (error.claim === 'typ') return new ClientAssertionError('wrong_type');
    return new ClientAssertionError(
      error.reason === 'missing' ? 'missing_claim' : 'wrong_claim',
      error.claim,
    );
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return new ClientAssertionError('algorithm_not_allowed');
  if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys) {
    return new ClientAssertionError('unknown_key');
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed)
    return new ClientAssertionError('bad_signature');
  if (error instanceof joseErrors.JOSEError && !(error instanceof joseErrors.JWKSTimeout)) {
    return new ClientAssertionError('malformed');
  }
  // A JWKS fetch timeout or network error is our outage, not the client's fault: let it become a 5xx.
  throw error;
};

/**
 * Authenticate AutoMailer's server on the partner routes (`private_key_jwt` style, RFC 7523).
 * Steps: size check -> verify signature with pinned algorithms and the registered key -> check
 * iss = sub = client id, aud, exp (required), nbf, typ -> cap the lifetime at five minutes -> consume the
 * `jti` once. The jti is consumed last so a forged or stale token cannot burn entries in the replay store.
 * Every refusal is a `ClientAssertionError` (401).
 */
export const verifyClientAssertion = async (
  jwt: string,
  {
    clientId,
    audience,
    keyOrJwks,
    now,
    replayCheck,
    clockToleranceSeconds = 30,
  }: VerifyClientAssertionOptions,
): Promise<VerifiedClientAssertion> => {
  if (typeof jwt !== 'string' || jwt.length === 0 || jwt.length > MAX_ASSERTION_LENGTH) {
    throw new ClientAssertionError('malformed');
  }
  const tolerance = Math.max(0, Math.min(clockToleranceSeconds, MAX_CLOCK_TOLERANCE_SECONDS));
  const keys = clientKeyResolver(keyOrJwks);

  let verified: Awaited<ReturnType<typeof jwtVerify>>;
  try {
    verified = await jwtVerify(jwt, keys, {
      algorithms: [...CLIENT_ASSERTION_ALGORITHMS],
      issuer: clientId,
      subject: clientId,
      audience,
      currentDate: now,
      clockTolerance: tolerance,
      requiredClaims: ['exp', 'jti'],
    });
  } catch (error) {
    throw refusalFor(error);
  }
  const { payload, protectedHeader } = verified;

  if (protectedHeader.typ !== undefined && !ACCEPTED_TYP.has(protectedHeader.typ.toLowerCase())) {
    throw new ClientAssertionError('wrong_type');
  }
  const nowSeconds = now.getTime() / 1000;
  const exp = payload.exp as number; // required above, and jose has checked it is a number
  if (exp - nowSeconds > MAX_ASSERTION_LIFETIME_SECONDS + tolerance) {
    throw new ClientAssertionError('lifetime_too_long');
  }
  if (payload.iat !== undefined) {
    if (payload.iat > nowSeconds + tolerance) throw new ClientAssertionError('wrong_claim', 'iat');
    if (exp - payload.iat > MAX_ASSERTION_LIFETIME_SECONDS)
      throw new ClientAssertionError('lifetime_too_long');
  }
  const { jti } = payload;
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > MAX_JTI_LENGTH) {
    throw new ClientAssertionError('wrong_claim', 'jti');
  }

  const expiresAt = new Date(exp * 1000);
  const firstUse = await replayCheck({ clientId, jti, expiresAt });
  if (!firstUse) throw new ClientAssertionError('replayed');
  return { clientId, jti, expiresAt };
};
