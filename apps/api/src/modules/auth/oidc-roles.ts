import type { PlatformRole, TenantRole } from '@corsplane/contracts';

/** What a user may do, as the identity provider's roles claim says. */
export interface ClaimedRoles {
  platformRole: PlatformRole | null;
  memberships: Array<{ slug: string; role: TenantRole }>;
}

const PLATFORM = new Map<string, PlatformRole>([
  ['platform:admin', 'admin'],
  ['platform:viewer', 'viewer'],
]);
const TENANT_ROLES = new Set<string>(['editor', 'viewer']);
const MAX_ENTRIES = 1000;

/**
 * Reads the roles claim (OIDC_ROLES_CLAIM): an array of strings, or one space-separated string, of
 * `platform:admin`, `platform:viewer` and `tenant:<slug>:editor|viewer`. Anything else is ignored, so a
 * provider that sends other groups in the same claim does no harm. The strongest grant wins where several
 * name the same thing. At most 1,000 entries are read.
 */
export function rolesFromClaim(claim: unknown): ClaimedRoles {
  const entries =
    typeof claim === 'string' ? claim.split(/\s+/) : Array.isArray(claim) ? claim : [];
  let platformRole: PlatformRole | null = null;
  const bySlug = new Map<string, TenantRole>();
  for (const entry of entries.slice(0, MAX_ENTRIES)) {
    if (typeof entry !== 'string') continue;
    const platform = PLATFORM.get(entry);
    if (platform) {
      if (platformRole !== 'admin') platformRole = platform;
      continue;
    }
    const [kind, slug, role, ...rest] = entry.split(':');
    if (kind !== 'tenant' || !slug || !role || rest.length || !TENANT_ROLES.has(role)) continue;
    if (bySlug.get(slug) !== 'editor') bySlug.set(slug, role as TenantRole);
  }
  return { platformRole, memberships: [...bySlug].map(([slug, role]) => ({ slug, role })) };
}
