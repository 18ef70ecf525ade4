import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api-client';
import type { RequestBody, ResponseBody } from '@/lib/api-types';

export type ScheduleInput = RequestBody<'/admin/schedules', 'post'>;
export type ScheduleResult = ResponseBody<'/admin/schedules', 'post', 201>;
export type Schedule = ScheduleResult['schedule'];
export type DryRunPlan = ResponseBody<'/admin/distributions', 'post', 200>;
export type RunStarted = ResponseBody<'/admin/distributions', 'post', 202>;

const PAGE_SIZE = 50;

export const schedulesPageQuery = (cursor: string | undefined) =>
  queryOptions({
    queryKey: ['schedules', 'page', cursor ?? null],
    queryFn: () =>
      unwrap(
        api().GET('/admin/schedules', {
          params: { query: { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } },
        }),
      ),
  });

export const useSchedulesPage = (cursor: string | undefined) =>
  useQuery({ ...schedulesPageQuery(cursor), placeholderData: keepPreviousData });

export const scheduleQuery = (id: string) =>
  queryOptions({
    queryKey: ['schedules', 'one', id],
    queryFn: () => unwrap(api().GET('/admin/schedules/{id}', { params: { path: { id } } })),
  });

export const useSchedule = (id: string) => useQuery(scheduleQuery(id));

/** Every schedule change refreshes the lists and pages that show schedules. */
const useInvalidateSchedules = () => {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['schedules'] }),
      queryClient.invalidateQueries({ queryKey: ['scheduler-health'] }),
      queryClient.invalidateQueries({ queryKey: ['overview'] }),
    ]);
};

export const useSaveSchedule = (id: string | undefined) => {
  const invalidate = useInvalidateSchedules();
  return useMutation({
    mutationFn: (input: ScheduleInput): Promise<ScheduleResult> =>
      id
        ? unwrap(api().PUT('/admin/schedules/{id}', { params: { path: { id } }, body: input }))
        : unwrap(api().POST('/admin/schedules', { body: input })),
    onSuccess: invalidate,
  });
};

export const useDeleteSchedule = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api().DELETE('/admin/schedules/{id}', { params: { path: { id } } })),
    // The deleted schedule is forgotten, not asked for again (it would be a 404); the lists are refreshed.
    onSuccess: (_answer, id) => {
      queryClient.removeQueries({ queryKey: ['schedules', 'one', id] });
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: ['schedules', 'page'] }),
        queryClient.invalidateQueries({ queryKey: ['scheduler-health'] }),
        queryClient.invalidateQueries({ queryKey: ['overview'] }),
      ]);
    },
  });
};

export const useDryRun = () =>
  useMutation({
    mutationFn: async (): Promise<DryRunPlan> => {
      const answer = await unwrap(api().POST('/admin/distributions', { body: { dryRun: true } }));
      if (!('dryRun' in answer)) throw new Error('The API started a run instead of planning one');
      return answer;
    },
  });

export const useRunNow = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (): Promise<RunStarted> => {
      const answer = await unwrap(api().POST('/admin/distributions', { body: { dryRun: false } }));
      if ('dryRun' in answer) throw new Error('The API planned a run instead of starting one');
      return answer;
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['distributions'] }),
  });
};
