import { describe, expect, it } from 'vitest';
import { scanUtf8, sniffEncoding, textProblem } from './encoding';

const bytes = (...values: number[]) => Uint8Array.from(values);
const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

describe('sniffEncoding', () => {
  it('accepts plain ASCII as UTF-8 without a BOM', () => {
    expect(sniffEncoding(utf8('email\na@b.com\n'), true)).toEqual({
      ok: true,
      encoding: 'utf-8',
      bomLength: 0,
    });
  });

  it('reports the length of a UTF-8 byte order mark', () => {
    expect(sniffEncoding(utf8('\uFEFFemail\n'), true)).toEqual({ ok: true, encoding: 'utf-8', bomLength: 3 });
  });

  it('keeps UTF-8 with accented letters as UTF-8', () => {
    expect(sniffEncoding(utf8('name\nJosé Müller\n'), true)).toMatchObject({ ok: true, encoding: 'utf-8' });
  });

  it.each([
    ['UTF-16 little endian', bytes(0xff, 0xfe, 0x65, 0x00), 'UTF-16'],
    ['UTF-16 big endian', bytes(0xfe, 0xff, 0x00, 0x65), 'UTF-16'],
    ['UTF-32 little endian', bytes(0xff, 0xfe, 0x00, 0x00, 0x65, 0x00, 0x00, 0x00), 'UTF-32'],
    ['UTF-32 big endian', bytes(0x00, 0x00, 0xfe, 0xff, 0x00, 0x00, 0x00, 0x65), 'UTF-32'],
  ])('refuses %s with a reason naming the encoding', (_name, sample, named) => {
    const verdict = sniffEncoding(sample, true);

    expect(verdict.ok).toBe(false);
    expect(verdict.ok === false && verdict.reason).toContain(named);
    expect(verdict.ok === false && verdict.reason).toContain('CSV UTF-8');
  });

  it('refuses NUL bytes (UTF-16 without a byte order mark looks like this)', () => {
    const sample = new Uint8Array(Buffer.from('email\n', 'utf16le'));

    const verdict = sniffEncoding(sample, true);

    expect(verdict).toMatchObject({ ok: false });
    expect(verdict.ok === false && verdict.reason).toContain('NUL');
  });

  it('takes bytes that only Windows-1252 explains as Windows-1252', () => {
    // "José;Café" as Excel on Windows saves it: é is the single byte 0xE9.
    const sample = bytes(...Buffer.from('name\nJos'), 0xe9, 0x3b, ...Buffer.from('Caf'), 0xe9, 0x0a);

    expect(sniffEncoding(sample, true)).toEqual({ ok: true, encoding: 'windows-1252', bomLength: 0 });
  });

  it('stays UTF-8 when the sample also holds real UTF-8 sequences (rows with bad bytes get rejected)', () => {
    const sample = bytes(...utf8('name\nJosé\nJos'), 0xe9, 0x0a);

    expect(sniffEncoding(sample, true)).toMatchObject({ ok: true, encoding: 'utf-8' });
  });

  it('stays UTF-8 when a byte undefined in Windows-1252 appears', () => {
    const sample = bytes(...utf8('name\nJos'), 0xe9, 0x81, 0x0a);

    expect(sniffEncoding(sample, true)).toMatchObject({ ok: true, encoding: 'utf-8' });
  });
});

describe('scanUtf8', () => {
  it('does not hold a sequence cut by the end of a partial sample against the file', () => {
    const cut = utf8('café').subarray(0, 4); // "caf" + the first byte of é

    expect(scanUtf8(cut, false)).toEqual({ invalidSequences: 0, multiByteSequences: 0 });
    expect(scanUtf8(cut, true)).toEqual({ invalidSequences: 1, multiByteSequences: 0 });
  });

  it.each([
    ['an overlong encoding', bytes(0xc0, 0x80)],
    ['a UTF-16 surrogate', bytes(0xed, 0xa0, 0x80)],
    ['a code point above U+10FFFF', bytes(0xf4, 0x90, 0x80, 0x80)],
    ['a lone continuation byte', bytes(0x80)],
  ])('counts %s as invalid', (_name, sample) => {
    expect(scanUtf8(sample, true).invalidSequences).toBeGreaterThan(0);
    expect(scanUtf8(sample, true).multiByteSequences).toBe(0);
  });

  it('counts two-, three- and four-byte sequences as valid', () => {
    expect(scanUtf8(utf8('é€😀'), true)).toEqual({ invalidSequences: 0, multiByteSequences: 3 });
  });
});

describe('textProblem', () => {
  it('finds the replacement character left by invalid UTF-8', () => {
    expect(textProblem(Buffer.from([0x4a, 0xe9, 0x21]).toString('utf8'), 'utf-8')).toBe('is not valid UTF-8');
  });

  it('finds a NUL character', () => {
    expect(textProblem('a\u0000b', 'utf-8')).toBe('contains a NUL character');
  });

  it('finds bytes Windows-1252 does not define', () => {
    expect(textProblem('Jos\u0081', 'windows-1252')).toBe('is not valid Windows-1252');
  });

  it('passes ordinary text', () => {
    expect(textProblem('José Müller, 東京', 'utf-8')).toBeUndefined();
  });
});
