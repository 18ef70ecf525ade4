import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { parseLeadEmail } from '../../ingest/domain/lead-row';

/**
 * Erasing one person from a CSV the pipeline wrote (a result file, a result part, a raw upload): every
 * record with a cell holding the person's address (any spelling that has the same lead hash, a formula
 * escape `'` ignored) keeps its first `keepCells` cells (a result file's row, status and reason) and loses
 * every other one. Returns the new text, or undefined when no record held the address.
 */
export const eraseFromCsv = (
  text: string,
  isTheAddress: (email: string) => boolean,
  keepCells: number,
): { text: string; records: number } | undefined => {
  const bom = text.startsWith('\uFEFF');
  const records = parse(bom ? text.slice(1) : text, {
    relax_column_count: true,
    relax_quotes: true,
  }) as string[][];
  let erased = 0;
  const rewritten = records.map((record) => {
    const holds = record.some((cell) => {
      if (!cell.includes('@')) return false;
      const parsed = parseLeadEmail(cell.startsWith("'") ? cell.slice(1) : cell);
      return parsed.ok && isTheAddress(parsed.email);
    });
    if (!holds) return record;
    erased += 1;
    return record.map((cell, index) => (index < keepCells ? cell : ''));
  });
  if (erased === 0) return undefined;
  return {
    text: (bom ? '\uFEFF' : '') + stringify(rewritten, { record_delimiter: '\r\n' }),
    records: erased,
  };
};

/** What one erasure touched, as its record keeps it (never the address, never its hash). */
export interface ErasureTouched {
  leads: number;
  assignments: number;
  files: number;
  /** Raw uploads still being ingested are left alone (their bytes are pinned); they expire on their own. */
  filesSkipped: number;
}
