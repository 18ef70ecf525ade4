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

/** A member's link with AutoMailer, as the member and the admins see it. */
export const AutomailerLinkSchema = z.strictObject({
  memberId: z.string(),
  linked: z.boolean().meta({ description: "whether AutoMailer may read this member's leads" }),
  link: z
    .strictObject({
      clientId: z.string(),
      linkedAt: z.iso.datetime().meta({ description: 'first hand-off since the last revocation' }),
      lastHandoffAt: z.iso.datetime(),
      lastReadAt: z.iso.datetime().nullable().meta({ description: "AutoMailer's latest read of the leads" }),
      readCount: z.number().int().meta({ description: 'reads of the leads by AutoMailer under this link' }),
    })
    .nullable(),
});
