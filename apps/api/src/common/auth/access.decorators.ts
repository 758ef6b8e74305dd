import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { actorOf, type Actor, type Principal } from './principal.js';
import type { TenantRecord } from './tenant-record.js';

/**
 * Who may call a route. Every route declares one; the global AccessGuard enforces it.
 * - public: no authentication (`csrf` also checks a cross-site Origin on writes, for login);
 * - user: any signed-in user; platform-read: platform admin or viewer; platform-admin: admin only;
 * - tenant-read / tenant-write: routes with `:slug`; platform roles or a membership (editor for writes);
 * - resolve: tenant or platform keys (the /resolve routes; keys can call nothing else).
 */
export type AccessRule =
  | { kind: 'public'; csrf?: boolean }
  | { kind: 'user' }
  | { kind: 'platform-read' }
  | { kind: 'platform-admin' }
  | { kind: 'tenant-read' }
  | { kind: 'tenant-write' }
  | { kind: 'resolve' };

export const ACCESS_KEY = 'corsplane:access';
export const Access = (rule: AccessRule) => SetMetadata(ACCESS_KEY, rule);
export const Public = (opts: { csrf?: boolean } = {}) => Access({ kind: 'public', ...opts });
export const AnyUser = () => Access({ kind: 'user' });
export const PlatformRead = () => Access({ kind: 'platform-read' });
export const PlatformAdmin = () => Access({ kind: 'platform-admin' });
export const TenantRead = () => Access({ kind: 'tenant-read' });
export const TenantWrite = () => Access({ kind: 'tenant-write' });
export const ResolveKey = () => Access({ kind: 'resolve' });

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    tenant?: TenantRecord;
  }
}

/** The authenticated principal (set by AccessGuard). */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => {
    const req = ctx.switchToHttp().getRequest<FastifyRequest>();
    if (!req.principal) throw new Error('CurrentPrincipal used on a public route');
    return req.principal;
  },
);

/** The tenant named by `:slug`, loaded and access-checked by AccessGuard. */
export const CurrentTenant = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): TenantRecord => {
    const req = ctx.switchToHttp().getRequest<FastifyRequest>();
    if (!req.tenant) throw new Error('CurrentTenant used on a route without a tenant rule');
    return req.tenant;
  },
);

/** The audit actor: principal plus request id. */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const req = ctx.switchToHttp().getRequest<FastifyRequest>();
  if (!req.principal) throw new Error('CurrentActor used on a public route');
  return actorOf(req.principal, req.id);
});
