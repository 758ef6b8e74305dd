import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { BlockedOrigin } from '@corsplane/contracts';
import { api, seg } from '../../../lib/api-client.js';
import { blockedOriginsKeys } from './query-keys.js';

export interface BlockedOriginsFilter {
  since?: string;
  until?: string;
  q?: string;
  limit?: number;
}

export const getBlockedOrigins = (slug: string, f: BlockedOriginsFilter, signal?: AbortSignal) =>
  api<{ items: BlockedOrigin[] }>(`/v1/tenants/${seg(slug)}/blocked-origins`, {
    query: { since: f.since, until: f.until, q: f.q, limit: f.limit },
    signal,
  });

export const blockedOriginsQueryOptions = (slug: string, f: BlockedOriginsFilter) =>
  queryOptions({
    queryKey: blockedOriginsKeys.list(slug, f),
    queryFn: ({ signal }) => getBlockedOrigins(slug, f, signal),
    // Keep the rows while a new range or search loads, but never another tenant's.
    placeholderData: (prev, prevQuery) =>
      prevQuery?.queryKey[1] === slug ? keepPreviousData(prev) : undefined,
  });

export const useBlockedOrigins = (slug: string, f: BlockedOriginsFilter) =>
  useQuery(blockedOriginsQueryOptions(slug, f));
