import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api-client';

const PAGE_SIZE = 20;

export const runsPageQuery = (cursor: string | undefined) =>
  queryOptions({
    queryKey: ['distributions', 'page', cursor ?? null],
    queryFn: () =>
      unwrap(
        api().GET('/admin/distributions', {
          params: { query: { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } },
        }),
      ),
  });

/** Refreshed every few seconds while a run on the page is still running. */
export const useRunsPage = (cursor: string | undefined) =>
  useQuery({
    ...runsPageQuery(cursor),
    placeholderData: keepPreviousData,
    refetchInterval: (query) =>
      query.state.data?.runs.some((run) => run.state === 'running') ? 3_000 : 30_000,
  });
