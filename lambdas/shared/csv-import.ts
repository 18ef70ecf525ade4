import { parse } from 'csv-parse/sync';
import { BadRequestError } from './errors';

/** One record of an admin's CSV import, with the line it ends on: the row number the admin sees. */
export interface ImportCsvRecord {
  record: string[];
  info: { lines: number };
}

/**
 * An admin's CSV import read whole, header first: BOM dropped, blank lines skipped, cells trimmed, rows of any
 * width (the caller says what a short or long row means). It stops one row past `maxRows` data rows so the
 * caller can still tell an import over its limit. A body that cannot be read as a whole is a 400 saying why.
 */
export const readImportCsv = (
  body: string,
  limits: { maxRecordBytes: number; maxRows: number },
): ImportCsvRecord[] => {
  try {
    return parse(body, {
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
      max_record_size: limits.maxRecordBytes,
      to: limits.maxRows + 2,
    }) as unknown as ImportCsvRecord[];
  } catch (error) {
    throw new BadRequestError(`The CSV cannot be read: ${(error as Error).message}`);
  }
};
