import { describe, expect, it } from 'vitest';
import { eraseFromCsv } from './erasure';
import { isSuppressed, parseDomain, parseSuppressionId, suppressionId } from './suppression';

describe('the suppression list', () => {
  const list = { emailHashes: new Set(['hash-of-ann']), domains: new Set(['blocked.example']) };

  it('matches a listed hash, a listed domain and its subdomains, and nothing else', () => {
    expect(isSuppressed(list, 'ann@example.com', 'hash-of-ann')).toBe(true);
    expect(isSuppressed(list, 'bob@blocked.example', 'x')).toBe(true);
    expect(isSuppressed(list, 'bob@eu.sales.blocked.example', 'x')).toBe(true);
    expect(isSuppressed(list, 'bob@notblocked.example', 'x')).toBe(false);
    expect(isSuppressed(list, 'bob@blocked.example.com', 'x')).toBe(false);
  });

  it('keeps a domain normalised, punycoded, and refuses a top-level domain or a malformed one', () => {
    expect(parseDomain(' @Sales.Example. ')).toEqual({ ok: true, domain: 'sales.example' });
    expect(parseDomain('bücher.example')).toEqual({ ok: true, domain: 'xn--bcher-kva.example' });
    expect(parseDomain('com')).toMatchObject({ ok: false, reason: expect.stringContaining('top-level') });
    expect(parseDomain('no spaces.example')).toMatchObject({ ok: false });
    expect(parseDomain('-dash.example')).toMatchObject({ ok: false });
  });

  it('addresses entries by kind and key', () => {
    expect(parseSuppressionId(suppressionId('domain', 'a.example'))).toEqual({
      kind: 'domain',
      key: 'a.example',
    });
    expect(parseSuppressionId('phone:1')).toBeUndefined();
  });
});

describe('erasing a person from a CSV', () => {
  const isAnn = (email: string) => email === 'ann@example.com';

  it('keeps the leading cells of each record holding the address, in any spelling, and nothing else of it', () => {
    const text =
      '\uFEFFrow,status,reason,email,name\r\n1,accepted,,ANN@example.com,Ann\r\n2,accepted,,bob@example.com,Bob\r\n3,duplicate_in_file,same email as row 1,\'ann@example.com,"Ann, again"\r\n';

    const erased = eraseFromCsv(text, isAnn, 3);

    expect(erased?.records).toBe(2);
    expect(erased?.text).toBe(
      '\uFEFFrow,status,reason,email,name\r\n1,accepted,,,\r\n2,accepted,,bob@example.com,Bob\r\n3,duplicate_in_file,same email as row 1,,\r\n',
    );
  });

  it('leaves a file without the address untouched', () => {
    expect(eraseFromCsv('email\r\nbob@example.com\r\n', isAnn, 0)).toBeUndefined();
  });
});
