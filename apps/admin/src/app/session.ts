import type { QueryClient } from '@tanstack/react-query';
import { onUnauthorized } from '../lib/api-client.js';

const HOME = '/tenants';
// Browsers read `\` as `/` and drop tabs and newlines in URLs, so `/\evil.com` means `//evil.com`: such
// characters (also percent-encoded) never belong in a console path.
function hasSlashLookalike(path: string): boolean {
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c === 0x5c || c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/**
 * Where to come back to after signing in: a path of this console (same origin, not sign-in itself),
 * else the tenants list. Resolved as the browser would, so no spelling of another site gets through.
 */
export function safeNext(
  next: string | null | undefined,
  origin: string = window.location.origin,
): string {
  if (!next || !next.startsWith('/') || next.startsWith('//')) return HOME;
  let decoded: string;
  try {
    decoded = decodeURIComponent(next);
  } catch {
    return HOME;
  }
  if (hasSlashLookalike(decoded)) return HOME;
  const url = new URL(next, origin);
  if (url.origin !== origin || url.pathname === '/sign-in' || url.pathname.startsWith('/sign-in/'))
    return HOME;
  return `${url.pathname}${url.search}${url.hash}`;
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
