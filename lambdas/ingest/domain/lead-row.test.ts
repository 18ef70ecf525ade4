import { describe, expect, it } from 'vitest';
import { mapHeader } from './header-mapping';
import { createRowValidator, DEFAULT_LEAD_LIMITS, dedupeKey, normaliseEmail } from './lead-row';

function validatorFor(header: string[], limits = DEFAULT_LEAD_LIMITS) {
  const result = mapHeader(header);
  if (!result.ok) throw new Error(result.reason);
  return createRowValidator(result.mapping, limits);
}

describe('normaliseEmail', () => {
  it('trims and lower-cases', () => {
    expect(normaliseEmail('  Ann.Lee@Example.COM \t')).toBe('ann.lee@example.com');
  });

  it('composes to Unicode NFC, so both spellings of é give one address', () => {
    const decomposed = 'Jose\u0301@example.com';
    const composed = 'jos\u00e9@example.com';

    expect(normaliseEmail(decomposed)).toBe(composed);
    expect(normaliseEmail(composed.toUpperCase())).toBe(composed);
  });
});

describe('dedupeKey', () => {
  const folding = { foldGmailAliases: true };

  it('leaves the normalised email alone when folding is off', () => {
    expect(dedupeKey('a.n.n+news@gmail.com', { foldGmailAliases: false })).toBe('a.n.n+news@gmail.com');
  });

  it('folds Gmail dots, +tags and googlemail.com when folding is on', () => {
    expect(dedupeKey('a.n.n+news@gmail.com', folding)).toBe('ann@gmail.com');
    expect(dedupeKey('ann@googlemail.com', folding)).toBe('ann@gmail.com');
  });

  it('does not fold other providers', () => {
    expect(dedupeKey('a.n.n+news@example.com', folding)).toBe('a.n.n+news@example.com');
  });
});

describe('createRowValidator', () => {
  const header = ['Email', 'First Name', 'Company', 'Lead Source'];

  it('accepts a good row and returns its normalised email', () => {
    const verdict = validatorFor(header).validate([' Ann@Example.com ', 'Ann', 'Acme', 'fair']);

    expect(verdict).toEqual({
      ok: true,
      email: 'ann@example.com',
      output: ['ann@example.com', 'Ann', 'Acme', 'fair'],
    });
  });

  it('accepts an internationalised domain in its punycode form, the one the verifier takes', () => {
    const verdict = validatorFor(header).validate(['User@Bücher.example', 'Ann', 'Acme', '']);

    expect(verdict).toMatchObject({ ok: true, email: 'user@xn--bcher-kva.example' });
  });

  it('rejects a non-ASCII mailbox name, saying the verifier cannot check it', () => {
    expect(validatorFor(header).validate(['jürgen@example.com', '', '', ''])).toEqual({
      ok: false,
      reason:
        '"Email" has non-ASCII characters before the @; the email verifier only checks ASCII mailbox names',
    });
  });

  it('rejects an internationalised top-level domain, saying so', () => {
    expect(validatorFor(header).validate(['ann@пример.рф', '', '', ''])).toEqual({
      ok: false,
      reason: '"Email" has an internationalised top-level domain; only ASCII top-level domains are accepted',
    });
  });

  it('rejects a domain with no punycode form, saying so', () => {
    expect(validatorFor(header).validate(['ann@bü\u0000cher.example', '', '', ''])).toEqual({
      ok: false,
      reason: '"Email" has a domain that is not a valid internationalised domain name',
    });
  });

  it('builds the lead from canonical fields and extras, leaving empty ones out', () => {
    const validator = validatorFor(header);
    const verdict = validator.validate(['ann@example.com', 'Ann', '', 'fair']);
    if (!verdict.ok) throw new Error(verdict.reason);

    expect(validator.toLead(verdict.output)).toEqual({
      email: 'ann@example.com',
      fields: { firstName: 'Ann' },
      extras: { 'Lead Source': 'fair' },
    });
  });

  it('keeps a column named __proto__ as plain data', () => {
    const validator = validatorFor(['email', '__proto__']);
    const verdict = validator.validate(['ann@example.com', 'polluted']);
    if (!verdict.ok) throw new Error(verdict.reason);

    const lead = validator.toLead(verdict.output);

    expect(Object.keys(lead.extras)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(lead.extras)).toBe(Object.prototype);
  });

  it.each([
    ['a missing email', ['', 'Ann', 'Acme', ''], '"Email" is missing'],
    ['a malformed email', ['ann.example.com', 'Ann', 'Acme', ''], '"Email" is not a valid email address'],
    ['a double dot', ['ann..lee@example.com', 'Ann', 'Acme', ''], '"Email" is not a valid email address'],
    [
      'an over-long local part',
      [`${'a'.repeat(65)}@example.com`, '', '', ''],
      '"Email" has more than 64 characters before the @',
    ],
    ['an over-long email', [`a@${'b'.repeat(250)}.com`, '', '', ''], '"Email" is longer than 254 characters'],
    [
      'an over-long field',
      ['ann@example.com', 'A'.repeat(257), '', ''],
      '"First Name" is longer than 256 characters',
    ],
    [
      'an over-long extra',
      ['ann@example.com', '', '', 'x'.repeat(1025)],
      '"Lead Source" is longer than 1024 characters',
    ],
  ])('rejects %s with the column and the reason', (_name, values, reason) => {
    expect(validatorFor(header).validate(values)).toEqual({ ok: false, reason });
  });

  it('rejects a row over the row-size limit as a whole, not by a column', () => {
    const validator = validatorFor(header, { ...DEFAULT_LEAD_LIMITS, maxRowChars: 40 });

    const verdict = validator.validate(['ann@example.com', 'Ann', 'Acme', 'a long lead source text']);

    expect(verdict).toEqual({ ok: false, reason: 'the row is longer than 40 characters' });
  });
});
