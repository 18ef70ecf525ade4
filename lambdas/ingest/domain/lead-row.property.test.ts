import { domainToASCII } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from '../../shared/zod';
import { mapHeader } from './header-mapping';
import { createRowValidator, normaliseEmail } from './lead-row';

/**
 * The email rules written as a zod schema, the way they read best: the row validator's plain check must
 * decide every address the same way, with the same message and the same normalised value.
 */
const NON_ASCII = /[\u0080-\uffff]/;
const asciiDomain = (email: string) => {
  const at = email.lastIndexOf('@');
  if (at === -1 || !NON_ASCII.test(email.slice(at + 1))) return email;
  const ascii = domainToASCII(email.slice(at + 1));
  return ascii === '' ? email : `${email.slice(0, at + 1)}${ascii}`;
};
const specification = (maxLength: number) =>
  z.string().check(
    z.overwrite(normaliseEmail),
    z.minLength(1, { error: 'is missing', abort: true }),
    z.refine((email) => !NON_ASCII.test(email.slice(0, Math.max(0, email.lastIndexOf('@')))), {
      error: 'has non-ASCII characters before the @; the email verifier only checks ASCII mailbox names',
      abort: true,
    }),
    z.overwrite(asciiDomain),
    z.refine((email) => !NON_ASCII.test(email), {
      error: 'has a domain that is not a valid internationalised domain name',
      abort: true,
    }),
    z.refine((email) => !email.slice(email.lastIndexOf('.') + 1).startsWith('xn--'), {
      error: 'has an internationalised top-level domain; only ASCII top-level domains are accepted',
      abort: true,
    }),
    z.maxLength(maxLength, { error: `is longer than ${maxLength} characters`, abort: true }),
    z.email({ error: 'is not a valid email address', abort: true }),
    z.refine((email) => email.indexOf('@') <= 64, { error: 'has more than 64 characters before the @' }),
  );

const pieces = fc.constantFrom(
  'a',
  'Z',
  '0',
  '.',
  '..',
  '@',
  '+',
  '-',
  '_',
  "'",
  ' ',
  '\t',
  'é',
  'e\u0301',
  'ü',
  'bücher',
  '日本',
  '\u212a', // KELVIN SIGN: NFC turns it into an ASCII K
  '\u037e', // GREEK QUESTION MARK: NFC turns it into an ASCII ;
  'xn--',
  'example',
  'com',
  'gmail',
  '\u00a0',
  '!',
  '#',
  'x'.repeat(60),
);
const addresses = fc.oneof(
  fc.array(pieces, { maxLength: 12 }).map((parts) => parts.join('')),
  fc
    .tuple(
      fc.array(pieces, { maxLength: 6 }),
      fc.array(pieces, { maxLength: 6 }),
      fc.constantFrom('com', 'de', 'xn--p1ai', 'c', 'co1'),
    )
    .map(([local, domain, tld]) => `${local.join('')}@${domain.join('')}.${tld}`),
);

describe('the email check', () => {
  it('decides every address as its zod specification does: same verdict, message and normalised value', () => {
    const maxLength = 80;
    const mapped = mapHeader(['Email']);
    if (!mapped.ok) throw new Error(mapped.reason);
    const validator = createRowValidator(mapped.mapping, {
      maxEmailLength: maxLength,
      maxFieldLength: 256,
      maxExtraLength: 1024,
      maxRowChars: 8192,
    });
    const schema = specification(maxLength);
    fc.assert(
      fc.property(addresses, (address) => {
        const expected = schema.safeParse(address);
        const verdict = validator.validate([address]);
        if (expected.success) expect(verdict).toMatchObject({ ok: true, email: expected.data });
        else expect(verdict).toEqual({ ok: false, reason: `"Email" ${expected.error.issues[0]?.message}` });
      }),
      { numRuns: 5000 },
    );
  });
});
