import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { type CsvError, Parser } from 'csv-parse';
import { type CsvDelimiter, detectDelimiter } from './delimiter';
import { ENCODING_SAMPLE_BYTES, sniffEncoding, type TextEncodingName, textProblem } from './encoding';

/**
 * Streams a lead file as rows, never holding more than one source chunk of it.
 *
 * - Encoding and delimiter are decided from the first `sampleBytes` (see encoding.ts, delimiter.ts).
 * - Row numbers are 1-based and count data rows after the header. Blank lines and rows whose every field is
 *   empty are not data rows: they get no number and are not counted.
 * - Resume: `skipRows` re-reads the file from the start and drops the first N data rows as soon as they are
 *   told apart from blank ones, before any check. Re-parsing is exact under quoted newlines and costs only
 *   parse time; a byte offset would need the header, encoding state and S3 ranges to line up, for little gain.
 * - Per-row problems (wrong field count, text that did not decode, NUL) come back on the row as `problem`.
 * - File-level problems (encoding, empty, too many columns, row cap, a row over `maxRecordChars`, a quote
 *   never closed) throw `CsvFileError`; rows read before the stop are yielded first.
 * - Fields are trimmed; ltrim is csv-parse's (so ` "a, b"` still reads as a quoted field) and the right side
 *   is trimmed here, because csv-parse's rtrim makes `"a"b` a fatal error for the rest of the file, while
 *   relax_quotes keeps it as the literal text. A quoted field followed by spaces is unquoted here likewise.
 */

export interface CsvReadOptions {
  /** Hard cap on one record's characters (csv-parse max_record_size): memory guard; reading stops there. */
  maxRecordChars: number;
  /** Row cap: reading stops with a file-level error at the first data row past it. */
  maxRows: number;
  /** A header with more columns than this refuses the file. */
  maxColumns: number;
  /** Data rows already processed by an earlier invocation: parsed but not returned. */
  skipRows?: number;
  /** How many leading bytes decide encoding and delimiter. */
  sampleBytes?: number;
}

export interface CsvRow {
  rowNumber: number;
  /** Trimmed field values, as many as the line had. */
  values: string[];
  /** Why this row cannot be used as it is, if it cannot. */
  problem: string | undefined;
}

export interface CsvFile {
  header: string[];
  encoding: TextEncodingName;
  delimiter: CsvDelimiter;
  /** Data rows in file order, one batch per source chunk. Throws CsvFileError when reading must stop. */
  batches: AsyncGenerator<CsvRow[], void, undefined>;
  /** Releases the source when the rows will not be read (iterating to the end, or breaking, does it too). */
  close(): Promise<void>;
}

/** The file as a whole cannot be (further) read. `rowNumber` is the data row reading stopped at, if any. */
export class CsvFileError extends Error {
  constructor(
    readonly reason: string,
    readonly rowNumber?: number,
  ) {
    super(reason);
    this.name = 'CsvFileError';
  }
}

export async function openCsv(source: AsyncIterable<Uint8Array>, options: CsvReadOptions): Promise<CsvFile> {
  const chunks = source[Symbol.asyncIterator]();
  try {
    let { sample, ended } = await readSample(chunks, options.sampleBytes ?? ENCODING_SAMPLE_BYTES);
    if (sample.length === 0) throw new CsvFileError('The file is empty');
    const verdict = sniffEncoding(sample, ended);
    if (!verdict.ok) throw new CsvFileError(verdict.reason);
    let guess = detectDelimiter(sample, verdict.bomLength);
    // The delimiter is judged on the whole header line; csv-parse's record limit bounds how far we look.
    while (!guess.lineComplete && !ended && sample.length < options.maxRecordChars * 4) {
      const more = await readSample(chunks, sample.length);
      sample = Buffer.concat([sample, more.sample]);
      ended = more.ended;
      guess = detectDelimiter(sample, verdict.bomLength);
    }
    const { delimiter } = guess;
    const reader = new RowReader(verdict.encoding, delimiter, options);

    let sourceEnded = ended;
    // Once the header is known, a stop is the rows' business: it is raised after the rows before it.
    let stop: unknown;
    try {
      await reader.feed(sample);
      while (reader.header === undefined && !sourceEnded) {
        const next = await chunks.next();
        if (next.done) sourceEnded = true;
        else await reader.feed(next.value);
      }
      if (sourceEnded) await reader.finish();
    } catch (error) {
      if (reader.header === undefined) throw error;
      stop = error;
    }
    if (reader.header === undefined) throw new CsvFileError('The file has no header line');
    return {
      header: reader.header,
      encoding: verdict.encoding,
      delimiter,
      batches: readBatches(reader, chunks, sourceEnded, stop),
      close: async () => {
        await chunks.return?.();
      },
    };
  } catch (error) {
    await chunks.return?.();
    throw error;
  }
}

