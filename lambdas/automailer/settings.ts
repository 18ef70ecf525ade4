import * as z from '../shared/zod';

/** The role the partner authorizer puts in its context, and the partner routes require. */
export const PARTNER_ROLE = 'partner';

/** Environment pieces the AutoMailer functions share; each handler merges the ones it needs. */
export const AutomailerClientEnv = z.object({
  AUTOMAILER_CLIENT_ID: z.string().check(z.minLength(1)),
});

export const HandoffEnv = z.extend(AutomailerClientEnv, {
  AUTOMAILER_REDIRECT_URI: z.url(),
});

export const SigningKeysEnv = z.object({
  SIGNING_KEYS_SECRET_ARN: z.string().check(z.minLength(1)),
  /** How long a container keeps the key set before reading the secret again. */
  SIGNING_KEY_CACHE_SECONDS: z._default(z.coerce.number().check(z.int(), z.minimum(0), z.maximum(300)), 60),
  /**
   * Publish before use: a rotated key signs only this long after it was made. It must exceed the JWKS
   * route's container cache plus its HTTP max-age (60 s + 300 s), so every verifier can know the key first.
   */
  SIGNING_KEY_ACTIVATION_SECONDS: z._default(
    z.coerce.number().check(z.int(), z.minimum(0), z.maximum(3600)),
    600,
  ),
});

export const IdentityTokenEnv = z.extend(z.extend(SigningKeysEnv, AutomailerClientEnv.shape), {
  /** `iss` of the identity tokens (and the `aud` AutoMailer's client assertions name). */
  AUTOMAILER_ISSUER: z.string().check(z.minLength(1)),
});

/** The JWKS answer's HTTP cache lifetime; see SIGNING_KEY_ACTIVATION_SECONDS. */
export const JWKS_MAX_AGE_SECONDS = 300;

/** Headers of every hand-off answer: nothing cached, no referrer leaking the code. */
export const HANDOFF_HEADERS = {
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
  'Referrer-Policy': 'no-referrer',
} as const;
