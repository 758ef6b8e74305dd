import { queryOptions, useQuery } from '@tanstack/react-query';
import type { SsoStatus } from '@corsplane/contracts';
import { api } from '../../../lib/api-client.js';
import { authKeys } from './query-keys.js';

export const getSsoStatus = (signal?: AbortSignal) =>
  api<SsoStatus>('/v1/auth/oidc', { signal, allowUnauthenticated: true });

export const ssoStatusQueryOptions = () =>
  queryOptions({
    queryKey: authKeys.sso(),
    queryFn: ({ signal }) => getSsoStatus(signal),
    staleTime: Infinity,
    retry: false,
  });

export const useSsoStatus = () => useQuery(ssoStatusQueryOptions());

/** Where "Sign in with SSO" goes: the API starts the flow and brings the browser back to `next`. */
export const ssoLoginHref = (next: string) =>
  `/v1/auth/oidc/login?${new URLSearchParams({ next }).toString()}`;
