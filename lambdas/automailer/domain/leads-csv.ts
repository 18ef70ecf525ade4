import { stringify } from 'csv-stringify/sync';
import { escapeFormula } from '../../shared/csv-escape';
import * as z from '../../shared/zod';

/** The most rows one export holds, whatever the caller asks. */
export const MAX_ROWS = 500;
export const LEADS_CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

export type CsvValue = string | number | boolean | Date | null | undefined;

export interface CsvColumn<K extends string = string> {
  key: K;
  header: string;
}

/** Canonical lead fields as ingest maps them, plus when the member received the lead. */
export const DEFAULT_LEAD_COLUMNS: ReadonlyArray<CsvColumn> = [
  { key: 'email', header: 'email' },
  { key: 'firstName', header: 'first_name' },
  { key: 'lastName', header: 'last_name' },
  { key: 'fullName', header: 'full_name' },
  { key: 'phone', header: 'phone' },
  { key: 'company', header: 'company' },
  { key: 'title', header: 'title' },
  { key: 'website', header: 'website' },
  { key: 'city', header: 'city' },
  { key: 'state', header: 'state' },
  { key: 'country', header: 'country' },
  { key: 'receivedAt', header: 'received_at' },
];

// Shared with the ingest result files; re-exported so this module's callers keep one import.
export { escapeFormula };

/**
 * Numbers are written as JS prints them: `-5` cannot carry a formula, and escaping it would turn a number
 * into text. Every other value becomes a string and is escaped.
 */
const toCell = (value: CsvValue): string | number => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? value : '';
  if (value instanceof Date) return escapeFormula(value.toISOString());
  return escapeFormula(String(value));
};

export interface LeadsCsvOptions<K extends string> {
  columns: ReadonlyArray<CsvColumn<K>>;
  /**
   * Off by default: the main reader is AutoMailer's server, and a BOM there becomes part of the first
   * header name in many parsers. The member's own browser download turns it on, because Excel reads a
   * BOM-less file as Windows-1252 and garbles accented names.
   */
  bom?: boolean;
}

/**
 * Build the CSV of a member's leads in memory (at most 500 rows: well under a megabyte) and never store it.
 * Steps: cap at MAX_ROWS -> project each lead onto the columns -> escape formula-leading cells ->
 * stringify with a header row, RFC 4180 CRLF line ends, UTF-8.
 */
export const leadsToCsv = <K extends string>(
  leads: ReadonlyArray<Partial<Record<K, CsvValue>>>,
  { columns, bom = false }: LeadsCsvOptions<K>,
): string => {
  const rows = leads
    .slice(0, MAX_ROWS)
    .map((lead) => Object.fromEntries(columns.map(({ key }) => [key, toCell(lead[key])])));
  return stringify(rows, {
    header: true,
    columns: columns.map(({ key, header }) => ({ key, header: escapeFormula(header) })),
    bom,
    record_delimiter: 'windows',
    // Setting record_delimiter turns this off by default, leaving a lone LF or CR in a cell unquoted: a broken row.
    quote_record_delimiter: true,
    // Escaping is done above (csv-stringify's own misses LF and NUL); on here it would add a second quote mark.
    escape_formulas: false,
  });
};

/** `attachment` so browsers download rather than render; the date keeps a member's files apart. */
export const leadsCsvContentDisposition = (now: Date): string =>
  `attachment; filename="proleads-leads-${now.toISOString().slice(0, 10)}.csv"`;

/**
 * Query of the leads export. `since` accepts any ISO date-time with an offset and comes out as UTC
 * `toISOString()` form, so it compares correctly with the stored sort keys; `limit` defaults to MAX_ROWS.
 * Unknown parameters are refused so a misspelt one is a clear 400, not a silently ignored filter.
 */
export const leadsCsvQuerySchema = z.strictObject({
  since: z.optional(
    z.pipe(
      z.iso.datetime({ offset: true }),
      z.transform((value) => new Date(value).toISOString()),
    ),
  ),
  limit: z._default(
    z.pipe(
      z.pipe(
        z.string().check(z.regex(/^\d{1,3}$/, 'limit must be a whole number from 1 to 500')),
        z.transform(Number),
      ),
      z
        .number()
        .check(
          z.int(),
          z.minimum(1, 'limit must be at least 1'),
          z.maximum(MAX_ROWS, 'limit must be at most 500'),
        ),
    ),
    MAX_ROWS,
  ),
});

export type LeadsCsvQuery = z.output<typeof leadsCsvQuerySchema>;
