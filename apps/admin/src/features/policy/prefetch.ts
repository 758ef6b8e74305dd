import type { QueryClient } from '@tanstack/react-query';
import { policyQueryOptions } from './api/get-policy.js';
import { originsQueryOptions } from './api/get-origins.js';

/**
 * Start the editor's reads (the first page of origins, then the settings) as soon as the route is
 * matched, alongside the session check and the page's code, instead of after them. Fresh cached
 * answers are not asked again (the query client's staleTime).
 */
export function prefetchPolicyEditor(qc: QueryClient, slug: string): void {
  // The settings read carries every origin (up to 100,000: seconds of server work): it follows the
  // first page instead of competing with it.
  void qc
    .prefetchInfiniteQuery(originsQueryOptions(slug, ''))
    .then(() => qc.prefetchQuery(policyQueryOptions(slug)));
}
