import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { ApiError, api, unwrap } from '@/lib/api-client';

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

export const runQuery = (id: string) =>
  queryOptions({
    queryKey: ['distributions', 'one', id],
    queryFn: () => unwrap(api().GET('/admin/distributions/{id}', { params: { path: { id } } })),
    // A run that has not ended yet is followed until it does.
    refetchInterval: (query) => (query.state.data?.run.state === 'running' ? 2_000 : false),
  });

/** One run; a run just asked for may not exist for a few seconds, so a 404 is asked again a while. */
export const useRun = (id: string) =>
  useQuery({
    ...runQuery(id),
    retry: (failureCount, error) => failureCount < 15 && error instanceof ApiError && error.status === 404,
    retryDelay: 2_000,
  });
