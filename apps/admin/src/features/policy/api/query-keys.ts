/**
 * Every query key of the policy feature, from one place. They live under the tenant's scope
 * (`['tenants', slug, …]`), so invalidating a tenant (a restore, a deletion) refreshes them too.
 */
export const policyKeys = {
  /** Everything about one tenant's policy: the settings document, origin pages, the baseline. */
  all: (slug: string) => ['tenants', slug, 'policy'] as const,
  /** The settings document (GET …/policy without its origins, see get-policy.ts). */
  document: (slug: string) => [...policyKeys.all(slug), 'document'] as const,
  /** Every origin-entry list of the tenant (any search). */
  originLists: (slug: string) => [...policyKeys.all(slug), 'origins'] as const,
  /** The paged origin entries for one search (`q` trimmed, '' for all). */
  origins: (slug: string, q: string) => [...policyKeys.originLists(slug), { q }] as const,
  baseline: (slug: string) => [...policyKeys.all(slug), 'baseline'] as const,
  /** The versions list, which every policy write extends (owned by the versions feature; same key). */
  versions: (slug: string) => ['tenants', slug, 'versions'] as const,
};
