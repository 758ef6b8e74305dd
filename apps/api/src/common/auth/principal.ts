import type { PlatformRole, TenantRole } from '@corsplane/contracts';

export interface UserPrincipal {
  kind: 'user';
  userId: string;
  email: string;
  platformRole: PlatformRole | null;
  /** tenantId -> role */
  memberships: ReadonlyMap<string, TenantRole>;
  via: 'session' | 'token';
  sessionId?: string;
  tokenId?: string;
}

/** A `/resolve` key: tied to one tenant, or a platform key (tenantId null) usable with `tenant=`. */
export interface KeyPrincipal {
  kind: 'key';
  keyId: string;
  tenantId: string | null;
  prefix: string;
}

export type Principal = UserPrincipal | KeyPrincipal;

/** Who did a change, for the audit log (and the request it came with). */
export interface Actor {
  type: 'user' | 'key' | 'system';
  id: string | null;
  label: string;
  requestId: string | null;
}

export const SYSTEM_ACTOR: Actor = { type: 'system', id: null, label: 'system', requestId: null };

export function actorOf(principal: Principal, requestId: string | null): Actor {
  return principal.kind === 'user'
    ? { type: 'user', id: principal.userId, label: principal.email, requestId }
    : { type: 'key', id: principal.keyId, label: principal.prefix, requestId };
}
