import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkRedeemable,
  HANDOFF_CODE_BYTES,
  type HandoffCodeRecord,
  handoffCodeSchema,
  handoffRedirectUrl,
  hashCode,
  InvalidHandoffCodeError,
  issueHandoffCode,
} from './handoff-code';

const issuedAt = new Date('2025-03-10T12:00:00.000Z');
const binding = {
  memberId: 'member-42',
  clientId: 'automailer',
  redirectUri: 'https://automailer.example/sso/callback',
};
const later = (ms: number) => new Date(issuedAt.getTime() + ms);

const refusalOf = (result: ReturnType<typeof checkRedeemable>) =>
  result.ok ? undefined : result.error.reason;

describe('issueHandoffCode', () => {
  it('makes a 43-character base64url code carrying 256 random bits', () => {
    // Act
    const { code } = issueHandoffCode({ ...binding, now: issuedAt });

    // Assert
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(code, 'base64url')).toHaveLength(32);
    expect(handoffCodeSchema.safeParse(code).success).toBe(true);
  });

  it('draws every bit of the code from the random source', () => {
    // Arrange: a recognisable byte pattern proves the code is an encoding of the random bytes, nothing else.
    const bytes = Uint8Array.from({ length: HANDOFF_CODE_BYTES }, (_, index) => index * 7);

    // Act
    const { code } = issueHandoffCode({ ...binding, now: issuedAt, randomBytes: () => bytes });

    // Assert
    expect(Buffer.from(code, 'base64url')).toEqual(Buffer.from(bytes));
  });

  it('never repeats a code across many issues', () => {
    const codes = new Set(
      Array.from({ length: 2000 }, () => issueHandoffCode({ ...binding, now: issuedAt }).code),
    );

    expect(codes.size).toBe(2000);
  });

  it('refuses a random source that gives fewer than 32 bytes', () => {
    expect(() =>
      issueHandoffCode({ ...binding, now: issuedAt, randomBytes: () => new Uint8Array(16) }),
    ).toThrow(RangeError);
  });

  it('refuses a lifetime longer than 60 seconds', () => {
    expect(() => issueHandoffCode({ ...binding, now: issuedAt, ttlSeconds: 61 })).toThrow(RangeError);
  });

  it('stores only the SHA-256 of the code, with the member and client binding', () => {
    // Act
    const { code, record } = issueHandoffCode({ ...binding, now: issuedAt });

    // Assert: nothing in the stored record reveals the code.
    expect(JSON.stringify(record)).not.toContain(code);
    expect(record).toEqual({
      codeHash: createHash('sha256').update(code).digest('hex'),
      ...binding,
      validUntil: issuedAt.getTime() + 60_000,
      expiresAt: Math.ceil((issuedAt.getTime() + 60_000) / 1000),
    });
  });
});

describe('hashCode', () => {
  it('gives the same hash for the same code and different hashes for different codes', () => {
    const [first, second] = [
      issueHandoffCode({ ...binding, now: issuedAt }),
      issueHandoffCode({ ...binding, now: issuedAt }),
    ];

    expect(hashCode(first.code)).toBe(first.record.codeHash);
    expect(hashCode(second.code)).not.toBe(first.record.codeHash);
    expect(first.record.codeHash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('handoffCodeSchema', () => {
  it.each(['', 'short', 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiIxIn0.sig', `${'A'.repeat(43)}=`, 'A'.repeat(44)])(
    'refuses %j before any lookup',
    (candidate) => {
      expect(handoffCodeSchema.safeParse(candidate).success).toBe(false);
    },
  );
});

describe('checkRedeemable', () => {
  const issue = () => issueHandoffCode({ ...binding, now: issuedAt }).record;

  it('accepts the bound client and redirect URI within 60 seconds', () => {
    const record = issue();

    const result = checkRedeemable(record, {
      clientId: 'automailer',
      redirectUri: binding.redirectUri,
      now: later(59_999),
    });

    expect(result).toEqual({ ok: true, record });
  });

  it('accepts a redemption that does not repeat the redirect URI', () => {
    expect(checkRedeemable(issue(), { clientId: 'automailer', now: later(1_000) }).ok).toBe(true);
  });

  it('refuses the code at exactly 60 seconds and after', () => {
    const record = issue();

    expect(refusalOf(checkRedeemable(record, { clientId: 'automailer', now: later(60_000) }))).toBe(
      'expired',
    );
    expect(refusalOf(checkRedeemable(record, { clientId: 'automailer', now: later(3_600_000) }))).toBe(
      'expired',
    );
  });

  it('refuses a code issued to another client', () => {
    const result = checkRedeemable(issue(), { clientId: 'other-partner', now: later(1_000) });

    expect(refusalOf(result)).toBe('client_mismatch');
  });

  it('refuses a redirect URI other than the bound one', () => {
    const result = checkRedeemable(issue(), {
      clientId: 'automailer',
      redirectUri: 'https://automailer.example/sso/callback/evil',
      now: later(1_000),
    });

    expect(refusalOf(result)).toBe('redirect_mismatch');
  });

  it('refuses a code issued for another member than the one the partner names', () => {
    const result = checkRedeemable(issue(), {
      clientId: 'automailer',
      memberId: 'member-7',
      now: later(1_000),
    });

    expect(refusalOf(result)).toBe('member_mismatch');
  });

  it('accepts the code when the partner names its member', () => {
    const result = checkRedeemable(issue(), {
      clientId: 'automailer',
      memberId: binding.memberId,
      now: later(1_000),
    });

    expect(result.ok).toBe(true);
  });

  it('refuses a code that was already redeemed', () => {
    const used: HandoffCodeRecord = { ...issue(), usedAt: later(500).getTime() };

    expect(refusalOf(checkRedeemable(used, { clientId: 'automailer', now: later(1_000) }))).toBe(
      'already_used',
    );
  });

  it('refuses a code it has no record of', () => {
    expect(refusalOf(checkRedeemable(undefined, { clientId: 'automailer', now: later(1_000) }))).toBe(
      'unknown_code',
    );
  });

  it('reports refusals as a 400 invalid_grant with the reason', () => {
    const result = checkRedeemable(issue(), { clientId: 'automailer', now: later(61_000) });

    expect(result.ok).toBe(false);
    const error = result.ok ? undefined : result.error;
    expect(error).toBeInstanceOf(InvalidHandoffCodeError);
    expect(error?.statusCode).toBe(400);
    expect(error?.details).toEqual({ error: 'invalid_grant', reason: 'expired' });
  });
});

describe('handoffRedirectUrl', () => {
  it('carries only the opaque code (and state) on the registered redirect URI', () => {
    const { code } = issueHandoffCode({ ...binding, now: issuedAt });

    const url = new URL(handoffRedirectUrl('https://automailer.example/sso/callback?lang=en', code, 'xyz'));

    expect(url.origin + url.pathname).toBe('https://automailer.example/sso/callback');
    expect([...url.searchParams.entries()]).toEqual([
      ['lang', 'en'],
      ['code', code],
      ['state', 'xyz'],
    ]);
  });
});
