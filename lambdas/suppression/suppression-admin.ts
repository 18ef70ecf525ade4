import { parseLeadEmail } from '../ingest/domain/lead-row';
import { readImportCsv } from '../shared/csv-import';
import { BadRequestError, PayloadTooLargeError } from '../shared/errors';
import type { DynamoSuppressionStore, SuppressionItem } from './adapters/suppression-store';
import {
  MAX_SUPPRESSION_IMPORT_ROWS,
  parseDomain,
  type SuppressionKind,
  type SuppressionSource,
  suppressionId,
} from './domain/suppression';

/**
 * What an admin does with the suppression list: add one address or domain, import many from a CSV, list,
 * remove. An address is turned into its lead hash here (the same normalisation and key as the ingest's)
 * and never stored or echoed; a domain is kept as written (normalised).
 */

export const MAX_SUPPRESSION_IMPORT_BYTES = 2 * 1024 * 1024;

export interface SuppressionAdminDeps {
  readonly store: Pick<DynamoSuppressionStore, 'add' | 'remove' | 'page'>;
  /** The lead hash of a normalised address (HMAC with the pepper, Gmail folding as configured). */
  readonly hashEmail: () => Promise<(email: string) => string>;
  readonly now: () => Date;
}

export type SuppressionInput = { email: string } | { domain: string };

export interface SuppressionView {
  id: string;
  kind: SuppressionKind;
  /** Domains only: an address is never shown, only that one is listed. */
  domain: string | null;
  source: SuppressionSource;
  addedBy: string;
  addedAt: string;
}

export const toSuppressionView = (item: SuppressionItem): SuppressionView => ({
  id: suppressionId(item.kind, item.key),
  kind: item.kind,
  domain: item.kind === 'domain' ? item.key : null,
  source: item.source,
  addedBy: item.addedBy,
  addedAt: item.addedAt,
});

/** The entry an input names, or why it names none. */
const entryOf = async (
  deps: SuppressionAdminDeps,
  input: SuppressionInput,
): Promise<{ kind: SuppressionKind; key: string } | { reason: string }> => {
  if ('email' in input) {
    const parsed = parseLeadEmail(input.email);
    if (!parsed.ok) return { reason: `email ${parsed.reason}` };
    return { kind: 'email', key: (await deps.hashEmail())(parsed.email) };
  }
  const parsed = parseDomain(input.domain);
  return parsed.ok ? { kind: 'domain', key: parsed.domain } : { reason: `domain ${parsed.reason}` };
};

/** Adds one entry; `created` false when it was listed already (nothing changes). */
export const addSuppression = async (
  deps: SuppressionAdminDeps,
  input: SuppressionInput,
  addedBy: string,
  source: SuppressionSource = 'admin',
  erasureId?: string,
): Promise<{ created: boolean; entry: SuppressionView }> => {
  const entry = await entryOf(deps, input);
  if ('reason' in entry) {
    throw new BadRequestError(`The ${entry.reason}`, [
      { path: 'email' in input ? 'email' : 'domain', message: entry.reason },
    ]);
  }
  const item = {
    ...entry,
    source,
    addedBy,
    addedAt: deps.now().toISOString(),
    ...(erasureId ? { erasureId } : {}),
  };
  const created = await deps.store.add(item);
  return { created, entry: toSuppressionView({ pk: 'SUPPRESSION', sk: '', ...item }) };
};

export interface ImportRefusal {
  row: number;
  reason: string;
}

/** One row of an import: its number (CSV line, or position in a JSON list) and the cells it filled. */
export interface ImportRow {
  row: number;
  email: string;
  domain: string;
}

/**
 * The rows of a CSV whose header names an `email` column, a `domain` column, or both (each row fills one).
 * A body that cannot be read as a whole is a 400.
 */
export const readSuppressionCsv = (body: string): ImportRow[] => {
  if (Buffer.byteLength(body) > MAX_SUPPRESSION_IMPORT_BYTES)
    throw new PayloadTooLargeError(`An import may be at most ${MAX_SUPPRESSION_IMPORT_BYTES} bytes`);
  const records = readImportCsv(body, { maxRecordBytes: 4096, maxRows: MAX_SUPPRESSION_IMPORT_ROWS });
  const [header, ...rows] = records;
  const columns = header?.record.map((name) => name.toLowerCase().replace(/[^a-z]/g, '')) ?? [];
  const emailColumn = columns.indexOf('email');
  const domainColumn = columns.indexOf('domain');
  if (emailColumn === -1 && domainColumn === -1)
    throw new BadRequestError('The CSV header must name an email column, a domain column, or both');
  return rows.map(({ record, info }) => ({
    row: info.lines,
    email: emailColumn === -1 ? '' : (record[emailColumn] ?? ''),
    domain: domainColumn === -1 ? '' : (record[domainColumn] ?? ''),
  }));
};

/** Every row is added, found listed already, or refused with its row number and reason. */
export const importSuppressions = async (
  deps: SuppressionAdminDeps,
  rows: readonly ImportRow[],
  addedBy: string,
): Promise<{ received: number; added: number; alreadyListed: number; refused: ImportRefusal[] }> => {
  if (rows.length === 0) throw new BadRequestError('The import holds no rows');
  if (rows.length > MAX_SUPPRESSION_IMPORT_ROWS)
    throw new BadRequestError(`Send at most ${MAX_SUPPRESSION_IMPORT_ROWS} rows per import`);
  const refused: ImportRefusal[] = [];
  let added = 0;
  let alreadyListed = 0;
  const addedAt = deps.now().toISOString();
  for (const { row, email, domain } of rows) {
    if ((email === '') === (domain === '')) {
      refused.push({ row, reason: 'give either an email or a domain' });
      continue;
    }
    const entry = await entryOf(deps, email ? { email } : { domain });
    if ('reason' in entry) {
      refused.push({ row, reason: entry.reason });
      continue;
    }
    if (await deps.store.add({ ...entry, source: 'import', addedBy, addedAt })) added += 1;
    else alreadyListed += 1;
  }
  return { received: rows.length, added, alreadyListed, refused };
};
