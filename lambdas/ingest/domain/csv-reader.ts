import { TextDecoder } from 'node:util';
import { type CsvDelimiter, detectDelimiter } from './delimiter';
import { ENCODING_SAMPLE_BYTES, sniffEncoding, type TextEncodingName, textProblem } from './encoding';

/**
 * Streams a lead file as rows, never holding more than one source chunk of it.
 *
 * - Encoding (and whether the file is binary or UTF-16) is decided once from exactly the first `sampleBytes`,
 *   whatever the chunking (see encoding.ts); the delimiter from the header line (delimiter.ts).
 * - Row numbers are 1-based and count data rows after the header. Blank lines and rows whose every field is
 *   empty are not data rows: they get no number and are not counted.
 * - Resume: `skipRows` re-reads the file from the start and drops the first N data rows as soon as they are
 *   told apart from blank ones, before any check. Re-parsing is exact under quoted newlines and costs only
 *   parse time; a byte offset would need the header, encoding state and S3 ranges to line up, for little gain.
 * - Per-row problems (wrong field count, text that did not decode, NUL, a row longer than `maxRecordChars`)
 *   come back on the row as `problem`, and reading goes on with the next row.
 * - File-level problems (encoding, empty, too many columns, row cap, a quote still open at the end of the
 *   file) throw `CsvFileError`; rows read before the stop are yielded first.
 * - Fields are trimmed, quoted ones included; a quote opens a field only at its start (after blanks).
 */

export interface CsvReadOptions {
  /** Cap on one record's characters: a longer row is rejected (its text never held) and reading goes on. */
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
    const sampleBytes = options.sampleBytes ?? ENCODING_SAMPLE_BYTES;
    let { sample, ended } = await readSample(chunks, sampleBytes);
    if (sample.length === 0) throw new CsvFileError('The file is empty');
    // Exactly the first sampleBytes, however the source happens to be chunked.
    const verdict = sniffEncoding(sample.subarray(0, sampleBytes), ended && sample.length <= sampleBytes);
    if (!verdict.ok) throw new CsvFileError(verdict.reason);
    let guess = detectDelimiter(sample, verdict.bomLength);
    // The delimiter is judged on the whole header line; the record limit bounds how far we look.
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
      reader.feed(sample);
      while (reader.header === undefined && !sourceEnded) {
        const next = await chunks.next();
        if (next.done) sourceEnded = true;
        else reader.feed(next.value);
      }
      if (sourceEnded) reader.finish();
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
        if (next.done) reader.finish();
        else reader.feed(next.value);
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

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

/** Where the tokenizer stands between two characters (it keeps its place across chunk boundaries). */
enum At {
  /** Before a field's first non-blank character. */
  FieldStart,
  Unquoted,
  Quoted,
  /** Just after a quote inside a quoted field: an escaped quote, the closing quote, or literal text. */
  QuoteInQuoted,
  /** After a closing quote (and maybe blanks): a delimiter or line end closes the field. */
  AfterClose,
}

/**
 * A CSV tokenizer driven chunk by chunk that never holds more than `maxRecordChars` of one record: a longer
 * record is still followed to its end (so the next row reads normally) but its text is dropped and it comes
 * back as a rejected row. Quoting is forgiving: a quote only opens a field at its start (after blanks),
 * `""` inside quotes is one quote, and text after a closing quote keeps the field as written (`"Ann" Lee`).
 * Only a quote still open at the end of the file stops reading, naming the row where it opened.
 */
class RowReader {
  header: string[] | undefined;
  private pending: CsvRow[] = [];
  private rowsSeen = 0;
  private readonly decoder: TextDecoder;
  private readonly skipRows: number;
  private readonly delimiter: number;
  private at = At.FieldStart;
  private atFileStart = true;
  private skipLineFeed = false;
  private record: string[] = [];
  private field = '';
  /** Blanks after a closing quote, kept in case literal text follows and the field is taken as written. */
  private blanksAfterClose = '';
  private recordChars = 0;
  private oversize = false;
  /** Whether the record has any character at all (an empty line is not a record). */
  private recordStarted = false;

  constructor(
    private readonly encoding: TextEncodingName,
    delimiter: CsvDelimiter,
    private readonly options: CsvReadOptions,
  ) {
    this.skipRows = options.skipRows ?? 0;
    this.delimiter = delimiter.charCodeAt(0);
    this.decoder = new TextDecoder(encoding === 'windows-1252' ? 'windows-1252' : 'utf-8', {
      ignoreBOM: true,
    });
  }

  take(): CsvRow[] {
    const rows = this.pending;
    this.pending = [];
    return rows;
  }

  feed(bytes: Uint8Array): void {
    this.scan(this.decoder.decode(bytes, { stream: true }));
  }

  finish(): void {
    this.scan(this.decoder.decode());
    if (this.at === At.Quoted) {
      const where = this.header === undefined ? 'The header line' : `Row ${this.rowsSeen + 1}`;
      throw new CsvFileError(
        `${where} opens a quote that is never closed, so the rest of the file is inside it; reading stopped there`,
        this.header === undefined ? undefined : this.rowsSeen + 1,
      );
    }
    if (this.recordStarted) {
      // The last line had no line ending: its last field ends here, even an empty one after a delimiter.
      this.endField();
      this.endRecord();
    }
  }

