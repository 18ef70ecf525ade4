import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '@/lib/api-client';
import type { RequestBody, ResponseBody } from '@/lib/api-types';

export type MemberPage = ResponseBody<'/admin/members', 'get'>;
export type Member = MemberPage['members'][number];
export type MemberInput = RequestBody<'/admin/members/{id}', 'put'>;
export type ImportResult = ResponseBody<'/admin/members/import', 'post'>;

export interface MemberFilter {
  readonly eligible: 'any' | 'true' | 'false';
  /** A configured tier's name; empty for every tier. */
  readonly tier: string;
}

const PAGE_SIZE = 50;

export const membersPageQuery = (filter: MemberFilter, cursor: string | undefined) =>
  queryOptions({
    queryKey: ['members', 'page', filter, cursor ?? null],
    queryFn: () =>
      unwrap(
        api().GET('/admin/members', {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...(cursor ? { cursor } : {}),
              ...(filter.eligible === 'any' ? {} : { eligible: filter.eligible }),
              ...(filter.tier === '' ? {} : { tier: filter.tier }),
            },
          },
        }),
      ),
  });

export const useMembersPage = (filter: MemberFilter, cursor: string | undefined) =>
  useQuery({ ...membersPageQuery(filter, cursor), placeholderData: keepPreviousData });

export const useSaveMember = (id: string) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: MemberInput) =>
      unwrap(api().PUT('/admin/members/{id}', { params: { path: { id } }, body: input })),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['members'] }),
        queryClient.invalidateQueries({ queryKey: ['overview'] }),
      ]),
  });
};

/** Clears the SES feedback mark on a member's address: the next run emails them again. */
export const useClearAddressMark = (id: string) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api().DELETE('/admin/members/{id}/address-mark', { params: { path: { id } } })),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['members'] }),
        queryClient.invalidateQueries({ queryKey: ['overview'] }),
      ]),
  });
};

export type ImportFormat = 'csv' | 'json';

/**
 * Sends the admin's text as it is: the API reads it row by row and reports each row it refused, so the
 * console must not parse or reshape it first.
 */
export const useImportMembers = () => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ text, format }: { text: string; format: ImportFormat }) =>
      unwrap(
        api().POST('/admin/members/import', {
          // The body is the admin's raw text; the typed JSON shape does not apply to it.
          body: text as unknown as RequestBody<'/admin/members/import', 'post'>,
          bodySerializer: (body: unknown) => body as string,
          headers: { 'Content-Type': format === 'csv' ? 'text/csv' : 'application/json' },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['members'] }),
  });
};

export type MemberDetail = ResponseBody<'/admin/members/{id}', 'get'>;

export const memberQuery = (id: string) =>
  queryOptions({
    queryKey: ['members', 'one', id],
    queryFn: () => unwrap(api().GET('/admin/members/{id}', { params: { path: { id } } })),
  });

export const useMember = (id: string) => useQuery(memberQuery(id));

const LEADS_PAGE_SIZE = 50;

export const memberLeadsQuery = (id: string, cursor: string | undefined) =>
  queryOptions({
    queryKey: ['members', 'leads', id, cursor ?? null],
    queryFn: () =>
      unwrap(
        api().GET('/admin/members/{id}/leads', {
          params: { path: { id }, query: { limit: LEADS_PAGE_SIZE, ...(cursor ? { cursor } : {}) } },
        }),
      ),
  });

export const useMemberLeads = (id: string, cursor: string | undefined) =>
  useQuery({ ...memberLeadsQuery(id, cursor), placeholderData: keepPreviousData });

export type AutomailerLink = ResponseBody<'/admin/members/{id}/automailer-link', 'get'>;

const automailerLinkQuery = (id: string) =>
  queryOptions({
    queryKey: ['members', 'automailer-link', id],
    queryFn: () => unwrap(api().GET('/admin/members/{id}/automailer-link', { params: { path: { id } } })),
  });

export const useAutomailerLink = (id: string) => useQuery(automailerLinkQuery(id));

/** Revoking stops AutoMailer's reads at once; the member's next hand-off links them again. */
export const useRevokeAutomailerLink = (id: string) => {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(api().DELETE('/admin/members/{id}/automailer-link', { params: { path: { id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: automailerLinkQuery(id).queryKey }),
  });
};

export type MemberReturn = ResponseBody<'/admin/members/{id}/returns', 'get'>['returns'][number];

export const useMemberReturns = (id: string) =>
  useQuery({
    queryKey: ['members', 'returns', id],
    queryFn: () => unwrap(api().GET('/admin/members/{id}/returns', { params: { path: { id } } })),
  });

export type MemberLedger = ResponseBody<'/admin/members/{id}/ledger', 'get'>;

/** Twelve weeks: a quarter of what the member was owed and received. */
const LEDGER_WEEKS = 12;

const memberLedgerQuery = (id: string) =>
  queryOptions({
    queryKey: ['members', 'ledger', id],
    queryFn: () =>
      unwrap(
        api().GET('/admin/members/{id}/ledger', {
          params: { path: { id }, query: { weeks: LEDGER_WEEKS } },
        }),
      ),
  });

export const useMemberLedger = (id: string) => useQuery(memberLedgerQuery(id));
