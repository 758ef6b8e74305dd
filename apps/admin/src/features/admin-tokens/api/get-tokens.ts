import { queryOptions, useQuery } from '@tanstack/react-query';
import type { AdminToken } from '@corsplane/contracts';
import { api } from '../../../lib/api-client.js';
import { tokenKeys } from './query-keys.js';

/** The signed-in user's own tokens: not tenant data, so the key starts with `me`. */

export const getTokens = (signal?: AbortSignal) =>
  api<{ items: AdminToken[] }>('/v1/auth/tokens', { signal });

export const tokensQueryOptions = () =>
  queryOptions({ queryKey: tokenKeys.list(), queryFn: ({ signal }) => getTokens(signal) });

export const useTokens = () => useQuery(tokensQueryOptions());
