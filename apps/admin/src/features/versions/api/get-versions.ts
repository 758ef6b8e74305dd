import { queryOptions, useQuery } from '@tanstack/react-query';
import type { PolicyVersionList } from '@corsplane/contracts';
import { api, seg } from '../../../lib/api-client.js';
import { versionKeys } from './query-keys.js';

export const getVersions = (slug: string, limit: number, signal?: AbortSignal) =>
  api<PolicyVersionList>(`/v1/tenants/${seg(slug)}/policy/versions`, { query: { limit }, signal });

export const versionsQueryOptions = (slug: string, limit = 100) =>
  queryOptions({
    queryKey: versionKeys.list(slug, limit),
    queryFn: ({ signal }) => getVersions(slug, limit, signal),
  });

export const useVersions = (slug: string, limit = 100) =>
  useQuery(versionsQueryOptions(slug, limit));
