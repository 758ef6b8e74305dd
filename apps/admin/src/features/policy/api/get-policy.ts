import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Policy } from '@corsplane/contracts';
import { request, seg } from '../../../lib/api-client.js';

export interface PolicyWithEtag {
  policy: Policy;
  /** The GET's ETag, sent back as If-Match when saving. */
  etag: string;
}

export async function getPolicy(slug: string, signal?: AbortSignal): Promise<PolicyWithEtag> {
  const res = await request<Policy>(`/v1/tenants/${seg(slug)}/policy`, { signal });
  return { policy: res.data, etag: res.headers.get('etag') ?? `"${res.data.version}"` };
}

export const policyQueryOptions = (slug: string) =>
  queryOptions({
    queryKey: ['tenants', slug, 'policy'],
    queryFn: ({ signal }) => getPolicy(slug, signal),
  });

export const usePolicy = (slug: string) => useQuery(policyQueryOptions(slug));
