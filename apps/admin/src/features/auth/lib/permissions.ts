import type { Me } from '@corsplane/contracts';

export const isPlatformAdmin = (me: Me | undefined): boolean => me?.platformRole === 'admin';

/** Platform admins and the tenant's editors change its policy and keys; everyone else reads. */
export function canEditTenant(me: Me | undefined, slug: string): boolean {
  if (!me) return false;
  if (me.platformRole === 'admin') return true;
  return me.memberships.some((m) => m.tenant === slug && m.role === 'editor');
}
