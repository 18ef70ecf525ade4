import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';

export const Loading = ({ what }: { what: string }) => (
  <p className="state state-loading" role="status" aria-live="polite">
    Loading {what}…
  </p>
);

export const Empty = ({ children }: { children: ReactNode }) => (
  <p className="state state-empty">{children}</p>
);

/** The API's own message, shown as it came; a retry when the caller can offer one. */
export const ErrorMessage = ({ error, onRetry }: { error: unknown; onRetry?: () => void }) => (
  <div className="state state-error" role="alert">
    <p>{error instanceof Error ? error.message : String(error)}</p>
    {onRetry && (
      <button type="button" className="button" onClick={onRetry}>
        Try again
      </button>
    )}
  </div>
);

/** Loading, then the error with a retry, then the content with the data. */
export const QueryView = <T,>({
  query,
  what,
  children,
}: {
  query: UseQueryResult<T>;
  what: string;
  children: (data: T) => ReactNode;
}) => {
  if (query.isPending) return <Loading what={what} />;
  if (query.isError) return <ErrorMessage error={query.error} onRetry={() => query.refetch()} />;
  return <>{children(query.data)}</>;
};
