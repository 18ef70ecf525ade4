import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunksOf } from '../../../fixtures/ingest';
import { CsvFileError, type CsvReadOptions, type CsvRow, openCsv } from './csv-reader';

const LIMITS: CsvReadOptions = { maxRecordChars: 64 * 1024, maxRows: 1_000_000, maxColumns: 100 };

interface ReadResult {
  header: string[];
  encoding: string;
  delimiter: string;
  rows: CsvRow[];
  stop?: CsvFileError;
}

async function read(
  content: string | Uint8Array,
  options: Partial<CsvReadOptions> & { chunkBytes?: number } = {},
): Promise<ReadResult> {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const file = await openCsv(chunksOf(bytes, options.chunkBytes ?? 64 * 1024), { ...LIMITS, ...options });
  const rows: CsvRow[] = [];
  try {
    for await (const batch of file.batches) rows.push(...batch);
  } catch (error) {
    if (!(error instanceof CsvFileError)) throw error;
    return { ...file, rows, stop: error };
  }
  return { ...file, rows };
}

async function refusal(
  content: string | Uint8Array,
  options: Partial<CsvReadOptions> = {},
): Promise<CsvFileError> {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const error = await openCsv(chunksOf(bytes, 64 * 1024), { ...LIMITS, ...options }).then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof CsvFileError)) throw new Error(`expected a CsvFileError, got ${String(error)}`);
  return error;
}

const valuesOf = (result: ReadResult) => result.rows.map((row) => row.values);

describe('openCsv: layout', () => {
  it('strips a UTF-8 byte order mark from the first header name', async () => {
    const result = await read('\uFEFFemail,name\na@b.com,Ann\n');

    expect(result.header).toEqual(['email', 'name']);
  });

  it.each([
    [',', 'email,name\na@b.com,Ann\n'],
    [';', 'email;name\na@b.com;Ann\n'],
    ['\t', 'email\tname\na@b.com\tAnn\n'],
  ])('reads %j-delimited files', async (delimiter, text) => {
    const result = await read(text);

    expect(result.delimiter).toBe(delimiter);
    expect(valuesOf(result)).toEqual([['a@b.com', 'Ann']]);
  });

  it('keeps empty fields of a tab-delimited file', async () => {
    const result = await read('email\tname\tphone\na@b.com\t\t123\n');

    expect(valuesOf(result)).toEqual([['a@b.com', '', '123']]);
  });

  it('reads quoted fields holding delimiters, newlines and escaped quotes', async () => {
    const result = await read('email,company\na@b.com,"Acme, Inc\nSecond floor ""West"""\n');

    expect(valuesOf(result)).toEqual([['a@b.com', 'Acme, Inc\nSecond floor "West"']]);
  });

  it('reads CRLF, LF and CR line endings mixed in one file', async () => {
    const result = await read('email,name\r\na@b.com,"Ann\r\nLee"\r\nc@d.com,Bo\nd@e.com,Cy\re@f.com,Di');

    expect(valuesOf(result)).toEqual([
      ['a@b.com', 'Ann\r\nLee'],
      ['c@d.com', 'Bo'],
      ['d@e.com', 'Cy'],
      ['e@f.com', 'Di'],
    ]);
  });

  it('skips blank lines and all-empty rows without numbering them', async () => {
    const result = await read('\nemail,name\n\na@b.com,Ann\n\r\n,\n  ,  \nc@d.com,Bo\n\n');

    expect(result.rows.map((row) => [row.rowNumber, row.values[0]])).toEqual([
      [1, 'a@b.com'],
      [2, 'c@d.com'],
    ]);
  });

  it('trims spaces around fields, quoted ones included', async () => {
    const result = await read('email , name ,company\n  a@b.com ,  Ann  ,  "Acme, Inc"  \n');

    expect(result.header).toEqual(['email', 'name', 'company']);
    expect(valuesOf(result)).toEqual([['a@b.com', 'Ann', 'Acme, Inc']]);
  });

  it('keeps text after a closing quote as written instead of stopping the file', async () => {
    const result = await read('email,name\na@b.com,"Ann" Lee\nc@d.com,Bo\n');

    expect(result.stop).toBeUndefined();
    expect(valuesOf(result)).toEqual([
      ['a@b.com', '"Ann" Lee'],
      ['c@d.com', 'Bo'],
    ]);
  });

  it('gives the same rows whatever the chunk boundaries', async () => {
    const text = '\uFEFFemail;name\r\n"a@b.com";"Ann\r\n;Lee"\r\n\r\nc@d.com;Bo\rd@e.com ; " Cy "\n';
    const whole = await read(text);

    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 40 }), async (chunkBytes) => {
        const chunked = await read(text, { chunkBytes, sampleBytes: 8 });
        expect(chunked.header).toEqual(whole.header);
        expect(chunked.rows).toEqual(whole.rows);
      }),
    );
  });
});

