import type { BlockedOriginsFilter } from './get-blocked-origins.js';

/**
 * Query keys of the blocked-origins feature, all under the tenant (switching tenants never shows another's
 * rows): invalidating `all(slug)` refreshes the list and the chart.
 */
export const blockedOriginsKeys = {
  all: (slug: string) => ['tenants', slug, 'blocked-origins'] as const,
  list: (slug: string, f: BlockedOriginsFilter) => ['tenants', slug, 'blocked-origins', f] as const,
  timeline: (slug: string, f: object) =>
    ['tenants', slug, 'blocked-origins', 'timeline', f] as const,
  /** The Allow dialog's check of the refused request against the current policy (never cached). */
  verdict: (slug: string, request: object | null) =>
    ['tenants', slug, 'simulate', request] as const,
  /**
   * The policy feature's scope and the versions list, which an applied fix changes. Spelled here
   * rather than imported: the policy feature's index would pull the editor into this page's chunk.
   * They must stay equal to `policyKeys.all` and `policyKeys.versions`.
   */
  policy: (slug: string) => ['tenants', slug, 'policy'] as const,
  versions: (slug: string) => ['tenants', slug, 'versions'] as const,
};
