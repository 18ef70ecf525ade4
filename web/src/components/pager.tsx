export const Pager = ({
  pageNumber,
  hasPrevious,
  nextCursor,
  onPrevious,
  onNext,
}: {
  pageNumber: number;
  hasPrevious: boolean;
  nextCursor: string | null | undefined;
  onPrevious: () => void;
  onNext: (cursor: string) => void;
}) => (
  <nav className="pager" aria-label="Pages">
    <button type="button" className="button" disabled={!hasPrevious} onClick={onPrevious}>
      Previous
    </button>
    <span>Page {pageNumber}</span>
    <button
      type="button"
      className="button"
      disabled={!nextCursor}
      onClick={() => nextCursor && onNext(nextCursor)}
    >
      Next
    </button>
  </nav>
);
