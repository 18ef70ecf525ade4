import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { CursorPages } from '@/hooks/use-cursor-pages';
import { Pager } from './pager';
import { Empty, QueryView } from './states';

/** A header cell: its text, or the text with how its column shows. */
export type Column =
  | string
  | {
      readonly label: string;
      /** A column of counts: right-aligned, as its cells (`className="number"`). */
      readonly numeric?: boolean;
      /** Read by screen readers only, over a column of buttons. */
      readonly hidden?: boolean;
      /** What the short label stands for, on hover. */
      readonly title?: string;
    };

export interface DataTableProps {
  readonly columns: readonly Column[];
  readonly caption?: string;
  /** The caption is for screen readers only: the section's heading already says it. */
  readonly captionHidden?: boolean;
  /** A few short columns set in a section: tighter rows, and narrow enough to need no sideways scrolling. */
  readonly compact?: boolean;
  /** The rows (`<tr>`). */
  readonly children: ReactNode;
}

const HeaderCell = ({ column }: { column: Column }) => {
  if (typeof column === 'string') return <th scope="col">{column}</th>;
  return (
    <th scope="col" className={column.numeric ? 'number' : undefined} title={column.title}>
      {column.hidden ? <span className="visually-hidden">{column.label}</span> : column.label}
    </th>
  );
};

/** The console's table: one header row, and (unless compact) a frame that scrolls sideways on a narrow screen. */
export const DataTable = ({ columns, caption, captionHidden, compact, children }: DataTableProps) => {
  const table = (
    <table className={compact ? 'table compact' : 'table'}>
      {caption !== undefined && (
        <caption className={captionHidden ? 'visually-hidden' : undefined}>{caption}</caption>
      )}
      <thead>
        <tr>
          {columns.map((column) => (
            <HeaderCell key={typeof column === 'string' ? column : column.label} column={column} />
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
  return compact ? table : <div className="table-scroll">{table}</div>;
};

/**
 * A list the API pages with cursors, as every list of the console shows one: loading, then the error with a
 * retry, then `empty` when the first page holds no row, else the page's rows, `notice` (a failed action on a
 * row, say) and the pager.
 */
export const PagedTable = <Page extends { nextCursor?: string | null }, Row>({
  query,
  what,
  pages,
  rowsOf,
  empty,
  notice,
  renderRow,
  ...table
}: Omit<DataTableProps, 'children'> & {
  readonly query: UseQueryResult<Page>;
  /** What is loading, as in "Loading the runs…". */
  readonly what: string;
  readonly pages: CursorPages;
  readonly rowsOf: (page: Page) => readonly Row[];
  readonly empty: ReactNode;
  readonly notice?: ReactNode;
  readonly renderRow: (row: Row) => ReactNode;
}) => (
  <QueryView query={query} what={what}>
    {(data) => {
      const rows = rowsOf(data);
      if (rows.length === 0 && !pages.hasPrevious) return <Empty>{empty}</Empty>;
      return (
        <>
          <DataTable {...table}>{rows.map(renderRow)}</DataTable>
          {notice}
          <Pager pages={pages} nextCursor={data.nextCursor} />
        </>
      );
    }}
  </QueryView>
);
