import { Inject, Injectable } from '@nestjs/common';
import type { AdminToken, CreateAdminToken, CreatedAdminToken, Me } from '@corsplane/contracts';
import { PrismaService } from '../../prisma/prisma.service.js';
import { ENV, type Env } from '../../config/env.schema.js';
import { AppError } from '../../common/errors/app-error.js';
import { membershipList } from '../../common/auth/membership-list.js';
import type { Actor, UserPrincipal } from '../../common/auth/principal.js';
import {
  digestsEqual,
  DUMMY_PASSWORD_HASH,
  hashPassword,
  newPrefixedSecret,
  prefixOf,
  randomToken,
  sha256,
  verifyPassword,
} from '../../common/crypto/secrets.js';
import { AuditService } from '../audit/audit.service.js';
import { TenantsRepository } from '../tenants/tenants.repository.js';
import { UsersRepository } from '../users/users.repository.js';
import { AuthRepository } from './auth.repository.js';
import type { OidcIdentity } from './oidc-client.service.js';
import { rolesFromClaim } from './oidc-roles.js';
import { LoginThrottleService } from './login-throttle.service.js';

/** Admin tokens look like `cpa_ab12cd34_<43 random chars>`; `cpa_ab12cd34` is the stored, visible prefix. */
export const ADMIN_TOKEN_KIND = 'cpa';
export const SESSION_COOKIE = 'corsplane_session';

type UserWithMemberships = NonNullable<Awaited<ReturnType<AuthRepository['findUserById']>>>;

function principalOf(u: UserWithMemberships, via: 'session' | 'token', id: string): UserPrincipal {
  return {
    kind: 'user',
    userId: u.id,
    email: u.email,
    platformRole: u.platformRole,
    memberships: new Map(u.memberships.map((m) => [m.tenantId, m.role])),
    via,
    ...(via === 'session' ? { sessionId: id } : { tokenId: id }),
  };
}

function toAdminToken(t: {
  id: string;
  parentId: string | null;
  name: string;
  prefix: string;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}): AdminToken {
  return {
    id: t.id,
    name: t.name,
    prefix: t.prefix,
    parentId: t.parentId,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  };
}

