import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import type { AppConfig } from '../lib/config';

export interface PlatformTokenClaims {
  readonly sub: string;
  readonly role: 'admin' | 'member' | string;
  readonly email?: string;
  readonly name?: string;
  /** Seconds until expiry; negative for an expired token, null for none at all. */
  readonly expiresInSeconds?: number | null;
  readonly notBeforeSeconds?: number;
  /** Seconds from now of `iat` (and of `exp`'s start): negative for a token issued earlier. */
  readonly issuedAtSeconds?: number;
  readonly issuer?: string;
  readonly audience?: string;
  readonly typ?: string;
  /** An OpenID Connect ID token's `nonce`, echoed from the authorization request. */
  readonly nonce?: string;
}

export interface DevPlatformIdentity {
  /** The platform's public keys, served by the local front door as the configured JWKS URL. */
  readonly jwks: { keys: JWK[] };
  mint(claims: PlatformTokenClaims): Promise<string>;
}

/**
 * Plays the main Proleads platform locally: an RS256 key pair whose public half the authorizer fetches
 * from the front door, and tokens shaped like the platform's (typ at+jwt, iss, aud, sub, role, exp).
 */
export const createDevPlatformIdentity = async (jwt: AppConfig['jwt']): Promise<DevPlatformIdentity> => {
  const algorithm = jwt.algorithms[0] ?? 'RS256';
  const { publicKey, privateKey } = await generateKeyPair(algorithm, { extractable: true });
  const kid = `dev-${Date.now().toString(36)}`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: algorithm, use: 'sig' };
  return {
    jwks: { keys: [publicJwk] },
    mint: (claims) => {
      const { sub, role, email, name, nonce, expiresInSeconds = 12 * 3600 } = claims;
      const now = Math.floor(Date.now() / 1000) + (claims.issuedAtSeconds ?? 0);
      const token = new SignJWT({
        [jwt.roleClaim]: role,
        ...(email ? { email } : {}),
        ...(name ? { name } : {}),
        ...(nonce ? { nonce } : {}),
      })
        .setProtectedHeader({ alg: algorithm, kid, typ: claims.typ ?? jwt.typ })
        .setIssuer(claims.issuer ?? jwt.issuer)
        .setAudience(claims.audience ?? jwt.audience)
        .setSubject(sub)
        .setIssuedAt(now);
      if (expiresInSeconds !== null) token.setExpirationTime(now + expiresInSeconds);
      if (claims.notBeforeSeconds !== undefined) token.setNotBefore(now + claims.notBeforeSeconds);
      return token.sign(privateKey);
    },
  };
};

export const DEV_ROLES = ['admin', 'member'] as const;
export type DevRole = (typeof DEV_ROLES)[number];

/** Who a dev token names when the caller does not say: the ids `npm start` prints tokens for. */
export const DEV_SUBJECTS: Record<DevRole, string> = { admin: 'dev-admin', member: 'dev-member' };

/** The claims of a dev token: the platform's shape, an admin with an email as the platform's admins have. */
export const devTokenClaims = (role: DevRole, sub = DEV_SUBJECTS[role]): PlatformTokenClaims =>
  role === 'admin' ? { sub, role, email: `${sub}@proleads.example` } : { sub, role };
