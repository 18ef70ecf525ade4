import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api-client';
import type { RequestBody, ResponseBody } from '@/lib/api-types';

export type SuppressionPage = ResponseBody<'/admin/suppressions', 'get'>;
export type Suppression = SuppressionPage['suppressions'][number];
export type SuppressionImportResult = ResponseBody<'/admin/suppressions/import', 'post'>;
export type ErasurePage = ResponseBody<'/admin/erasures', 'get'>;
export type Erasure = ErasurePage['erasures'][number];

const PAGE_SIZE = 50;

export const suppressionsQuery = (cursor: string | undefined) =>
  queryOptions({
    queryKey: ['suppressions', cursor ?? null],
    queryFn: () =>
      unwrap(
        api().GET('/admin/suppressions', {
          params: { query: { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } },
        }),
      ),
  });

export const useSuppressions = (cursor: string | undefined) =>
  useQuery({ ...suppressionsQuery(cursor), placeholderData: keepPreviousData });

export const erasuresQuery = (cursor: string | undefined) =>
  queryOptions({
    queryKey: ['erasures', cursor ?? null],
    queryFn: () =>
      unwrap(
        api().GET('/admin/erasures', {
          params: { query: { limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } },
        }),
      ),
  });

export const useErasures = (cursor: string | undefined) =>
  useQuery({ ...erasuresQuery(cursor), placeholderData: keepPreviousData });

const useListChange = <Input, Output>(change: (input: Input) => Promise<Output>, keys: string[][]) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: () => Promise.all(keys.map((queryKey) => queryClient.invalidateQueries({ queryKey }))),
  });
};

/** Adds an address (kept only as its keyed hash) or a domain. */
export const useAddSuppression = () =>
  useListChange(
    (input: { email: string } | { domain: string }) =>
      unwrap(api().POST('/admin/suppressions', { body: input })),
    [['suppressions']],
  );

/** Imports a CSV (header naming email and/or domain); the answer lists every refused row. */
export const useImportSuppressions = () =>
  useListChange(
    (csv: string) =>
      unwrap(
        api().POST('/admin/suppressions/import', {
          body: csv as unknown as RequestBody<'/admin/suppressions/import', 'post'>,
          bodySerializer: (body: unknown) => body as string,
          headers: { 'Content-Type': 'text/csv' },
        }),
      ),
    [['suppressions']],
  );

export const useRemoveSuppression = () =>
  useListChange(
    (id: string) => unwrap(api().DELETE('/admin/suppressions/{id}', { params: { path: { id } } })),
    [['suppressions']],
  );

/** Erases a person by email; their hash joins the suppression list. */
export const useErasePerson = () =>
  useListChange(
    (email: string) => unwrap(api().POST('/admin/erasures', { body: { email } })),
    [['erasures'], ['suppressions']],
  );
