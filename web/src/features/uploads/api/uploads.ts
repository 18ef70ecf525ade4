import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api-client';
import type { ResponseBody } from '@/lib/api-types';

export type UploadDetail = ResponseBody<'/admin/uploads/{id}', 'get'>;
export type UploadSlot = ResponseBody<'/admin/uploads', 'post', 201>;

/** States after which an upload no longer changes by itself (distribution may still exhaust a queued one). */
const SETTLED = new Set(['queued', 'paused', 'withdrawn', 'exhausted', 'failed', 'duplicate_file']);
export const isSettled = (state: string) => SETTLED.has(state);

const PAGE_SIZE = 25;

export const uploadsPageQuery = (cursor: string | undefined) =>
  queryOptions({
    queryKey: ['uploads', 'page', cursor ?? null],
    queryFn: () =>
      unwrap(
        api().GET('/admin/uploads', {
          params: { query: { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } },
        }),
      ),
  });

export const useUploadsPage = (cursor: string | undefined) =>
  useQuery({ ...uploadsPageQuery(cursor), placeholderData: keepPreviousData, refetchInterval: 5_000 });

export const uploadQuery = (id: string) =>
  queryOptions({
    queryKey: ['uploads', 'one', id],
    queryFn: () => unwrap(api().GET('/admin/uploads/{id}', { params: { path: { id } } })),
    // Live progress while the upload is read and verified; quiet once it has settled.
    refetchInterval: (query) => (query.state.data && isSettled(query.state.data.state) ? false : 1_000),
  });

export const useUpload = (id: string) => useQuery(uploadQuery(id));

export const requestUploadSlot = (file: File): Promise<UploadSlot> =>
  unwrap(api().POST('/admin/uploads', { body: { fileName: file.name, sizeBytes: file.size } }));

export type UploadAction = 'pause' | 'resume' | 'withdraw' | 'release';

/** An admin's action on an upload; the list, the upload and the overview follow. */
export const useUploadAction = (id: string) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ action, releaseHashes }: { action: UploadAction; releaseHashes?: boolean }) => {
      const params = { params: { path: { id } } };
      switch (action) {
        case 'pause':
          return unwrap(api().POST('/admin/uploads/{id}/pause', params));
        case 'resume':
          return unwrap(api().POST('/admin/uploads/{id}/resume', params));
        case 'withdraw':
          return unwrap(
            api().POST('/admin/uploads/{id}/withdraw', {
              ...params,
              body: { releaseHashes: releaseHashes ?? false },
            }),
          );
        case 'release':
          return unwrap(api().POST('/admin/uploads/{id}/release', params)).then(
            (released) => released.upload,
          );
      }
    },
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['uploads'] }),
        queryClient.invalidateQueries({ queryKey: ['overview'] }),
      ]),
  });
};
