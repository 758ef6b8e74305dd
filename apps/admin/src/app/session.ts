import type { QueryClient } from '@tanstack/react-query';
import { safeConsolePath } from '@corsplane/contracts';
import { onUnauthorized } from '../lib/api-client.js';

/** Where to come back to after signing in: a path of this console, else the tenants list. */
export function safeNext(
  next: string | null | undefined,
  origin: string = window.location.origin,
): string {
  return safeConsolePath(next, origin);
}

export function signInPath(current: string, expired = false): string {
  const params = new URLSearchParams({ next: current });
  if (expired) params.set('reason', 'expired');
  return `/sign-in?${params.toString()}`;
}

/** A 401 anywhere (session expired or revoked) drops cached data and goes to sign-in, then back here. */
export function installSessionExpiry(
  queryClient: QueryClient,
  navigate: (to: string) => void,
): () => void {
  onUnauthorized(() => {
    const { pathname, search } = window.location;
    if (pathname.startsWith('/sign-in')) return;
    queryClient.clear();
    navigate(signInPath(pathname + search, true));
  });
  return () => onUnauthorized(null);
}
