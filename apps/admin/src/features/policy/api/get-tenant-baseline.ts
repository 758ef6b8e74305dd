import { queryOptions, useQuery } from '@tanstack/react-query';
import type { TenantBaseline } from '@corsplane/contracts';
import { api, seg } from '../../../lib/api-client.js';
import { policyKeys } from './query-keys.js';

/** The platform baseline entries this tenant includes, `{tenant}` expanded (SPEC §2.2; read-only here). */
export const getTenantBaseline = (slug: string, signal?: AbortSignal) =>
  api<TenantBaseline>(`/v1/tenants/${seg(slug)}/policy/baseline`, { signal });

export const tenantBaselineQueryOptions = (slug: string) =>
  queryOptions({
    queryKey: policyKeys.baseline(slug),
    queryFn: ({ signal }) => getTenantBaseline(slug, signal),
  });

export const useTenantBaseline = (slug: string) => useQuery(tenantBaselineQueryOptions(slug));
