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
};
