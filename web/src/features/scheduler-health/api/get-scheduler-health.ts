import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api-client';
import type { ResponseBody } from '@/lib/api-types';

export type SchedulerHealth = ResponseBody<'/admin/scheduler/health', 'get'>;

export const schedulerHealthQuery = () =>
  queryOptions({
    queryKey: ['scheduler-health'],
    queryFn: () => unwrap(api().GET('/admin/scheduler/health')),
    refetchInterval: 15_000,
  });

export const useSchedulerHealth = () => useQuery(schedulerHealthQuery());
