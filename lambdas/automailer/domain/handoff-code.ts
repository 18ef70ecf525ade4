import { createHash, randomBytes as cryptoRandomBytes } from 'node:crypto';
import { BadRequestError } from '../../shared/errors';
import * as z from '../../shared/zod';

/** 32 bytes = 256 random bits (RFC 9700 asks for at least 128); base64url without padding is 43 characters. */
export const HANDOFF_CODE_BYTES = 32;
export const HANDOFF_CODE_TTL_SECONDS = 60;

/** What the partner sends back: exactly the shape we hand out, so junk is refused before any lookup. */
export const handoffCodeSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{43}$/, 'not a hand-off code'));

/**
 * The only thing stored about a code. The code itself is never stored or logged: whoever reads the table
 * (or a backup of it) still cannot redeem anything.
 */
export interface HandoffCodeRecord {
  codeHash: string;
  memberId: string;
  clientId: string;
  redirectUri: string;
  /** Epoch milliseconds; the code is redeemable while `now < validUntil`. */
  validUntil: number;
  /**
   * Epoch seconds: the control table's TTL attribute. TTL deletion lags by days, so reads check
   * `validUntil` themselves.
   */
  expiresAt: number;
  /** Epoch milliseconds of the one redemption; set by the adapter's conditional write. */
  usedAt?: number;
}

export interface IssueHandoffCodeInput {
  memberId: string;
  clientId: string;
  redirectUri: string;
  now: Date;
  ttlSeconds?: number;
  /** Injectable for tests only; production uses the operating system's CSPRNG. */
  randomBytes?: (size: number) => Uint8Array;
}

export interface IssuedHandoffCode {
  /** Goes to the browser once (inside the redirect URL) and is then forgotten. */
  code: string;
  record: HandoffCodeRecord;
}

/**
 * A plain SHA-256 is enough here, unlike the email dedupe key (which needs an HMAC pepper): a code carries
 * 256 random bits, so there is no dictionary to try and a preimage search is hopeless; a pepper would only
 * protect low-entropy inputs. Keeping it unkeyed also means no secret to fetch on the hot path.
 */
export const hashCode = (code: string): string => createHash('sha256').update(code, 'utf8').digest('hex');

/**
 * Issue a hand-off code bound to one member and one client's redirect URI.
 * Steps: draw 256 random bits -> encode base64url -> keep only the hash with the binding and expiry.
 */
export const issueHandoffCode = ({
  memberId,
  clientId,
  redirectUri,
  now,
  ttlSeconds = HANDOFF_CODE_TTL_SECONDS,
  randomBytes = cryptoRandomBytes,
}: IssueHandoffCodeInput): IssuedHandoffCode => {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > HANDOFF_CODE_TTL_SECONDS) {
    throw new RangeError(`ttlSeconds must be an integer between 1 and ${HANDOFF_CODE_TTL_SECONDS}`);
  }
  const bytes = randomBytes(HANDOFF_CODE_BYTES);
  if (bytes.length !== HANDOFF_CODE_BYTES) {
    throw new RangeError(`expected ${HANDOFF_CODE_BYTES} random bytes, got ${bytes.length}`);
  }
  const code = Buffer.from(bytes).toString('base64url');
  const validUntil = now.getTime() + ttlSeconds * 1000;
  return {
    code,
    record: {
      codeHash: hashCode(code),
      memberId,
      clientId,
      redirectUri,
      validUntil,
      expiresAt: Math.ceil(validUntil / 1000),
    },
  };
};

/** The URL the browser is sent to. Only the opaque, single-use code travels in it: never a JWT. */
export const handoffRedirectUrl = (redirectUri: string, code: string, state?: string): string => {
  const url = new URL(redirectUri);
  url.searchParams.set('code', code);
  if (state !== undefined) url.searchParams.set('state', state);
  return url.toString();
};

export type HandoffRefusal =
  | 'unknown_code'
  | 'already_used'
  | 'expired'
  | 'client_mismatch'
  | 'redirect_mismatch'
  | 'member_mismatch';

const refusalMessages: Record<HandoffRefusal, string> = {
  unknown_code: 'The hand-off code is not valid',
  already_used: 'The hand-off code has already been redeemed',
  expired: 'The hand-off code has expired',
  client_mismatch: 'The hand-off code was not issued to this client',
  redirect_mismatch: 'The redirect URI does not match the one the code was issued for',
  member_mismatch: 'The hand-off code was issued for another member',
};

/**
 * OAuth's `invalid_grant` (RFC 6749 5.2): a 400 whose `details.reason` tells the partner's server why.
 * The partner is authenticated before this point, so the reason leaks nothing to a stranger.
 */
export class InvalidHandoffCodeError extends BadRequestError {
  constructor(readonly reason: HandoffRefusal) {
    super(refusalMessages[reason], { error: 'invalid_grant', reason });
  }
}

export type RedeemCheck =
  | { ok: true; record: HandoffCodeRecord }
  | { ok: false; error: InvalidHandoffCodeError };

export interface RedeemRequest {
  clientId: string;
  /** When the partner repeats the redirect URI (RFC 6749 4.1.3), it must match exactly. */
  redirectUri?: string;
  /** When the partner names the member it started the sign-in for, the code must be that member's. */
  memberId?: string;
  now: Date;
}

/**
 * Decide whether a looked-up record may be redeemed now by this client.
 *
 * This is a read-side check only. Single use is enforced by the adapter, which must consume the code with
 * one conditional UpdateItem (see `consumeHandoffCodeUpdate` in the hand-off store): SET usedAt = :now, condition
 * `attribute_exists(codeHash) AND attribute_not_exists(usedAt) AND validUntil > :now AND clientId = :clientId`.
 * Two concurrent redemptions then race on that write and exactly one wins; the loser gets
 * `ConditionalCheckFailedException`, which the adapter maps to `already_used` (or re-reads the item and runs
 * this function again for the precise reason). Expiry is checked here and in the condition because DynamoDB
 * TTL deletes items days late.
 */
export const checkRedeemable = (
  record: HandoffCodeRecord | undefined,
  { clientId, redirectUri, memberId, now }: RedeemRequest,
): RedeemCheck => {
  const refuse = (reason: HandoffRefusal): RedeemCheck => ({
    ok: false,
    error: new InvalidHandoffCodeError(reason),
  });
  if (record === undefined) return refuse('unknown_code');
  // The binding is checked before use/expiry so another client cannot even learn a code's state.
  if (record.clientId !== clientId) return refuse('client_mismatch');
  if (redirectUri !== undefined && record.redirectUri !== redirectUri) return refuse('redirect_mismatch');
  if (memberId !== undefined && record.memberId !== memberId) return refuse('member_mismatch');
  if (record.usedAt !== undefined) return refuse('already_used');
  if (now.getTime() >= record.validUntil) return refuse('expired');
  return { ok: true, record };
};
