import { randomUUID } from 'node:crypto';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTVerifyGetKey,
  jwtVerify,
  SignJWT,
} from 'jose';
import * as z from '../../shared/zod';

/** Explicit typing (RFC 8725 3.11): no other token kind of ours, nor the platform's `at+jwt`, carries it. */
export const IDENTITY_TOKEN_TYPE = 'automailer-id+jwt';
export const IDENTITY_TOKEN_ALGORITHM = 'ES256';
export const IDENTITY_TOKEN_TTL_SECONDS = 300;
const MAX_CLOCK_TOLERANCE_SECONDS = 60;

const privateEcJwkSchema = z.object({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string().check(z.minLength(1)),
  y: z.string().check(z.minLength(1)),
  d: z.string().check(z.minLength(1)),
});

const signingKeySchema = z.object({
  kid: z.string().check(z.minLength(1)),
  privateJwk: privateEcJwkSchema,
  /** ISO time the key was made; lets an operator see how old the current key is. */
  createdAt: z.optional(z.iso.datetime()),
});

/**
 * The JSON kept in Secrets Manager. `previous` exists only during a rotation, so tokens it signed (at most
 * five minutes old) still verify until it is dropped.
 */
export const keySetSchema = z.object({
  current: signingKeySchema,
  previous: z.optional(signingKeySchema),
});

export type SigningKey = z.infer<typeof signingKeySchema>;
export type KeySet = z.infer<typeof keySetSchema>;

/** Parse the secret string; a malformed secret fails loudly (without echoing key material). */
export const parseKeySet = (secretString: string): KeySet => {
  let raw: unknown;
  try {
    raw = JSON.parse(secretString);
  } catch {
    throw new Error('The AutoMailer signing key secret is not JSON');
  }
  const result = keySetSchema.safeParse(raw);
  if (!result.success) {
    const paths = result.error.issues.map((issue) => issue.path.join('.') || '(root)');
    throw new Error(`The AutoMailer signing key secret is malformed at: ${[...new Set(paths)].join(', ')}`);
  }
  return result.data;
};

export const serializeKeySet = (keySet: KeySet): string => JSON.stringify(keySet);

const publicPart = ({ kty, crv, x, y }: SigningKey['privateJwk']) => ({ kty, crv, x, y });

