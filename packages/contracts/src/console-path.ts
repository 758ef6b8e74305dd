/** Where the console goes when a requested path is not one of its own. */
export const CONSOLE_HOME = '/tenants';
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
 * Where to come back to after signing in (the console's `?next=`, SSO's `next`): a path of the console at
 * `origin`, not sign-in itself, else the tenants list. Resolved as a browser would, so no spelling of
 * another site gets through. The console and the API's SSO callback both use this one rule.
 */
export function safeConsolePath(next: string | null | undefined, origin: string): string {
  if (!next || !next.startsWith('/') || next.startsWith('//')) return CONSOLE_HOME;
  let decoded: string;
  try {
    decoded = decodeURIComponent(next);
  } catch {
    return CONSOLE_HOME;
  }
  if (hasSlashLookalike(decoded)) return CONSOLE_HOME;
  const url = new URL(next, origin);
  if (url.origin !== origin || url.pathname === '/sign-in' || url.pathname.startsWith('/sign-in/'))
    return CONSOLE_HOME;
  return `${url.pathname}${url.search}${url.hash}`;
}
