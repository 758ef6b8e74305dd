import { policyKeys } from '../../policy/index.js';

/** Query keys of the versions feature: the list is the policy feature's (every policy write extends it). */
export const versionKeys = {
  all: (slug: string) => policyKeys.versions(slug),
  list: (slug: string, limit: number) => [...policyKeys.versions(slug), { limit }] as const,
  /** One version's document (immutable). */
  one: (slug: string, version: number) => [...policyKeys.versions(slug), 'one', version] as const,
  /** A restore changes the policy: its whole scope (settings, origins, baseline) is stale. */
  policy: (slug: string) => policyKeys.all(slug),
  /** Everything cached about the tenant, for a 412 (someone saved meanwhile). */
  tenant: (slug: string) => ['tenants', slug] as const,
};
