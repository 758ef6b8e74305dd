import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ApiKey } from '@corsplane/contracts';
import { api } from '../../../lib/api-client.js';
import { apiKeysKeys, keysPath, type KeyScope } from './keys.js';

export const getKeys = (scope: KeyScope, signal?: AbortSignal) =>
  api<{ items: ApiKey[] }>(keysPath(scope), { signal });

export const keysQueryOptions = (scope: KeyScope) =>
  queryOptions({
    queryKey: apiKeysKeys.list(scope),
    queryFn: ({ signal }) => getKeys(scope, signal),
  });

export const useKeys = (scope: KeyScope) => useQuery(keysQueryOptions(scope));
