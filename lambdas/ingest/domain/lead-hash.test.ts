import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLeadHasher, leadHash } from './lead-hash';

const PEPPER = 'a-secret-pepper-of-some-length';

describe('leadHash', () => {
  it('is HMAC-SHA256 of the key with the pepper, in hex, for any pepper and key', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 200 }),
        fc.array(fc.string({ unit: 'grapheme', maxLength: 500 }), { minLength: 1, maxLength: 5 }),
        (pepper, keys) => {
          const hasher = createLeadHasher(pepper);
          for (const key of keys) {
            expect(hasher(key)).toBe(createHmac('sha256', pepper).update(key, 'utf8').digest('hex'));
          }
        },
      ),
    );
  });

  it('takes the string path for ASCII peppers and still equals createHmac', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.integer({ min: 0, max: 0x7f }).map((code) => String.fromCharCode(code)),
          minLength: 16,
          maxLength: 64,
        }),
        fc.array(fc.string({ unit: 'grapheme', maxLength: 300 }), { minLength: 1, maxLength: 5 }),
        (pepper, keys) => {
          const hasher = createLeadHasher(pepper);
          for (const key of keys) {
            expect(hasher(key)).toBe(createHmac('sha256', pepper).update(key, 'utf8').digest('hex'));
          }
        },
      ),
    );
  });

  it('matches createHmac on both sides of the fast path limit and for a key longer than a block', () => {
    const longPepper = 'p'.repeat(100);
    for (const key of ['', 'a@b.com', 'é'.repeat(341), 'é'.repeat(342), 'x'.repeat(5000)]) {
      expect(leadHash(longPepper, key)).toBe(createHmac('sha256', longPepper).update(key).digest('hex'));
    }
  });

  it('is never the plain SHA-256 of the email', () => {
    const email = 'ann@example.com';

    expect(leadHash(PEPPER, email)).not.toBe(createHash('sha256').update(email).digest('hex'));
    expect(leadHash(PEPPER, email)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with the pepper', () => {
    expect(leadHash(PEPPER, 'ann@example.com')).not.toBe(leadHash(`${PEPPER}!`, 'ann@example.com'));
  });

  it('gives the same answer from a reused hasher as from a fresh one', () => {
    const hasher = createLeadHasher(Buffer.from(PEPPER));

    expect([hasher('a@b.com'), hasher('c@d.com'), hasher('a@b.com')]).toEqual([
      leadHash(PEPPER, 'a@b.com'),
      leadHash(PEPPER, 'c@d.com'),
      leadHash(PEPPER, 'a@b.com'),
    ]);
  });

  it('refuses a pepper too short to be a secret', () => {
    expect(() => createLeadHasher('short')).toThrow('at least 16 bytes');
  });
});
