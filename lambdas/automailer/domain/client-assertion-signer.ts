import { randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import type { ClientAssertionAlgorithm } from './client-assertion';

/**
 * The partner's side of the client assertion: what AutoMailer's server does before each call. Used by our
 * tests and by the local runtime's dev AutoMailer client; production code never signs assertions.
 */

export interface ClientKeyPair {
  privateJwk: JWK;
  /** What AutoMailer registers with us (public members + kid, alg, use). */
  publicJwk: JWK;
}

export const generateClientKeyPair = async (
  alg: ClientAssertionAlgorithm = 'ES256',
): Promise<ClientKeyPair> => {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
  const privateJwk = await exportJWK(privateKey);
  return {
    privateJwk: { ...privateJwk, kid, alg },
    publicJwk: { ...publicJwk, kid, alg, use: 'sig' },
  };
};

export interface ClientAssertionInput {
  privateJwk: JWK;
  clientId: string;
  audience: string;
  now: Date;
  /** Short by default: the assertion is made for one call. */
  ttlSeconds?: number;
  jti?: string;
  /** Defaults to the key's `alg`, else ES256 for EC keys and RS256 for RSA keys. */
  alg?: ClientAssertionAlgorithm;
  typ?: string;
}

export const signClientAssertion = async ({
  privateJwk,
  clientId,
  audience,
  now,
  ttlSeconds = 60,
  jti = randomUUID(),
  alg = (privateJwk.alg as ClientAssertionAlgorithm | undefined) ??
    (privateJwk.kty === 'RSA' ? 'RS256' : 'ES256'),
  typ,
}: ClientAssertionInput): Promise<string> => {
  const key = await importJWK(privateJwk, alg);
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg, ...(privateJwk.kid ? { kid: privateJwk.kid } : {}), ...(typ ? { typ } : {}) })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(audience)
    .setJti(jti)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .sign(key);
};