describe('openCsv: encodings', () => {
  it('refuses a UTF-16 file as a whole', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('email\na@b.com\n', 'utf16le')]);

    const error = await refusal(utf16);

    expect(error.reason).toContain('UTF-16');
    expect(error.rowNumber).toBeUndefined();
  });

  it('refuses UTF-16 without a byte order mark and a binary file', async () => {
    expect((await refusal(Buffer.from('email\na@b.com\n', 'utf16le'))).reason).toContain('NUL bytes');
    const binary = Buffer.from(
      Array.from({ length: 4096 }, (_, index) => (index % 7 === 0 ? 0 : index % 256)),
    );
    expect((await refusal(binary)).reason).toContain('binary');
  });

  it('rejects a NUL in the first row as that row only', async () => {
    const result = await read('email\na@b.com\u0000\nc@d.com\n');

    expect(result.rows.map((row) => row.problem)).toEqual(['"email" contains a NUL character', undefined]);
  });

  it('rejects only the row of an isolated NUL, wherever it sits and however the file is chunked', async () => {
    const emails = Array.from({ length: 40 }, (_, index) => `user${index}@example.com`);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: emails.length - 1 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 16, max: 2048 }),
        async (nulRow, chunkBytes, sampleBytes) => {
          const rows = emails.map((email, index) => (index === nulRow ? `x\u0000${email}` : email));
          const result = await read(`email\n${rows.join('\n')}\n`, { chunkBytes, sampleBytes });

          expect(result.stop).toBeUndefined();
          expect(result.rows).toHaveLength(emails.length);
          expect(result.rows.filter((row) => row.problem !== undefined).map((row) => row.rowNumber)).toEqual([
            nulRow + 1,
          ]);
        },
      ),
    );
  });

  it('rejects a later row holding a NUL, and only that row', async () => {
    const rows = Array.from({ length: 50 }, (_, index) => `user${index}@example.com`);
    rows[40] = 'bad\u0000@example.com';

    const result = await read(`email\n${rows.join('\n')}\n`, { sampleBytes: 64, chunkBytes: 64 });

    expect(result.rows.filter((row) => row.problem !== undefined)).toEqual([
      { rowNumber: 41, values: ['bad\u0000@example.com'], problem: '"email" contains a NUL character' },
    ]);
  });

  it('rejects a row with bytes that are not UTF-8, keeping the rows around it', async () => {
    const file = Buffer.concat([
      Buffer.from('email,name\na@b.com,José\nc@d.com,Jos'),
      Buffer.from([0xe9]),
      Buffer.from('\ne@f.com,Eve\n'),
    ]);

    const result = await read(file);

    expect(result.encoding).toBe('utf-8');
    expect(result.rows.map((row) => row.problem)).toEqual([
      undefined,
      '"name" is not valid UTF-8',
      undefined,
    ]);
  });

  it.each([
    ['an invalid byte', Buffer.from([0xff]), '"name" is not valid UTF-8'],
    ['a NUL', Buffer.from([0x00]), '"name" contains a NUL character'],
    ['an encoded U+FFFD', Buffer.from([0xef, 0xbf, 0xbd]), '"name" is not valid UTF-8'],
  ])('finds %s in exactly its row, wherever the chunks cut the file', async (_name, bad, problem) => {
    // The sample holds a multi-byte character, so the file stays UTF-8; the bad bytes come far later.
    const rows = Array.from({ length: 300 }, (_, index) =>
      Buffer.from(`u${index}@example.com,Renée ${index}\n`),
    );
    rows[250] = Buffer.concat([Buffer.from('bad@example.com,Re'), bad, Buffer.from('nee\n')]);
    const file = Buffer.concat([Buffer.from('email,name\n'), ...rows]);

    for (const chunkBytes of [1, 7, 64, 333, 4096]) {
      const result = await read(file, { sampleBytes: 128, chunkBytes });
      expect(result.encoding).toBe('utf-8');
      expect(
        result.rows.filter((row) => row.problem !== undefined).map((row) => [row.rowNumber, row.problem]),
      ).toEqual([[251, problem]]);
    }
  });

  it('transcodes a Windows-1252 file', async () => {
    const file = Buffer.concat([
      Buffer.from('email;name;note\na@b.com;Jos'),
      Buffer.from([0xe9]),
      Buffer.from(';'),
      Buffer.from([0x80]),
      Buffer.from('5\n'),
    ]);

    const result = await read(file);

    expect(result.encoding).toBe('windows-1252');
    expect(valuesOf(result)).toEqual([['a@b.com', 'José', '€5']]);
  });
});

