import path from 'node:path';
import { REPO_ROOT } from '../../config/env.schema.js';

/** Where `vite build` of apps/admin writes the console. */
export const CONSOLE_DIST_DIR = path.join(REPO_ROOT, 'apps', 'admin', 'dist');

/** Paths that belong to the API: never answered with the console's index.html. */
const API_PREFIXES = ['/v1', '/resolve', '/healthz', '/readyz', '/metrics', '/docs'];

/**
 * True for GET paths the single-page console owns (client-side routes such as /tenants/acme/policy).
 * API paths and file-like paths (a missing /assets/x.js) get a real 404, never index.html.
 */
export function isConsolePath(url: string): boolean {
  const pathname = url.split('?')[0] ?? '/';
  if (
    API_PREFIXES.some(
      (p) => pathname === p || pathname.startsWith(`${p}/`) || pathname.startsWith(`${p}-`),
    )
  )
    return false;
  const last = pathname.slice(pathname.lastIndexOf('/') + 1);
  return !last.includes('.');
}
