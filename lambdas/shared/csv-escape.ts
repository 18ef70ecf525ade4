/**
 * Spreadsheet-injection escaping for every CSV the pipeline writes (member exports, ingest result files).
 *
 * Characters that make a spreadsheet read a cell as a formula or split it into one (OWASP CSV injection):
 * the six csv-stringify's `escape_formulas` knows, plus LF and NUL which it leaves out, plus the full-width
 * forms Apple Numbers normalises to `= + - @`.
 */
const FORMULA_TRIGGERS = new Set([
  '=',
  '+',
  '-',
  '@',
  '\t',
  '\r',
  '\n',
  '\0',
  '\uFF1D',
  '\uFF0B',
  '\uFF0D',
  '\uFF20',
]);

/** A leading `'` makes a spreadsheet show the cell as text. Quoting for CSV happens after. */
export const escapeFormula = (value: string): string =>
  value.length > 0 && FORMULA_TRIGGERS.has(value.charAt(0)) ? `'${value}` : value;
