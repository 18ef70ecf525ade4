import { describe, expect, it } from 'vitest';
import { detectDelimiter } from './delimiter';

const detect = (text: string, start = 0) =>
  detectDelimiter(new Uint8Array(Buffer.from(text, 'utf8')), start).delimiter;

describe('detectDelimiter', () => {
  it.each([
    ['comma', 'email,first name,phone\na@b.com,Ann,1\n', ','],
    ['semicolon', 'email;first name;phone\na@b.com;Ann;1\n', ';'],
    ['tab', 'email\tfirst name\tphone\na@b.com\tAnn\t1\n', '\t'],
  ])('finds the %s from the header line', (_name, text, expected) => {
    expect(detect(text)).toBe(expected);
  });

  it('ignores delimiters inside quoted header names', () => {
    expect(detect('"name; full";email;phone\n')).toBe(';');
    expect(detect('"a;b;c;d",email\n')).toBe(',');
  });

  it('looks at the header line only', () => {
    expect(detect('email,name\na;b;c;d;e;f\n')).toBe(',');
  });

  it('skips blank lines before the header', () => {
    expect(detect('\r\n\nemail;name\n')).toBe(';');
  });

  it('starts after a byte order mark when told where the header starts', () => {
    expect(detect('\uFEFFemail\tname\n', 3)).toBe('\t');
  });

  it('says whether the header line ended within the bytes it saw', () => {
    expect(detectDelimiter(Buffer.from('email;name\n'))).toEqual({ delimiter: ';', lineComplete: true });
    expect(detectDelimiter(Buffer.from('"a\nb";email'))).toEqual({ delimiter: ';', lineComplete: false });
  });

  it('prefers the comma on a tie and for a single column', () => {
    expect(detect('a,b;c\n')).toBe(',');
    expect(detect('email\na@b.com\n')).toBe(',');
  });
});