/** A fresh ES256 key; its `kid` is the RFC 7638 thumbprint of the public key, so it is unique and checkable. */
export const generateSigningKey = async (now: Date = new Date()): Promise<SigningKey> => {
  const { privateKey } = await generateKeyPair(IDENTITY_TOKEN_ALGORITHM, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const privateJwk = privateEcJwkSchema.parse(jwk);
  const kid = await calculateJwkThumbprint(publicPart(privateJwk), 'sha256');
  return { kid, privateJwk, createdAt: now.toISOString() };
};

/**
 * Start a rotation: a new key signs from now on, the old current stays published as `previous`, and any
 * older previous is dropped. Run `dropPreviousKey` once the longest token lifetime plus clock tolerance
 * has passed (the Secrets Manager rotation's finishSecret step is the natural place).
 */
export const rotate = async (
  keySet: KeySet,
  generate: () => Promise<SigningKey> = () => generateSigningKey(),
): Promise<KeySet> => ({ current: await generate(), previous: keySet.current });

export const dropPreviousKey = (keySet: KeySet): KeySet => ({ current: keySet.current });

/**
 * Publish before use: a freshly rotated key is in the JWKS at once but signs only after
 * `activationDelaySeconds`, so every verifier (whose cached JWKS may be minutes old) can know it before the
 * first token it signed arrives. Until then the previous key keeps signing. A key set with no previous
 * (the first one) signs with its only key; a key without `createdAt` counts as old.
 */
export const activeSigningKey = (keySet: KeySet, now: Date, activationDelaySeconds = 0): SigningKey => {
  const { current, previous } = keySet;
  if (!previous || current.createdAt === undefined || activationDelaySeconds <= 0) return current;
  const activeFrom = Date.parse(current.createdAt) + activationDelaySeconds * 1000;
  return now.getTime() >= activeFrom ? current : previous;
};

/**
 * The previous key may leave the JWKS once it has stopped signing (activation delay) and the last token it
 * signed has expired (lifetime plus the most clock tolerance a verifier may allow).
 */
export const previousKeyDroppableAt = (keySet: KeySet, activationDelaySeconds = 0): Date | undefined => {
  if (!keySet.previous) return undefined;
  const createdAt = keySet.current.createdAt === undefined ? 0 : Date.parse(keySet.current.createdAt);
  return new Date(
    createdAt + (activationDelaySeconds + IDENTITY_TOKEN_TTL_SECONDS + MAX_CLOCK_TOLERANCE_SECONDS) * 1000,
  );
};

export interface PublicJwks {
  keys: Array<JWK & { kid: string; alg: string; use: 'sig' }>;
}

/** What `/.well-known/jwks.json` serves: public halves only, current first, previous while it exists. */
export const publicJwks = (keySet: KeySet): PublicJwks => ({
  keys: [keySet.current, ...(keySet.previous ? [keySet.previous] : [])].map((key) => ({
    ...publicPart(key.privateJwk),
    kid: key.kid,
    alg: IDENTITY_TOKEN_ALGORITHM,
    use: 'sig' as const,
  })),
});

/** What AutoMailer learns about the member. Validated so a token never carries an accidental field. */
export const identityClaimsSchema = z.object({
  sub: z.string().check(z.minLength(1)),
  email: z.email(),
  name: z.string(),
  tier: z.string().check(z.minLength(1)),
  /** The platform's own subscription state word (e.g. `active`, `past_due`, `canceled`), passed through. */
  subscriptionStatus: z.string().check(z.minLength(1)),
});
export type IdentityClaims = z.infer<typeof identityClaimsSchema>;

export interface IdentityTokenOptions {
  issuer: string;
  audience: string;
  now: Date;
  ttlSeconds?: number;
  /** Injectable for tests; defaults to a random UUID. */
  jti?: string;
  /** See `activeSigningKey`; 0 signs with the current key at once. */
  activationDelaySeconds?: number;
}

export interface SignedIdentityToken {
  token: string;
  jti: string;
  expiresAt: Date;
  expiresIn: number;
}

/**
 * Sign the short-lived identity token handed to AutoMailer's server on redemption.
 * Steps: validate claims -> pick the active key (publish before use) -> sign ES256 with kid/typ,
 * iss/aud/sub/jti/iat/exp.
 */
export const signIdentityToken = async (
  keySet: KeySet,
  claims: IdentityClaims,
  {
    issuer,
    audience,
    now,
    ttlSeconds = IDENTITY_TOKEN_TTL_SECONDS,
    jti = randomUUID(),
    activationDelaySeconds = 0,
  }: IdentityTokenOptions,
): Promise<SignedIdentityToken> => {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > IDENTITY_TOKEN_TTL_SECONDS) {
    throw new RangeError(`ttlSeconds must be an integer between 1 and ${IDENTITY_TOKEN_TTL_SECONDS}`);
  }
  const { sub, ...profile } = identityClaimsSchema.parse(claims);
  const signingKey = activeSigningKey(keySet, now, activationDelaySeconds);
  const key = await importJWK(signingKey.privateJwk, IDENTITY_TOKEN_ALGORITHM);
  const issuedAt = Math.floor(now.getTime() / 1000);
  const expiresAtSeconds = issuedAt + ttlSeconds;
  const token = await new SignJWT(profile)
    .setProtectedHeader({ alg: IDENTITY_TOKEN_ALGORITHM, kid: signingKey.kid, typ: IDENTITY_TOKEN_TYPE })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject(sub)
    .setJti(jti)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAtSeconds)
    .sign(key);
  return { token, jti, expiresAt: new Date(expiresAtSeconds * 1000), expiresIn: ttlSeconds };
};

export interface VerifyIdentityTokenOptions {
  /** `createLocalJWKSet(publicJwks(keySet))` here, or `createRemoteJWKSet(configuredUrl)` on AutoMailer's side. */
  keys: JWTVerifyGetKey;
  issuer: string;
  audience: string;
  now: Date;
  clockToleranceSeconds?: number;
}

/**
 * The verifier AutoMailer (and our dev AutoMailer client) runs. Pins the algorithm, `typ`, iss, aud and
 * requires exp/iat/jti, so a platform access token or any other kind of ours is refused.
 */
export const verifyIdentityToken = async (
  token: string,
  { keys, issuer, audience, now, clockToleranceSeconds = 30 }: VerifyIdentityTokenOptions,
): Promise<IdentityClaims & { jti: string }> => {
  const { payload } = await jwtVerify(token, keys, {
    algorithms: [IDENTITY_TOKEN_ALGORITHM],
    typ: IDENTITY_TOKEN_TYPE,
    issuer,
    audience,
    currentDate: now,
    clockTolerance: Math.min(clockToleranceSeconds, MAX_CLOCK_TOLERANCE_SECONDS),
    // jose applies the clock tolerance to this as well.
    maxTokenAge: IDENTITY_TOKEN_TTL_SECONDS,
    requiredClaims: ['exp', 'iat', 'jti', 'sub'],
  });
  const claims = identityClaimsSchema.parse(payload);
  return { ...claims, jti: String(payload.jti) };
};
