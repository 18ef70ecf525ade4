import type { CursorPages } from '@/hooks/use-cursor-pages';

/** Previous / next through a list the API pages with cursors; `nextCursor` is the page shown's. */
export const Pager = ({
  pages,
  nextCursor,
}: {
  pages: CursorPages;
  nextCursor: string | null | undefined;
}) => (
  <nav className="pager" aria-label="Pages">
    <button type="button" className="button" disabled={!pages.hasPrevious} onClick={pages.previous}>
      Previous
    </button>
    <span>Page {pages.pageNumber}</span>
    <button
      type="button"
      className="button"
      disabled={!nextCursor}
      onClick={() => nextCursor && pages.next(nextCursor)}
    >
      Next
    </button>
  </nav>
);
