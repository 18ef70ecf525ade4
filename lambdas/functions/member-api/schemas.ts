import * as z from '../../shared/zod';

/** The member API's contract (see admin-api/schemas.ts for why schemas live in a module of their own). */

/** Optional: AutoMailer's `state`, when AutoMailer sent the member here to sign in. */
export const StartHandoffBodySchema = z.strictObject({
  state: z.optional(
    z.string().check(z.regex(/^[\x21-\x7e]{1,256}$/, 'state must be 1-256 visible ASCII characters')),
  ),
});

export const StartedHandoffSchema = z.strictObject({
  redirectUrl: z
    .string()
    .check(z.meta({ description: "AutoMailer's SSO callback with the one-time code (and state)" })),
  code: z.string(),
  expiresIn: z.number().check(z.int(), z.meta({ description: 'seconds the code stays redeemable' })),
});

/** A member's link with AutoMailer, as the member and the admins see it. */
export const AutomailerLinkSchema = z.strictObject({
  memberId: z.string(),
  linked: z.boolean().check(z.meta({ description: "whether AutoMailer may read this member's leads" })),
  link: z.nullable(
    z.strictObject({
      clientId: z.string(),
      linkedAt: z.iso.datetime().check(z.meta({ description: 'first hand-off since the last revocation' })),
      lastHandoffAt: z.iso.datetime(),
      lastReadAt: z
        .nullable(z.iso.datetime())
        .check(z.meta({ description: "AutoMailer's latest read of the leads" })),
      readCount: z
        .number()
        .check(z.int(), z.meta({ description: 'reads of the leads by AutoMailer under this link' })),
    }),
  ),
});
