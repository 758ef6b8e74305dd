import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Me } from '@corsplane/contracts';
import { api } from '../../../lib/api-client.js';
import { authKeys } from './query-keys.js';

export const getMe = (signal?: AbortSignal) =>
  api<Me>('/v1/auth/me', { signal, allowUnauthenticated: true });

export const meQueryOptions = () =>
  queryOptions({
    queryKey: authKeys.me(),
    queryFn: ({ signal }) => getMe(signal),
    staleTime: 60_000,
    retry: false,
  });

export const useMe = () => useQuery(meQueryOptions());
