import { queryOptions, useQuery } from '@tanstack/react-query';
import type { TenantList } from '@corsplane/contracts';
import { api } from '../../../lib/api-client.js';

/** Every visible tenant with its policy summary (origin count, mode, version, last change), one request. */
export const getTenants = (signal?: AbortSignal) => api<TenantList>('/v1/tenants?limit=500', { signal });

export const tenantsQueryOptions = () =>
  queryOptions({
    queryKey: ['tenants'],
    queryFn: ({ signal }) => getTenants(signal),
    // Policy saves and restores change the summaries without touching this key: refresh on every visit
    // (the cached list shows meanwhile).
    refetchOnMount: 'always',
  });

export const useTenants = () => useQuery(tenantsQueryOptions());
