import { handoffCodeSchema } from '../../automailer/domain/handoff-code';
import * as z from '../../shared/zod';

/** The partner API's contract (see admin-api/schemas.ts for why schemas live in a module of their own). */

/** Platform member ids as they appear in our keys: no separators of ours (`#`), no paths, no blanks. */
export const PartnerMemberIdSchema = z
  .string()
  .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/, 'not a member id'));

export const PartnerMemberParamsSchema = z.object({ memberId: PartnerMemberIdSchema });

export const RedeemBodySchema = z.strictObject({
  code: handoffCodeSchema,
  /** Repeat of the redirect URI the code was sent to (RFC 6749 4.1.3); checked when present. */
  redirectUri: z.optional(z.url()),
  /** The member AutoMailer started the sign-in for, when it knows; a code of anyone else is refused. */
  memberId: z.optional(PartnerMemberIdSchema),
});

export const RedeemedHandoffSchema = z.strictObject({
  identityToken: z
    .string()
    .check(z.meta({ description: 'ES256 JWT, verifiable with /.well-known/jwks.json' })),
  tokenType: z.string().check(z.meta({ example: 'automailer-id+jwt' })),
  expiresIn: z.number().check(z.int()),
  memberId: z.string(),
});
