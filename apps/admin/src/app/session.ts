import type { QueryClient } from '@tanstack/react-query';
import { onUnauthorized } from '../lib/api-client.js';

/** Where to come back to after signing in: only paths of this console, never another site. */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/sign-in'))
    return '/tenants';
  return next;
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
