import { queryOptions, useQuery, type QueryClient } from '@tanstack/react-query';
import type { Policy } from '@corsplane/contracts';
import { request, seg } from '../../../lib/api-client.js';
import { policyKeys } from './query-keys.js';

/**
 * The policy's settings (mode, methods, headers, credentials, routes…) and its ETag. `policy.origins` is
 * always empty here: a tenant may list 100,000 origins, which the editor reads page by page
 * (get-origins.ts) and never holds in memory. The SPEC has no settings-only read, so the GET still
 * carries them; they are counted and dropped as soon as the answer is parsed.
 */
export interface PolicyWithEtag {
  policy: Policy;
  /** The GET's ETag, sent back as If-Match when saving. */
  etag: string;
  /** How many entries the live policy lists (expired ones included). */
  originCount: number;
}

/** The whole stored document, origins included: only a settings save needs it (update-policy.ts). */
export async function getFullPolicy(
  slug: string,
  signal?: AbortSignal,
): Promise<{ policy: Policy; etag: string }> {
  const res = await request<Policy>(`/v1/tenants/${seg(slug)}/policy`, { signal });
  return { policy: res.data, etag: res.headers.get('etag') ?? `"${res.data.version}"` };
}

export const withoutOrigins = ({
  policy,
  etag,
}: {
  policy: Policy;
  etag: string;
}): PolicyWithEtag => ({
  policy: { ...policy, origins: [] },
  etag,
  originCount: policy.origins.length,
});

export async function getPolicy(slug: string, signal?: AbortSignal): Promise<PolicyWithEtag> {
  return withoutOrigins(await getFullPolicy(slug, signal));
}

export const policyQueryOptions = (slug: string) =>
  queryOptions({
    queryKey: policyKeys.document(slug),
    queryFn: ({ signal }) => getPolicy(slug, signal),
  });

/** `enabled: false` holds the read back (the editor starts it after the first page of origins). */
export const usePolicy = (slug: string, enabled = true) =>
  useQuery({ ...policyQueryOptions(slug), enabled });

/** Refetch the settings after a write that changed the version (a single-origin write, an import). */
export const refreshPolicy = (qc: QueryClient, slug: string) =>
  Promise.all([
    qc.invalidateQueries({ queryKey: policyKeys.document(slug) }),
    qc.invalidateQueries({ queryKey: policyKeys.versions(slug) }),
  ]);