  private scan(text: string): void {
    let index = 0;
    if (this.atFileStart && text.length > 0) {
      this.atFileStart = false;
      if (text.charCodeAt(0) === 0xfeff) index = 1;
    }
    let segmentStart = index;
    for (; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (this.skipLineFeed) {
        this.skipLineFeed = false;
        if (code === LF) {
          segmentStart = index + 1;
          continue;
        }
      }
      switch (this.at) {
        case At.FieldStart:
          if (this.isBlank(code)) {
            this.recordStarted = true;
            continue;
          }
          if (code === QUOTE) {
            this.recordStarted = true;
            this.at = At.Quoted;
            segmentStart = index + 1;
            continue;
          }
          this.at = At.Unquoted;
          segmentStart = index;
          index -= 1; // the same character again, as unquoted text
          continue;
        case At.Unquoted:
          if (code === this.delimiter || code === CR || code === LF) {
            this.append(text, segmentStart, index);
            this.endField();
            if (code !== this.delimiter) this.endLine(code);
            segmentStart = index + 1;
          } else this.recordStarted = true;
          continue;
        case At.Quoted:
          if (code === QUOTE) {
            this.append(text, segmentStart, index);
            this.at = At.QuoteInQuoted;
          }
          continue;
        case At.QuoteInQuoted:
          if (code === QUOTE) {
            this.appendText('"');
            this.at = At.Quoted;
            segmentStart = index + 1;
            continue;
          }
          this.at = At.AfterClose;
          this.blanksAfterClose = '';
          index -= 1;
          continue;
        case At.AfterClose:
          if (this.isBlank(code)) {
            this.blanksAfterClose += text[index];
            continue;
          }
          if (code === this.delimiter || code === CR || code === LF) {
            this.endField();
            if (code !== this.delimiter) this.endLine(code);
            segmentStart = index + 1;
            continue;
          }
          // Text after the closing quote: the field is kept as written, quotes included.
          this.field = `"${this.field}"${this.blanksAfterClose}`;
          this.at = At.Unquoted;
          segmentStart = index;
          index -= 1;
          continue;
      }
    }
    if (this.at === At.Unquoted || this.at === At.Quoted) this.append(text, segmentStart, text.length);
  }

  /** Space, and tab unless tab is the delimiter. */
  private isBlank(code: number): boolean {
    return code === 0x20 || (code === 0x09 && this.delimiter !== 0x09);
  }

  private append(text: string, from: number, to: number): void {
    if (to > from) this.appendText(text.slice(from, to));
  }

  private appendText(text: string): void {
    this.recordStarted = true;
    this.recordChars += text.length;
    if (this.recordChars > this.options.maxRecordChars) {
      // Followed to its end but not kept: memory stays bounded whatever the line's length.
      this.oversize = true;
      this.field = '';
      this.record = [];
      return;
    }
    if (!this.oversize) this.field += text;
  }

  private endField(): void {
    if (!this.oversize) this.record.push(this.field.trim());
    this.field = '';
    this.at = At.FieldStart;
  }

  private endLine(code: number): void {
    if (code === CR) this.skipLineFeed = true;
    this.endRecord();
  }

  private endRecord(): void {
    const started = this.recordStarted;
    const record = this.record;
    const oversize = this.oversize;
    this.record = [];
    this.recordChars = 0;
    this.oversize = false;
    this.recordStarted = false;
    this.at = At.FieldStart;
    if (!started && !oversize) return; // an empty line
    this.accept(record, oversize);
  }

  private accept(record: string[], oversize: boolean): void {
    if (this.header === undefined) {
      if (oversize) {
        throw new CsvFileError(`The header line is longer than ${this.options.maxRecordChars} characters`);
      }
      if (isBlank(record)) return;
      this.header = this.checkedHeader(record);
      return;
    }
    if (!oversize && isBlank(record)) return;
    const rowNumber = ++this.rowsSeen;
    if (rowNumber <= this.skipRows) return;
    if (rowNumber > this.options.maxRows) {
      throw new CsvFileError(
        `The file has more than ${this.options.maxRows} rows; reading stopped at row ${rowNumber}`,
        rowNumber,
      );
    }
    const problem = oversize
      ? `the row is longer than ${this.options.maxRecordChars} characters`
      : this.rowProblem(record, this.header);
    this.pending.push({ rowNumber, values: record, problem });
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

  private rowProblem(values: string[], header: string[]): string | undefined {
    if (values.length !== header.length) {
      return `the row has ${values.length} fields; the header has ${header.length}`;
    }
    for (let index = 0; index < values.length; index++) {
      const problem = textProblem(values[index] as string, this.encoding);
      if (problem !== undefined) return `"${header[index]}" ${problem}`;
    }
    return undefined;
  }
}

function isBlank(values: string[]): boolean {
  for (const value of values) if (value.length !== 0) return false;
  return true;
}
