import { queryOptions, useQuery } from '@tanstack/react-query';
import type { PolicyVersion } from '@corsplane/contracts';
import { api, seg } from '../../../lib/api-client.js';
import { versionKeys } from './query-keys.js';

/** One version with its whole policy, for a diff: the list carries no documents (get-versions.ts). */
export const getVersion = (slug: string, version: number, signal?: AbortSignal) =>
  api<PolicyVersion>(`/v1/tenants/${seg(slug)}/policy/versions/${seg(version)}`, { signal });

export const versionQueryOptions = (slug: string, version: number) =>
  queryOptions({
    queryKey: versionKeys.one(slug, version),
    queryFn: ({ signal }) => getVersion(slug, version, signal),
    // A version never changes once written.
    staleTime: Infinity,
  });

/** `version` undefined: nothing to fetch yet (the list is still loading). */
export const useVersion = (slug: string, version: number | undefined) =>
  useQuery({
    ...versionQueryOptions(slug, version ?? 0),
    enabled: version !== undefined,
  });
