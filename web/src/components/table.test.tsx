// @vitest-environment jsdom
import { useQuery } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { useCursorPages } from '@/hooks/use-cursor-pages';
import { renderWithApi } from '@/testing/render';
import { DataTable, PagedTable } from './table';

interface FruitPage {
  fruits: string[];
  nextCursor: string | null;
}

/** A list paged with cursors, answered from memory: `undefined` is the first page's cursor. */
const FruitList = ({
  pagesByCursor,
  notice,
}: {
  pagesByCursor: Map<string | undefined, FruitPage>;
  notice?: ReactNode;
}) => {
  const pages = useCursorPages();
  const query = useQuery({
    queryKey: ['fruits', pages.cursor],
    queryFn: async () => pagesByCursor.get(pages.cursor) ?? { fruits: [], nextCursor: null },
  });
  return (
    <PagedTable
      query={query}
      what="fruits"
      pages={pages}
      rowsOf={(page) => page.fruits}
      empty="No fruit yet."
      notice={notice}
      columns={['Fruit']}
      renderRow={(fruit) => (
        <tr key={fruit}>
          <td>{fruit}</td>
        </tr>
      )}
    />
  );
};

describe('a paged table', () => {
  it('says the list is empty on an empty first page, with no table and no pager', async () => {
    renderWithApi(<FruitList pagesByCursor={new Map()} />, { routes: {} });

    expect(await screen.findByText('No fruit yet.')).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.queryByRole('navigation', { name: 'Pages' })).toBeNull();
  });

  it('walks to the next page and back, and an empty later page keeps the way back', async () => {
    const pagesByCursor = new Map<string | undefined, FruitPage>([
      [undefined, { fruits: ['apple', 'pear'], nextCursor: 'after-pear' }],
      ['after-pear', { fruits: [], nextCursor: null }],
    ]);
    renderWithApi(<FruitList pagesByCursor={pagesByCursor} />, { routes: {} });
    const user = userEvent.setup();

    await screen.findByRole('cell', { name: 'pear' });
    const previous = () => screen.getByRole('button', { name: 'Previous' }) as HTMLButtonElement;
    const next = () => screen.getByRole('button', { name: 'Next' }) as HTMLButtonElement;
    expect(previous().disabled).toBe(true);

    await user.click(next());
    await screen.findByText('Page 2');
    expect(screen.queryByText('No fruit yet.')).toBeNull();
    expect(within(screen.getByRole('table')).queryAllByRole('cell')).toHaveLength(0);
    expect(next().disabled).toBe(true);

    await user.click(previous());
    expect(await screen.findByRole('cell', { name: 'apple' })).toBeTruthy();
    expect(screen.getByText('Page 1')).toBeTruthy();
  });

  it('shows its notice between the rows and the pager', async () => {
    const pagesByCursor = new Map([[undefined, { fruits: ['apple'], nextCursor: null }]]);
    renderWithApi(
      <FruitList pagesByCursor={pagesByCursor} notice={<p role="alert">Could not remove apple</p>} />,
      {
        routes: {},
      },
    );

    const notice = await screen.findByRole('alert');
    const table = screen.getByRole('table');
    const pager = screen.getByRole('navigation', { name: 'Pages' });
    expect(table.compareDocumentPosition(notice) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(notice.compareDocumentPosition(pager) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });
});

describe('a data table', () => {
  it('right-aligns count columns, explains short labels on hover and names button columns for screen readers only', () => {
    render(
      <DataTable
        caption="Refused rows"
        captionHidden
        columns={[
          'Member',
          { label: 'Owed', numeric: true, title: 'leads still owed' },
          { label: 'Actions', hidden: true },
        ]}
      >
        <tr>
          <td>m-1</td>
          <td className="number">3</td>
          <td>
            <button type="button">Pause</button>
          </td>
        </tr>
      </DataTable>,
    );

    const table = screen.getByRole('table', { name: 'Refused rows' });
    expect(table.querySelector('caption')?.className).toBe('visually-hidden');
    const [member, owed, actions] = screen.getAllByRole('columnheader');
    expect(member?.className).toBe('');
    expect(owed?.className).toBe('number');
    expect(owed?.title).toBe('leads still owed');
    expect(actions?.textContent).toBe('Actions');
    expect(actions?.querySelector('.visually-hidden')?.textContent).toBe('Actions');
  });
});
