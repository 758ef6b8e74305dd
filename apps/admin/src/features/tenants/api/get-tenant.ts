import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Tenant } from '@corsplane/contracts';
import { api, seg } from '../../../lib/api-client.js';
import { tenantKeys } from './query-keys.js';

export const getTenant = (slug: string, signal?: AbortSignal) =>
  api<Tenant>(`/v1/tenants/${seg(slug)}`, { signal });

export const tenantQueryOptions = (slug: string) =>
  queryOptions({
    queryKey: tenantKeys.detail(slug),
    queryFn: ({ signal }) => getTenant(slug, signal),
  });

export const useTenant = (slug: string) => useQuery(tenantQueryOptions(slug));
