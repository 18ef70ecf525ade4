import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { getMember } from '../members/adapters/member-profile';
import { NotFoundError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import { consumeHandoffCode, findHandoffCode, saveHandoffCode } from './adapters/handoff-store';
import { saveLink } from './adapters/member-link-store';
import type { SigningKeyStore } from './adapters/signing-key-store';
import {
  checkRedeemable,
  HANDOFF_CODE_TTL_SECONDS,
  handoffRedirectUrl,
  hashCode,
  InvalidHandoffCodeError,
  issueHandoffCode,
} from './domain/handoff-code';
import { IDENTITY_TOKEN_TYPE, signIdentityToken } from './domain/signing-keys';

export interface HandoffTables {
  doc: DynamoDBDocumentClient;
  membersTable: string;
  controlTable: string;
}

export interface StartHandoffInput {
  memberId: string;
  /** AutoMailer's opaque `state`, passed back untouched on the redirect when it started the sign-in. */
  state?: string;
  clientId: string;
  redirectUri: string;
  now: Date;
}

export interface StartedHandoff {
  redirectUrl: string;
  code: string;
  expiresIn: number;
}

/**
 * Start the hand-off for the signed-in member.
 * Steps: the member must be known (their profile feeds the identity token) -> draw a 256-bit code bound to
 * the member, AutoMailer and its redirect URI -> store only its hash, for 60 seconds -> give back the URL
 * to send the browser to, carrying only that code.
 */
export const startHandoff = async (
  { doc, membersTable, controlTable }: HandoffTables,
  { memberId, state, clientId, redirectUri, now }: StartHandoffInput,
  logger: Logger,
): Promise<StartedHandoff> => {
  if (!(await getMember(doc, membersTable, memberId))) {
    throw new NotFoundError('No member profile for this account yet; try again after the next members sync');
  }
  const { code, record } = issueHandoffCode({ memberId, clientId, redirectUri, now });
  await saveHandoffCode(doc, controlTable, record);
  logger.info('hand-off code issued', { memberId, clientId });
  return {
    redirectUrl: handoffRedirectUrl(redirectUri, code, state),
    code,
    expiresIn: HANDOFF_CODE_TTL_SECONDS,
  };
};

export interface RedeemHandoffInput {
  code: string;
  /** The authenticated partner (from its client assertion), never from the body. */
  clientId: string;
  redirectUri?: string;
  memberId?: string;
  now: Date;
}

export interface IdentityTokenSettings {
  issuer: string;
  activationDelaySeconds: number;
}

export interface RedeemedHandoff {
  identityToken: string;
  tokenType: typeof IDENTITY_TOKEN_TYPE;
  expiresIn: number;
  memberId: string;
}

/**
 * Redeem a code for a five-minute identity token, server to server.
 * Steps: look the code up by its hash -> check binding (client, redirect URI, member), use and expiry ->
 * consume it with one conditional write (a lost race re-reads for the precise reason) -> read the member ->
 * link the member with the client (what lets it read their leads) -> sign the token with the active key
 * (aud = the client). Every refusal is a 400 `invalid_grant` and a
 * security event in the logs (never with the code).
 */
export const redeemHandoff = async (
  { doc, membersTable, controlTable }: HandoffTables,
  keys: SigningKeyStore,
  settings: IdentityTokenSettings,
  { code, clientId, redirectUri, memberId, now }: RedeemHandoffInput,
  logger: Logger,
): Promise<RedeemedHandoff> => {
  const codeHash = hashCode(code);
  const refuse = (error: InvalidHandoffCodeError, boundMemberId?: string) => {
    logger.warn('security event: hand-off code refused', {
      securityEvent: 'handoff_code_refused',
      reason: error.reason,
      clientId,
      boundMemberId,
      claimedMemberId: memberId,
    });
    return error;
  };
  const request = { clientId, redirectUri, memberId, now };

  const found = await findHandoffCode(doc, controlTable, codeHash);
  const check = checkRedeemable(found, request);
  if (!check.ok) throw refuse(check.error, found?.memberId);
  const { record } = check;

  if (!(await consumeHandoffCode(doc, controlTable, codeHash, { clientId, now }))) {
    const recheck = checkRedeemable(await findHandoffCode(doc, controlTable, codeHash), request);
    throw refuse(recheck.ok ? new InvalidHandoffCodeError('already_used') : recheck.error, record.memberId);
  }

  const member = await getMember(doc, membersTable, record.memberId);
  if (!member) throw new NotFoundError('The member of this hand-off no longer exists');
  await saveLink(doc, membersTable, { memberId: member.memberId, clientId, now });
  const signed = await signIdentityToken(
    await keys.load(),
    {
      sub: member.memberId,
      email: member.email,
      name: member.name ?? '',
      tier: member.tier,
      subscriptionStatus: member.subscriptionStatus,
    },
    {
      issuer: settings.issuer,
      audience: clientId,
      now,
      activationDelaySeconds: settings.activationDelaySeconds,
    },
  );
  logger.info('identity token issued', { memberId: member.memberId, clientId, jti: signed.jti });
  return {
    identityToken: signed.token,
    tokenType: IDENTITY_TOKEN_TYPE,
    expiresIn: signed.expiresIn,
    memberId: member.memberId,
  };
};