async function* readBatches(
  reader: RowReader,
  chunks: AsyncIterator<Uint8Array>,
  sourceEnded: boolean,
  stop: unknown,
): AsyncGenerator<CsvRow[], void, undefined> {
  try {
    const first = reader.take();
    if (first.length > 0) yield first;
    if (stop !== undefined) throw stop;
    let ended = sourceEnded;
    while (!ended) {
      const next = await chunks.next();
      ended = next.done === true;
      try {
        if (next.done) await reader.finish();
        else await reader.feed(next.value);
      } catch (error) {
        const beforeStop = reader.take();
        if (beforeStop.length > 0) yield beforeStop;
        throw error;
      }
      const rows = reader.take();
      if (rows.length > 0) yield rows;
    }
  } finally {
    await chunks.return?.();
  }
}

async function readSample(
  chunks: AsyncIterator<Uint8Array>,
  sampleBytes: number,
): Promise<{ sample: Buffer; ended: boolean }> {
  const parts: Uint8Array[] = [];
  let size = 0;
  while (size < sampleBytes) {
    const next = await chunks.next();
    if (next.done) return { sample: Buffer.concat(parts), ended: true };
    parts.push(next.value);
    size += next.value.length;
  }
  return { sample: Buffer.concat(parts), ended: false };
}

/** One csv-parse instance driven chunk by chunk; records are collected synchronously through on_record. */
class RowReader {
  header: string[] | undefined;
  private pending: CsvRow[] = [];
  private rowsSeen = 0;
  /**
   * Whether the next record may hold bytes of a chunk that was not clean (see isCleanUtf8): a record's
   * bytes lie in the chunks fed since the record before it ended, however many. Records known clean
   * skip the per-value pattern checks.
   */
  private carriesDirtyBytes = false;
  private chunkClean = false;
  private readonly parser: Parser;
  private readonly decoder: TextDecoder | undefined;
  private readonly skipRows: number;

  constructor(
    private readonly encoding: TextEncodingName,
    delimiter: CsvDelimiter,
    private readonly options: CsvReadOptions,
  ) {
    this.skipRows = options.skipRows ?? 0;
    this.decoder = encoding === 'windows-1252' ? new TextDecoder('windows-1252') : undefined;
    this.parser = new Parser({
      bom: true,
      delimiter,
      encoding: 'utf8',
      ltrim: true,
      max_record_size: options.maxRecordChars,
      // All three, in this order, so a file mixing line endings still splits on each of them.
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      on_record: (record: string[]) => {
        this.accept(record);
        return null;
      },
    });
    // Errors come back through write/end callbacks; this listener only keeps them from being "unhandled".
    this.parser.on('error', () => {});
    this.parser.resume();
  }

  take(): CsvRow[] {
    const rows = this.pending;
    this.pending = [];
    return rows;
  }

  feed(bytes: Uint8Array): Promise<void> {
    this.chunkClean = this.decoder === undefined && isCleanUtf8(bytes);
    if (!this.chunkClean) this.carriesDirtyBytes = true;
    const utf8 =
      this.decoder === undefined ? bytes : Buffer.from(this.decoder.decode(bytes, { stream: true }));
    return new Promise((resolve, reject) => {
      this.parser.write(utf8, (error) => (error ? reject(this.fileError(error)) : resolve()));
    });
  }

