import { readImportCsv } from '../shared/csv-import';
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../shared/errors';
import { isJsonMediaType } from '../shared/http';
import { MEMBER_ID_MESSAGE, MEMBER_ID_PATTERN } from '../shared/model';
import type * as z from '../shared/zod';
import { type MemberInput, memberInputSchema } from './domain/member-schemas';
import type { Tier } from './domain/tiers';

/**
 * Bulk member sync: a JSON array (or `{ "members": [...] }`) or a CSV with a header row. Each record
 * becomes a valid row or a per-row error with its row number; nothing is dropped silently. A body that
 * cannot be read as a whole (bad JSON, no header, too many rows) is a 400.
 *
 * Row numbers: the 1-based position in a JSON array; the line of the record in a CSV (the header is line 1).
 */

export const MAX_IMPORT_ROWS = 1_000;
/** 1000 members take about 200 KB; far more is not an import of this API, and is refused unread. */
export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;
export const CSV_MEDIA_TYPE = 'text/csv';
const MAX_CSV_RECORD_BYTES = 16 * 1024;

export interface ImportRow {
  row: number;
  memberId: string;
  input: MemberInput;
}

export interface ImportRowError {
  row: number;
  memberId?: string;
  field?: string;
  message: string;
}

export interface ParsedImport {
  rows: ImportRow[];
  errors: ImportRowError[];
  received: number;
}

/** CSV headers, case- and separator-insensitive, to the fields of a member. */
const CSV_COLUMNS: Record<string, string> = {
  id: 'id',
  memberid: 'id',
  email: 'email',
  name: 'name',
  tier: 'tier',
  subscriptionstatus: 'subscriptionStatus',
  status: 'subscriptionStatus',
  subscriptionendsat: 'subscriptionEndsAt',
  endsat: 'subscriptionEndsAt',
  subscriptionstartedat: 'subscriptionStartedAt',
  startedat: 'subscriptionStartedAt',
  weeklyquotaoverride: 'weeklyQuotaOverride',
  quotaoverride: 'weeklyQuotaOverride',
};
const canonicalHeader = (header: string) => header.toLowerCase().replace(/[^a-z]/g, '');

/** Without a telling media type (none, or fetch's default text/plain) the first character decides. */
const looksLikeJson = (body: string, mediaType: string | undefined) =>
  mediaType === undefined || mediaType === 'text/plain' ? /^\s*[[{]/.test(body) : isJsonMediaType(mediaType);

/** `mediaType`: the request's Content-Type without parameters, lower-cased (`mediaTypeOf`). */
export const parseMemberImport = (
  body: string,
  mediaType: string | undefined,
  tiers: readonly Tier[],
): ParsedImport => {
  if (
    mediaType !== undefined &&
    mediaType !== CSV_MEDIA_TYPE &&
    mediaType !== 'text/plain' &&
    !isJsonMediaType(mediaType)
  )
    throw new UnsupportedMediaTypeError(`An import is application/json or text/csv, not ${mediaType}`);
  if (Buffer.byteLength(body) > MAX_IMPORT_BYTES)
    throw new PayloadTooLargeError(`An import may be at most ${MAX_IMPORT_BYTES} bytes`);
  const records = looksLikeJson(body, mediaType) ? jsonRecords(body) : csvRecords(body);
  if (records.length === 0) throw new BadRequestError('The import holds no members');
  if (records.length > MAX_IMPORT_ROWS)
    throw new BadRequestError(
      `The import holds ${records.length} members; send at most ${MAX_IMPORT_ROWS} per request`,
    );
  const schema = memberInputSchema(tiers);
  const rows: ImportRow[] = [];
  const errors: ImportRowError[] = [];
  const firstRowOf = new Map<string, number>();
  for (const { row, value, unreadable } of records) {
    const problem = (message: string, field?: string, memberId?: string) =>
      errors.push({ row, ...(memberId ? { memberId } : {}), ...(field ? { field } : {}), message });
    if (unreadable) {
      problem(unreadable);
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problem('must be an object of member fields');
      continue;
    }
    const { id, ...fields } = value as Record<string, unknown>;
    if (typeof id !== 'string' || !MEMBER_ID_PATTERN.test(id)) {
      problem(MEMBER_ID_MESSAGE, 'id');
      continue;
    }
    const earlier = firstRowOf.get(id);
    if (earlier !== undefined) {
      problem(`member ${id} already appears at row ${earlier} of this import; not applied twice`, 'id', id);
      continue;
    }
    firstRowOf.set(id, row);
    const parsed = schema.safeParse(fields);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problem(issueMessage(issue), issueField(issue), id);
      continue;
    }
    rows.push({ row, memberId: id, input: parsed.data });
  }
  return { rows, errors, received: records.length };
};

const issueField = (issue: z.core.$ZodIssue): string | undefined =>
  issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.') || undefined;

const issueMessage = (issue: z.core.$ZodIssue): string =>
  issue.code === 'unrecognized_keys' ? 'is not a member field' : issue.message;

interface RawRecord {
  row: number;
  value?: unknown;
  /** why the record could not be read at all */
  unreadable?: string;
}

const jsonRecords = (body: string): RawRecord[] => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new BadRequestError('The body is not valid JSON');
  }
  const list =
    parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as { members?: unknown }).members
      : parsed;
  if (!Array.isArray(list))
    throw new BadRequestError('A JSON import is an array of members, or an object { "members": [...] }');
  return list.map((value, index) => ({ row: index + 1, value }));
};

const csvRecords = (body: string): RawRecord[] => {
  const records = readImportCsv(body, { maxRecordBytes: MAX_CSV_RECORD_BYTES, maxRows: MAX_IMPORT_ROWS });
  const [header, ...data] = records;
  if (!header) throw new BadRequestError('The CSV is empty');
  const fields = header.record.map((name) => CSV_COLUMNS[canonicalHeader(name)]);
  const unknown = header.record.filter((_, index) => fields[index] === undefined);
  if (unknown.length > 0 || !fields.includes('id'))
    throw new BadRequestError(
      `The CSV header must name the columns id, email, name, tier, subscriptionStatus and optionally subscriptionEndsAt, weeklyQuotaOverride${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}`,
    );
  return data.map(({ record, info }) => {
    if (record.length !== fields.length)
      return { row: info.lines, unreadable: `has ${record.length} columns; the header has ${fields.length}` };
    const value: Record<string, unknown> = {};
    fields.forEach((field, index) => {
      const cell = record[index] ?? '';
      if (field === undefined || cell === '') return;
      value[field] = field === 'weeklyQuotaOverride' && /^\d+$/.test(cell) ? Number(cell) : cell;
    });
    return { row: info.lines, value };
  });
};
