import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CsvColumn,
  escapeFormula,
  LEADS_CSV_CONTENT_TYPE,
  leadsCsvContentDisposition,
  leadsCsvQuerySchema,
  leadsToCsv,
  MAX_ROWS,
} from './leads-csv';

const columns: CsvColumn<'email' | 'company' | 'note'>[] = [
  { key: 'email', header: 'email' },
  { key: 'company', header: 'company' },
  { key: 'note', header: 'note' },
];

const readBack = (csv: string): Record<string, string>[] => parse(csv, { columns: true, bom: true });
const withoutEscapeMark = (cell: string) => cell.replace(/^'/, '');

describe('leadsToCsv formula escaping', () => {
  it.each([
    ['=', '=HYPERLINK("http://evil.example","click")'],
    ['+', "+1+cmd|' /C calc'!A0"],
    ['-', '-2+3'],
    ['@', '@SUM(1,2)'],
    ['tab', '\t=1+1'],
    ['CR', '\r=1+1'],
    ['LF', '\n=1+1'],
    ['NUL', '\0=1+1'],
  ])('puts a quote mark before a cell starting with %s and keeps the rest intact', (_name, hostile) => {
    // Act
    const csv = leadsToCsv([{ email: 'a@example.com', company: hostile, note: 'ok' }], { columns });

    // Assert
    const [row] = readBack(csv);
    expect(row).toEqual({ email: 'a@example.com', company: `'${hostile}`, note: 'ok' });
  });

  it('escapes the full-width forms some spreadsheets read as formula signs', () => {
    expect(['\uFF1D1', '\uFF0B1', '\uFF0D1', '\uFF201'].map(escapeFormula)).toEqual([
      "'\uFF1D1",
      "'\uFF0B1",
      "'\uFF0D1",
      "'\uFF201",
    ]);
  });

  it('leaves cells alone when the dangerous character is not first', () => {
    const csv = leadsToCsv(
      [{ email: 'a@example.com', company: 'A=B, "Quoted" & Co', note: 'line 1\nline 2\r\n' }],
      {
        columns,
      },
    );

    expect(readBack(csv)).toEqual([
      { email: 'a@example.com', company: 'A=B, "Quoted" & Co', note: 'line 1\nline 2\r\n' },
    ]);
  });

  it.each([
    ['LF', 'line 1\nline 2'],
    ['CR', 'line 1\rline 2'],
  ])(
    'quotes a cell holding a lone %s, so parsers that split on any line end keep the row whole',
    (_name, note) => {
      const csv = leadsToCsv([{ email: 'a@example.com', company: 'Acme', note }], { columns });

      expect(csv).toBe(`email,company,note\r\na@example.com,Acme,"${note}"\r\n`);
    },
  );

  it('reads back every string as written, apart from the added quote mark', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' })), { maxLength: 20 }),
        (pairs) => {
          // Arrange
          const leads = pairs.map(([company, note]) => ({ email: 'a@example.com', company, note }));

          // Act
          const back = readBack(leadsToCsv(leads, { columns }));

          // Assert: no cell starts with a trigger, and removing the one escape gives the input back.
          expect(back).toHaveLength(leads.length);
          back.forEach((row, index) => {
            const lead = leads[index];
            for (const key of ['company', 'note'] as const) {
              const cell = row[key] ?? '';
              expect(cell).not.toMatch(/^[=+\-@\t\r\n\0\uFF1D\uFF0B\uFF0D\uFF20]/);
              expect(
                cell === lead?.[key] || (cell.startsWith("'") && withoutEscapeMark(cell) === lead?.[key]),
              ).toBe(true);
            }
          });
        },
      ),
    );
  });
});

describe('leadsToCsv shape', () => {
  it('writes the header row then one CRLF-terminated row per lead, without a BOM by default', () => {
    const csv = leadsToCsv([{ email: 'a@example.com', company: 'Acme', note: '' }], { columns });

    expect(csv).toBe('email,company,note\r\na@example.com,Acme,\r\n');
  });

  it('starts with a UTF-8 BOM when asked, and keeps accented text', () => {
    const csv = leadsToCsv([{ email: 'a@example.com', company: 'Café Zürich', note: 'ok' }], {
      columns,
      bom: true,
    });

    expect(csv.startsWith('\uFEFFemail,')).toBe(true);
    expect(readBack(csv)[0]?.company).toBe('Café Zürich');
  });

  it('keeps at most 500 of 501 leads, the first ones given', () => {
    // Arrange
    const leads = Array.from({ length: MAX_ROWS + 1 }, (_, index) => ({ email: `lead${index}@example.com` }));

    // Act
    const rows = readBack(leadsToCsv(leads, { columns }));

    // Assert
    expect(rows).toHaveLength(500);
    expect(rows.at(-1)?.email).toBe('lead499@example.com');
  });

  it('writes numbers as numbers, dates in ISO form and missing values as empty cells', () => {
    const numberColumns: CsvColumn<'score' | 'receivedAt' | 'phone'>[] = [
      { key: 'score', header: 'score' },
      { key: 'receivedAt', header: 'received_at' },
      { key: 'phone', header: 'phone' },
    ];

    const csv = leadsToCsv([{ score: -5, receivedAt: new Date('2025-03-10T12:00:00.000Z'), phone: null }], {
      columns: numberColumns,
    });

    expect(readBack(csv)).toEqual([{ score: '-5', received_at: '2025-03-10T12:00:00.000Z', phone: '' }]);
  });

  it('still escapes a negative-looking phone number given as text', () => {
    const csv = leadsToCsv([{ phone: '-1 555 0100' }], { columns: [{ key: 'phone', header: 'phone' }] });

    expect(readBack(csv)).toEqual([{ phone: "'-1 555 0100" }]);
  });
});

describe('leadsCsvQuerySchema', () => {
  it('defaults the limit to 500 and leaves since out', () => {
    expect(leadsCsvQuerySchema.parse({})).toEqual({ limit: 500 });
  });

  it('normalises since to UTC and reads the limit as a number', () => {
    expect(leadsCsvQuerySchema.parse({ since: '2025-03-10T14:00:00+02:00', limit: '25' })).toEqual({
      since: '2025-03-10T12:00:00.000Z',
      limit: 25,
    });
  });

  it.each([
    { limit: '0' },
    { limit: '501' },
    { limit: '1.5' },
    { limit: 'ten' },
    { limit: '' },
    { since: 'yesterday' },
    { since: '2025-03-10' },
    { memberId: 'someone-else' },
  ])('refuses %j', (query) => {
    expect(leadsCsvQuerySchema.safeParse(query).success).toBe(false);
  });
});

describe('download headers', () => {
  it('names a dated attachment and a UTF-8 CSV type', () => {
    expect(leadsCsvContentDisposition(new Date('2025-03-10T12:00:00.000Z'))).toBe(
      'attachment; filename="proleads-leads-2025-03-10.csv"',
    );
    expect(LEADS_CSV_CONTENT_TYPE).toBe('text/csv; charset=utf-8');
  });
});
