import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api-client';

export const overviewQuery = () =>
  queryOptions({
    queryKey: ['overview'],
    queryFn: () => unwrap(api().GET('/admin/overview')),
    refetchInterval: 30_000,
  });

export const useOverview = () => useQuery(overviewQuery());

/** The recent runs the overview charts (the newest page of the run list). */
export const recentRunsQuery = () =>
  queryOptions({
    queryKey: ['overview', 'recent-runs'],
    queryFn: () => unwrap(api().GET('/admin/distributions', { params: { query: { limit: 20 } } })),
    refetchInterval: 30_000,
  });

export const useRecentRuns = () => useQuery(recentRunsQuery());
