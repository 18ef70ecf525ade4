import { z } from 'zod';

/** The member API's contract (see admin-api/schemas.ts for why schemas live in a module of their own). */

/** Optional: AutoMailer's `state`, when AutoMailer sent the member here to sign in. */
export const StartHandoffBodySchema = z.strictObject({
  state: z
    .string()
    .regex(/^[\x21-\x7e]{1,256}$/, 'state must be 1-256 visible ASCII characters')
    .optional(),
});

export const StartedHandoffSchema = z.strictObject({
  redirectUrl: z
    .string()
    .meta({ description: "AutoMailer's SSO callback with the one-time code (and state)" }),
  code: z.string(),
  expiresIn: z.number().int().meta({ description: 'seconds the code stays redeemable' }),
});