describe('openCsv: limits and broken files', () => {
  it('rejects a 10 MB single line as its row and reads on, never holding the line', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'x'.charCodeAt(0));
    async function* tenMegabyteLine() {
      yield Buffer.from('email,name\na@b.com,Ann\nc@d.com,');
      for (let sent = 0; sent < 10 * 1024 * 1024; sent += chunk.length) yield chunk;
      yield Buffer.from('\ne@f.com,Eve\n');
    }

    const file = await openCsv(tenMegabyteLine(), { ...LIMITS, maxRecordChars: 100_000 });
    const rows: CsvRow[] = [];
    for await (const batch of file.batches) rows.push(...batch);

    expect(rows).toEqual([
      { rowNumber: 1, values: ['a@b.com', 'Ann'], problem: undefined },
      { rowNumber: 2, values: [], problem: 'the row is longer than 100000 characters' },
      { rowNumber: 3, values: ['e@f.com', 'Eve'], problem: undefined },
    ]);
  });

  it('reads on after an over-long quoted field that does close', async () => {
    const result = await read(`email,note\na@b.com,"${'q,'.repeat(40)}"\nc@d.com,ok\n`, {
      maxRecordChars: 50,
    });

    expect(result.stop).toBeUndefined();
    expect(result.rows.map((row) => [row.rowNumber, row.problem])).toEqual([
      [1, 'the row is longer than 50 characters'],
      [2, undefined],
    ]);
  });

  it('stops at a quote that is never closed, naming the row', async () => {
    const result = await read('email,name\na@b.com,Ann\nc@d.com,"Bo\ne@f.com,Eve\n');

    expect(result.rows).toHaveLength(1);
    expect(result.stop?.rowNumber).toBe(2);
    expect(result.stop?.reason).toBe(
      'Row 2 opens a quote that is never closed, so the rest of the file is inside it; reading stopped there',
    );
  });

  it('flags rows with too many or too few fields, one by one', async () => {
    const result = await read('email,name\na@b.com,Ann,extra\nc@d.com\ne@f.com,Eve\n');

    expect(result.rows.map((row) => row.problem)).toEqual([
      'the row has 3 fields; the header has 2',
      'the row has 1 fields; the header has 2',
      undefined,
    ]);
  });

  it('stops at the first row past the row cap, after returning the rows before it', async () => {
    const result = await read('email\na@b.com\nc@d.com\ne@f.com\ng@h.com\n', { maxRows: 2 });

    expect(result.rows.map((row) => row.rowNumber)).toEqual([1, 2]);
    expect(result.stop?.rowNumber).toBe(3);
    expect(result.stop?.reason).toContain('more than 2 rows');
  });

  it('refuses a header with too many columns', async () => {
    const error = await refusal(`${Array.from({ length: 5 }, (_, index) => `c${index}`).join(',')}\n`, {
      maxColumns: 4,
    });

    expect(error.reason).toBe('The header has 5 columns; at most 4 are allowed');
  });

  it('refuses an empty file and a file of blank lines', async () => {
    expect((await refusal('')).reason).toBe('The file is empty');
    expect((await refusal('\n\r\n\n')).reason).toBe('The file has no header line');
  });

  it('reads a header-only file as zero rows', async () => {
    const result = await read('email,name\n');

    expect(result.rows).toEqual([]);
    expect(result.stop).toBeUndefined();
  });
});

describe('openCsv: resuming', () => {
  it('skips the rows already done and keeps numbering them as before', async () => {
    const text = 'email\na@b.com\n\n"c@d.com"\n,\ne@f.com\ng@h.com\n';

    const result = await read(text, { skipRows: 2 });

    expect(result.rows.map((row) => [row.rowNumber, row.values[0]])).toEqual([
      [3, 'e@f.com'],
      [4, 'g@h.com'],
    ]);
  });

  it('releases the source when closed before any row is read', async () => {
    let returned = false;
    let chunksRead = 0;
    const chunks = chunksOf(Buffer.from(`email\n${'a@b.com\n'.repeat(100)}`), 4);
    const inner = {
      next: () => {
        chunksRead += 1;
        return chunks.next();
      },
    };
    const source: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]: () => ({
        next: () => inner.next(),
        return: async () => {
          returned = true;
          return { done: true, value: undefined };
        },
      }),
    };

    const file = await openCsv(source, { ...LIMITS, sampleBytes: 4 });
    await file.close();

    expect(returned).toBe(true);
    expect(chunksRead).toBeLessThan(10);
  });

  it('stops reading the source when the consumer stops early', async () => {
    let returned = false;
    const source: AsyncIterable<Uint8Array> = {
      [Symbol.asyncIterator]() {
        const inner = chunksOf(Buffer.from('email\na@b.com\nc@d.com\n'), 8);
        return {
          next: () => inner.next(),
          return: async () => {
            returned = true;
            return { done: true, value: undefined };
          },
        };
      },
    };

    const file = await openCsv(source, { ...LIMITS, sampleBytes: 8 });
    for await (const _batch of file.batches) break;

    expect(returned).toBe(true);
  });
});
