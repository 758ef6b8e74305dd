import {
  infiniteQueryOptions,
  queryOptions,
  useInfiniteQuery,
  useQuery,
} from '@tanstack/react-query';
import type { TenantList } from '@corsplane/contracts';
import { api } from '../../../lib/api-client.js';
import { tenantKeys } from './query-keys.js';

/** Tenants per page of the tenant list. */
export const TENANTS_PAGE_SIZE = 50;

export const getTenantPage = (
  { q, cursor, limit }: { q?: string; cursor?: string; limit: number },
  signal?: AbortSignal,
) => api<TenantList>('/v1/tenants', { query: { q, cursor, limit }, signal });

/** The first 500 visible tenants with their summaries, one request: the pickers of other pages. */
export const getTenants = (signal?: AbortSignal) => getTenantPage({ limit: 500 }, signal);

export const tenantsQueryOptions = () =>
  queryOptions({
    queryKey: tenantKeys.picker(),
    queryFn: ({ signal }) => getTenants(signal),
    // Policy saves and restores change the summaries without touching this key: refresh on every visit
    // (the cached list shows meanwhile).
    refetchOnMount: 'always',
  });

export const useTenants = () => useQuery(tenantsQueryOptions());

/** The tenant list page: slug order, `q` searched by the API (slug and name), cursor paging (SPEC §4.1). */
export const tenantPagesQueryOptions = (q: string) =>
  infiniteQueryOptions({
    queryKey: tenantKeys.list(q),
    queryFn: ({ pageParam, signal }) =>
      getTenantPage({ q, cursor: pageParam, limit: TENANTS_PAGE_SIZE }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchOnMount: 'always',
  });

export const useTenantPages = (q: string) => useInfiniteQuery(tenantPagesQueryOptions(q));
