import {
  type ClientKeyPair,
  generateClientKeyPair,
  signClientAssertion,
} from '../lambdas/automailer/domain/client-assertion-signer';
import type { AppConfig } from '../lib/config';

/** Where the front door serves the dev AutoMailer's public keys (its registered JWKS, locally). */
export const DEV_AUTOMAILER_JWKS_PATH = '/.dev/automailer-jwks.json';
/** A local-only convenience for curl: a fresh client assertion of the dev AutoMailer, as plain text. */
export const DEV_AUTOMAILER_ASSERTION_PATH = '/.dev/automailer-assertion';

export interface DevAutomailerClient {
  readonly clientId: string;
  readonly keys: ClientKeyPair;
  /** A fresh single-use client assertion, as AutoMailer's server makes one before each call. */
  assertion(overrides?: { ttlSeconds?: number; jti?: string; now?: Date }): Promise<string>;
}

/**
 * Plays AutoMailer's server locally: an ES256 key pair whose public half the partner authorizer fetches
 * from the front door (the configured JWKS URL is pointed there), and assertions shaped like AutoMailer's.
 */
export const createDevAutomailerClient = async (
  config: AppConfig['automailer'],
): Promise<DevAutomailerClient> => {
  const keys = await generateClientKeyPair('ES256');
  return {
    clientId: config.clientId,
    keys,
    assertion: ({ ttlSeconds, jti, now = new Date() } = {}) =>
      signClientAssertion({
        privateJwk: keys.privateJwk,
        clientId: config.clientId,
        audience: config.issuer,
        now,
        ttlSeconds,
        jti,
      }),
  };
};
