import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { slugSchema } from '@corsplane/contracts';
import { ENV, type Env } from '../../config/env.schema.js';
import { ACCESS_KEY, type AccessRule } from '../auth/access.decorators.js';
import type { Principal, UserPrincipal } from '../auth/principal.js';
import { AppError } from '../errors/app-error.js';
import { AuthService, SESSION_COOKIE } from '../../modules/auth/auth.service.js';
import { ApiKeysService, KEY_KIND } from '../../modules/api-keys/api-keys.service.js';
import { TenantsRepository } from '../../modules/tenants/tenants.repository.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The one authorization point: authenticates (session cookie, admin bearer token or /resolve key), refuses
 * cross-site cookie writes, resolves `:slug` and enforces the route's AccessRule. Routes without a rule are
 * refused, so a forgotten decorator fails closed.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly keys: ApiKeysService,
    private readonly tenants: TenantsRepository,
    @Inject(ENV) private readonly env: Env,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_KEY, [
      ctx.getHandler(),
      ctx.getClass(),
    ]);
    const req = ctx.switchToHttp().getRequest<FastifyRequest>();
    if (!rule) throw new AppError('forbidden', 'This route declares no access rule');
    if (rule.kind === 'public') {
      if (rule.csrf) this.assertSameSite(req);
      return true;
    }
    const principal = await this.authenticate(req);
    req.principal = principal;
    if (principal.kind === 'key') {
      if (rule.kind !== 'resolve')
        throw new AppError('forbidden', 'API keys can only call /resolve');
      return true;
    }
    if (rule.kind === 'resolve') throw new AppError('forbidden', 'This route needs an API key');
    if (principal.via === 'session') this.assertSameSite(req);
    await this.authorize(rule, principal, req);
    return true;
  }

  private async authenticate(req: FastifyRequest): Promise<Principal> {
    const header = req.headers.authorization;
    if (header !== undefined) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      const secret = m?.[1];
      const principal = !secret
        ? null
        : secret.startsWith(`${KEY_KIND}_`)
          ? await this.keys.verify(secret)
          : await this.auth.fromAdminToken(secret);
      if (!principal) throw new AppError('unauthenticated', 'Invalid or revoked credentials');
      return principal;
    }
    const cookie = req.cookies?.[SESSION_COOKIE];
    if (cookie) {
      const principal = await this.auth.fromSession(cookie);
      if (principal) return principal;
      throw new AppError('unauthenticated', 'Your session has expired: sign in again');
    }
    throw new AppError('unauthenticated', 'Sign in, or send Authorization: Bearer <token>');
  }

  /** SPEC §4: a cookie-authenticated write whose Origin or Sec-Fetch-Site names another site is refused. */
  private assertSameSite(req: FastifyRequest): void {
    if (SAFE_METHODS.has(req.method)) return;
    if (req.headers['sec-fetch-site'] === 'cross-site')
      throw new AppError('forbidden', 'Cross-site request refused');
    const origin = req.headers.origin;
    if (origin === undefined) return;
    const own = `${req.protocol}://${req.host}`.toLowerCase();
    const o = origin.toLowerCase();
    if (o !== own && !this.env.ADMIN_ORIGINS.includes(o))
      throw new AppError('forbidden', 'Cross-site request refused');
  }

  private async authorize(rule: AccessRule, p: UserPrincipal, req: FastifyRequest): Promise<void> {
    const slug = (req.params as Record<string, string | undefined>)?.slug;
    switch (rule.kind) {
      case 'user':
        break;
      case 'platform-read':
        if (!p.platformRole) throw new AppError('forbidden', 'This needs a platform role');
        break;
      case 'platform-admin':
        if (p.platformRole !== 'admin')
          throw new AppError('forbidden', 'This needs the platform admin role');
        break;
      case 'tenant-read':
      case 'tenant-write':
        if (slug === undefined)
          throw new AppError('internal', 'Tenant rule on a route without :slug');
        break;
    }
    if (slug === undefined) return;
    if (!slugSchema.safeParse(slug).success)
      throw new AppError('bad-request', `"${slug.slice(0, 80)}" is not a valid tenant slug`);
    const tenant = await this.tenants.findBySlug(slug);
    const role = tenant ? p.memberships.get(tenant.id) : undefined;
    // Non-members learn nothing about other tenants: the same 404 as for a missing one.
    if (!tenant || (!p.platformRole && !role))
      throw new AppError('not-found', `Tenant "${slug}" not found`);
    if (rule.kind === 'tenant-write' && p.platformRole !== 'admin' && role !== 'editor') {
      throw new AppError('forbidden', 'This needs the editor role on this tenant');
    }
    req.tenant = tenant;
  }
}
