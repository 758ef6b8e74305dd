import type { TenantRole } from '@corsplane/contracts';

/** A user's tenant memberships as the API shows them (`GET /v1/auth/me`, `/v1/users`): by slug. */
export function membershipList(
  memberships: ReadonlyArray<{ role: TenantRole; tenant: { slug: string } }>,
): Array<{ tenant: string; role: TenantRole }> {
  return memberships
    .map((m) => ({ tenant: m.tenant.slug, role: m.role }))
    .sort((a, b) => a.tenant.localeCompare(b.tenant));
}
