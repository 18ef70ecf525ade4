import { useState } from 'react';

/**
 * Walks an API list page by page with its opaque cursors: the cursor of the page shown, and the way back.
 * `reset` returns to the first page (when a filter changes).
 */
export const useCursorPages = () => {
  const [trail, setTrail] = useState<(string | undefined)[]>([undefined]);
  const cursor = trail[trail.length - 1];
  return {
    cursor,
    pageNumber: trail.length,
    hasPrevious: trail.length > 1,
    next: (nextCursor: string) => setTrail((current) => [...current, nextCursor]),
    previous: () => setTrail((current) => (current.length > 1 ? current.slice(0, -1) : current)),
    reset: () => setTrail([undefined]),
  };
};

export type CursorPages = ReturnType<typeof useCursorPages>;