@Injectable()
export class AuthService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly auth: AuthRepository,
    private readonly throttle: LoginThrottleService,
    private readonly audit: AuditService,
    private readonly users: UsersRepository,
    private readonly tenants: TenantsRepository,
    @Inject(ENV) private readonly env: Env,
  ) {}

  /** Checks the password (scrypt) and opens a session; returns the cookie token (only its hash is stored). */
  async login(
    emailInput: string,
    password: string,
    ip: string,
    requestId: string,
  ): Promise<{ token: string; expiresAt: Date; me: Me }> {
    const email = emailInput.trim().toLowerCase();
    const attempt = await this.throttle.begin(email, ip);
    const user = await this.auth.findUserByEmail(email);
    // Unknown accounts cost one scrypt too, so timing does not tell which emails exist.
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
    if (!user || !ok || user.disabledAt)
      throw new AppError('unauthenticated', 'Invalid email or password');
    await attempt.succeeded();
    return this.openSession(user, requestId, 'auth.login');
  }

  /**
   * Signs in a user the identity provider vouched for: found by its subject (created on first sign-in),
   * with platform role and memberships set from the roles claim every time, so a change at the provider
   * takes effect at the next sign-in. A local account with the same email is never taken over (409): local
   * accounts stay separate, for bootstrap and break-glass.
   */
  async signInWithSso(
    identity: OidcIdentity,
    requestId: string,
  ): Promise<{ token: string; expiresAt: Date; me: Me }> {
    const roles = rolesFromClaim(identity.roles);
    const unusablePassword = await hashPassword(randomToken(32));
    const userId = await this.prisma.$transaction(async (tx) => {
      let user = await this.auth.findUserBySubject(tx, identity.subject);
      if (!user) {
        if (await this.auth.emailTaken(tx, identity.email))
          throw new AppError(
            'conflict',
            `A local account already uses ${identity.email}: sign in with its password`,
          );
        user = await this.auth.createSsoUser(tx, {
          email: identity.email,
          name: identity.name,
          passwordHash: unusablePassword,
          oidcSubject: identity.subject,
        });
      }
      if (user.disabledAt) throw new AppError('unauthenticated', 'This account is disabled');
      const tenants = await this.tenants.findBySlugs(
        roles.memberships.map((m) => m.slug),
        tx,
      );
      const idOf = new Map(tenants.map((t) => [t.slug, t.id]));
      const memberships = roles.memberships.flatMap((m) => {
        const tenantId = idOf.get(m.slug);
        return tenantId ? [{ tenantId, role: m.role }] : [];
      });
      await this.users.update(tx, user.id, { platformRole: roles.platformRole });
      await this.users.replaceMemberships(tx, user.id, memberships);
      return user.id;
    });
    const user = await this.auth.findUserById(userId);
    if (!user) throw new AppError('unauthenticated', 'Not signed in');
    return this.openSession(user, requestId, 'auth.sso.login');
  }

  /** Opens the first session of a user who just accepted an invitation (the invitations module made them). */
  async signInInvited(
    userId: string,
    requestId: string,
  ): Promise<{ token: string; expiresAt: Date; me: Me }> {
    const user = await this.auth.findUserById(userId);
    if (!user) throw new AppError('unauthenticated', 'Not signed in');
    return this.openSession(user, requestId, 'auth.login');
  }

  private async openSession(
    user: UserWithMemberships,
    requestId: string,
    action: 'auth.login' | 'auth.sso.login',
  ): Promise<{ token: string; expiresAt: Date; me: Me }> {
    const token = randomToken(32);
    const expiresAt = new Date(Date.now() + this.env.SESSION_TTL_HOURS * 3600_000);
    const actor: Actor = { type: 'user', id: user.id, label: user.email, requestId };
    await this.prisma.$transaction(async (tx) => {
      const s = await this.auth.createSession(tx, {
        userId: user.id,
        tokenHash: sha256(token),
        expiresAt,
      });
      await this.audit.record(tx, actor, {
        action,
        target: { type: 'session', id: s.id },
        ...(action === 'auth.sso.login' ? { after: this.meOf(user, 'session') } : {}),
      });
    });
    void this.auth.deleteExpiredSessions().catch(() => undefined);
    return { token, expiresAt, me: this.meOf(user, 'session') };
  }

  async logout(principal: UserPrincipal, actor: Actor): Promise<void> {
    if (!principal.sessionId) return;
    const sessionId = principal.sessionId;
    await this.prisma.$transaction(async (tx) => {
      await this.auth.deleteSession(tx, sessionId);
      await this.audit.record(tx, actor, {
        action: 'auth.logout',
        target: { type: 'session', id: sessionId },
      });
    });
  }

  /** The principal of a session cookie, or null when unknown, expired or the user is disabled. */
  async fromSession(token: string): Promise<UserPrincipal | null> {
    if (token.length > 200) return null;
    const s = await this.auth.findSession(sha256(token));
    if (!s || s.expiresAt.getTime() <= Date.now() || s.user.disabledAt) return null;
    return principalOf(s.user, 'session', s.id);
  }

  /** The principal of an admin bearer token: prefix lookup, constant-time digest comparison. */
  async fromAdminToken(secret: string): Promise<UserPrincipal | null> {
    const prefix = prefixOf(secret, ADMIN_TOKEN_KIND);
    if (!prefix) return null;
    const t = await this.auth.findTokenByPrefix(prefix);
    if (!t || !digestsEqual(sha256(secret), t.secretHash)) return null;
    if (t.revokedAt || t.expiresAt.getTime() <= Date.now() || t.user.disabledAt) return null;
    void this.auth.touchToken(t.id).catch(() => undefined);
    return principalOf(t.user, 'token', t.id);
  }

  async me(principal: UserPrincipal): Promise<Me> {
    const user = await this.auth.findUserById(principal.userId);
    if (!user) throw new AppError('unauthenticated', 'Not signed in');
    return this.meOf(user, principal.via);
  }

  private meOf(u: UserWithMemberships, via: 'session' | 'token'): Me {
    return {
      id: u.id,
      email: u.email,
      name: u.name,
      platformRole: u.platformRole,
      memberships: membershipList(u.memberships),
      authMethod: via,
    };
  }

  async listTokens(principal: UserPrincipal): Promise<{ items: AdminToken[] }> {
    return { items: (await this.auth.listTokens(principal.userId)).map(toAdminToken) };
  }

  /**
   * A bearer token acting as its user; the secret is returned once, its SHA-256 stored. Every token expires
   * (ADMIN_TOKEN_MAX_DAYS at most). One minted with a token is that token's child: it expires no later than
   * its parent and is revoked with it, so a leaked token cannot leave behind credentials that outlive it.
   */
  async createToken(
    principal: UserPrincipal,
    input: CreateAdminToken,
    actor: Actor,
  ): Promise<CreatedAdminToken> {
    const maxDays = this.env.ADMIN_TOKEN_MAX_DAYS;
    if (input.expiresInDays !== undefined && input.expiresInDays > maxDays)
      throw new AppError(
        'bad-request',
        `Admin tokens live at most ${maxDays} days (ADMIN_TOKEN_MAX_DAYS): ask for fewer in expiresInDays`,
      );
    const { prefix, secret, hash } = newPrefixedSecret(ADMIN_TOKEN_KIND);
    const parentId = principal.via === 'token' ? (principal.tokenId ?? null) : null;
    const row = await this.prisma.$transaction(async (tx) => {
      let expiresAt = new Date(Date.now() + (input.expiresInDays ?? maxDays) * 86400_000);
      if (parentId) {
        const parent = await this.auth.lockLiveToken(tx, parentId);
        if (!parent) throw new AppError('unauthenticated', 'This token was revoked or has expired');
        if (parent.expiresAt < expiresAt) expiresAt = parent.expiresAt;
      }
      const t = await this.auth.createToken(tx, {
        userId: principal.userId,
        name: input.name,
        prefix,
        secretHash: hash,
        expiresAt,
        parentId,
      });
      await this.audit.record(tx, actor, {
        action: 'auth.token.create',
        target: { type: 'admin-token', id: t.id },
        after: toAdminToken(t),
      });
      return t;
    });
    return { ...toAdminToken(row), token: secret };
  }

  /** Revokes one of the principal's tokens and every token minted under it (one audit row each). */
  async revokeToken(principal: UserPrincipal, id: string, actor: Actor): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const exists = await this.auth.findToken(principal.userId, id, tx);
      if (!exists) throw new AppError('not-found', 'Token not found');
      const revoked = await this.auth.revokeTokenTree(tx, principal.userId, id);
      for (const revokedId of revoked) {
        const after = await this.auth.findToken(principal.userId, revokedId, tx);
        await this.audit.record(tx, actor, {
          action: 'auth.token.revoke',
          target: { type: 'admin-token', id: revokedId },
          before: after ? toAdminToken({ ...after, revokedAt: null }) : null,
          after: after ? toAdminToken(after) : null,
        });
      }
    });
  }
}
