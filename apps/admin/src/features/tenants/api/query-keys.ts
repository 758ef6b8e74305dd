/**
 * Every query key of the tenants feature, from one place. Lists live under their own root so that a
 * tenant's scope (`['tenants', slug]`, which other features' keys extend) can never collide with them.
 */
export const tenantKeys = {
  /** Every tenant list (any search, any size): what a tenant or policy change invalidates. */
  lists: () => ['tenant-list'] as const,
  /** The first 500 tenants, for pickers (memberships, audit filter). */
  picker: () => [...tenantKeys.lists(), 'picker'] as const,
  /** The paged list page for one search (`q` trimmed, '' for all). */
  list: (q: string) => [...tenantKeys.lists(), 'paged', { q }] as const,
  /** Everything cached about one tenant (its policy, keys, blocked origins… extend it). */
  scope: (slug: string) => ['tenants', slug] as const,
  detail: (slug: string) => [...tenantKeys.scope(slug), 'tenant'] as const,
};
