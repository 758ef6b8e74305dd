import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ApiKey } from '@corsplane/contracts';
import { api, seg } from '../../../lib/api-client.js';

export const getKeys = (slug: string, signal?: AbortSignal) =>
  api<{ items: ApiKey[] }>(`/v1/tenants/${seg(slug)}/keys`, { signal });

export const keysQueryOptions = (slug: string) =>
  queryOptions({
    queryKey: ['tenants', slug, 'keys'],
    queryFn: ({ signal }) => getKeys(slug, signal),
  });

export const useKeys = (slug: string) => useQuery(keysQueryOptions(slug));