  finish(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.parser.end((error?: Error | null) => (error ? reject(this.fileError(error)) : resolve()));
    });
  }

  private accept(record: string[]): void {
    const clean = !this.carriesDirtyBytes;
    // What follows this record in the current chunk is as clean as the chunk.
    this.carriesDirtyBytes = !this.chunkClean;
    for (let index = 0; index < record.length; index++) record[index] = cleanValue(record[index] as string);
    if (this.header === undefined) {
      this.header = this.checkedHeader(record);
      return;
    }
    if (isBlank(record)) return;
    const rowNumber = ++this.rowsSeen;
    if (rowNumber <= this.skipRows) return;
    if (rowNumber > this.options.maxRows) {
      throw new CsvFileError(
        `The file has more than ${this.options.maxRows} rows; reading stopped at row ${rowNumber}`,
        rowNumber,
      );
    }
    this.pending.push({ rowNumber, values: record, problem: this.rowProblem(record, this.header, clean) });
  }

  private checkedHeader(record: string[]): string[] {
    if (record.length > this.options.maxColumns) {
      throw new CsvFileError(
        `The header has ${record.length} columns; at most ${this.options.maxColumns} are allowed`,
      );
    }
    for (const name of record) {
      const problem = textProblem(name, this.encoding);
      if (problem !== undefined) throw new CsvFileError(`The header line ${problem}`);
    }
    return record;
  }

  private rowProblem(values: string[], header: string[], clean: boolean): string | undefined {
    if (values.length !== header.length) {
      return `the row has ${values.length} fields; the header has ${header.length}`;
    }
    if (clean) return undefined;
    for (let index = 0; index < values.length; index++) {
      const problem = textProblem(values[index] as string, this.encoding);
      if (problem !== undefined) return `"${header[index]}" ${problem}`;
    }
    return undefined;
  }

  private fileError(error: Error): CsvFileError {
    if (error instanceof CsvFileError) return error;
    const code = (error as CsvError).code;
    const where = this.header === undefined ? 'The header line' : `Row ${this.rowsSeen + 1}`;
    const rowNumber = this.header === undefined ? undefined : this.rowsSeen + 1;
    if (code === 'CSV_MAX_RECORD_SIZE') {
      return new CsvFileError(
        `${where} is longer than ${this.options.maxRecordChars} characters (is a closing quote missing?); ` +
          'reading stopped there',
        rowNumber,
      );
    }
    if (code === 'CSV_QUOTE_NOT_CLOSED') {
      return new CsvFileError(
        `${where} opens a quote that is never closed; reading stopped there`,
        rowNumber,
      );
    }
    // The code only: csv-parse messages can quote field values, and reasons end up on the upload record.
    return new CsvFileError(
      `${where} could not be read as CSV (${code ?? 'unexpected parser error'})`,
      rowNumber,
    );
  }
}

const REPLACEMENT_CHARACTER = Buffer.from([0xef, 0xbf, 0xbd]);

/**
 * True when decoding these bytes as UTF-8 can yield neither NUL nor U+FFFD: no NUL byte, no encoded U+FFFD,
 * and valid UTF-8 throughout (a multi-byte sequence cut at the chunk's edge makes it false: the slow path).
 * Native checks over the whole chunk cost far less than a pattern test per value.
 */
function isCleanUtf8(bytes: Uint8Array): boolean {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buffer.indexOf(0) === -1 && buffer.indexOf(REPLACEMENT_CHARACTER) === -1 && isUtf8(buffer);
}

/**
 * Trims, and undoes the one quoting csv-parse leaves behind under relax_quotes: a quoted field followed by
 * spaces (`"Acme, Inc" ,`) comes back as `"Acme, Inc" ` (its inner escapes already resolved).
 */
function cleanValue(value: string): string {
  if (value.length === 0) return value;
  const trimmed = value.trim();
  if (
    trimmed.length >= 2 &&
    trimmed.length < value.length &&
    trimmed.charCodeAt(0) === 0x22 &&
    trimmed.charCodeAt(trimmed.length - 1) === 0x22 &&
    isSpace(value.charCodeAt(value.length - 1))
  ) {
    return trimmed.slice(1, -1).trim();
  }
  return trimmed;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

function isBlank(values: string[]): boolean {
  for (const value of values) if (value.length !== 0) return false;
  return true;
}
