import type { QueryClient } from '@tanstack/react-query';
import { policyQueryOptions } from './api/get-policy.js';
import { originsQueryOptions } from './api/get-origins.js';

/**
 * Start the editor's two reads (the first page of origins, the settings) as soon as the route is
 * matched, alongside the session check and the page's code, instead of after them. Fresh cached
 * answers are not asked again (the query client's staleTime).
 */
export function prefetchPolicyEditor(qc: QueryClient, slug: string): void {
  void qc.prefetchInfiniteQuery(originsQueryOptions(slug, ''));
  void qc.prefetchQuery(policyQueryOptions(slug));
}
