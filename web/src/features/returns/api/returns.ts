import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api-client';
import type { ResponseBody } from '@/lib/api-types';

export type ReturnQueuePage = ResponseBody<'/admin/returns', 'get'>;
export type LeadReturn = ReturnQueuePage['returns'][number];
export type ReturnState = LeadReturn['state'];

const PAGE_SIZE = 50;

export const returnsQueueQuery = (state: ReturnState, cursor: string | undefined) =>
  queryOptions({
    queryKey: ['returns', 'queue', state, cursor ?? null],
    queryFn: () =>
      unwrap(
        api().GET('/admin/returns', {
          params: { query: { state, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } },
        }),
      ),
  });

export const useReturnsQueue = (state: ReturnState, cursor: string | undefined) =>
  useQuery({ ...returnsQueueQuery(state, cursor), placeholderData: keepPreviousData });

/** Approve (note optional) or refuse (note required) one return; the queue and the overview follow. */
export const useDecideReturn = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, decision, note }: { id: string; decision: 'approve' | 'refuse'; note: string }) =>
      decision === 'approve'
        ? unwrap(
            api().POST('/admin/returns/{id}/approve', {
              params: { path: { id } },
              body: note.trim() === '' ? {} : { note: note.trim() },
            }),
          )
        : unwrap(
            api().POST('/admin/returns/{id}/refuse', {
              params: { path: { id } },
              body: { note: note.trim() },
            }),
          ),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['returns'] }),
        queryClient.invalidateQueries({ queryKey: ['overview'] }),
        queryClient.invalidateQueries({ queryKey: ['members'] }),
      ]),
  });
};
