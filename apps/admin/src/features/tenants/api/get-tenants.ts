import { queryOptions, useQuery } from '@tanstack/react-query';
import type { TenantList } from '@corsplane/contracts';
import { api } from '../../../lib/api-client.js';

export const getTenants = (signal?: AbortSignal) => api<TenantList>('/v1/tenants', { signal });

export const tenantsQueryOptions = () =>
  queryOptions({ queryKey: ['tenants'], queryFn: ({ signal }) => getTenants(signal) });

export const useTenants = () => useQuery(tenantsQueryOptions());
