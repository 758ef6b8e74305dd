import { Injectable } from '@nestjs/common';
import type { CreateUser, UpdateUser, User } from '@corsplane/contracts';
import { Prisma } from '../../generated/prisma/client.js';
import { PrismaService, type Db } from '../../prisma/prisma.service.js';
import { AppError } from '../../common/errors/app-error.js';
import { membershipList } from '../../common/auth/membership-list.js';
import type { Actor } from '../../common/auth/principal.js';
import { weakPasswordIssue } from '../../common/crypto/password-strength.js';
import { hashPassword } from '../../common/crypto/secrets.js';
import { AuditService } from '../audit/audit.service.js';
import { TenantsRepository } from '../tenants/tenants.repository.js';
import { UsersRepository } from './users.repository.js';

export type UserRow = NonNullable<Awaited<ReturnType<UsersRepository['find']>>>;

/**
 * Refuses (400, naming the reason) a password zxcvbn rates as guessable: on create, on change and when an
 * invitation is accepted.
 */
export function assertStrongPassword(password: string, context: string[]): void {
  const issue = weakPasswordIssue(password, context);
  if (issue) throw new AppError('bad-request', issue.message, [issue]);
}

/** Never includes the password hash: this is also what the audit log stores. */
export function toUser(u: UserRow): User {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    platformRole: u.platformRole,
    memberships: membershipList(u.memberships),
    disabled: u.disabledAt !== null,
    createdAt: u.createdAt.toISOString(),
    updatedAt: u.updatedAt.toISOString(),
  };
}

@Injectable()
export class UsersService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly users: UsersRepository,
    private readonly tenants: TenantsRepository,
    private readonly audit: AuditService,
  ) {}

  async list(): Promise<{ items: User[] }> {
    return { items: (await this.users.list()).map(toUser) };
  }

  async get(id: string): Promise<User> {
    const u = await this.users.find(id);
    if (!u) throw new AppError('not-found', 'User not found');
    return toUser(u);
  }

  /** Tenant slugs to ids; an unknown slug is a 400 naming `memberships[i].tenant`. */
  async resolveMemberships(db: Db, input: CreateUser['memberships']) {
    if (!input) return undefined;
    const slugs = [...new Set(input.map((m) => m.tenant))];
    const found = await this.tenants.findBySlugs(slugs, db);
    const bySlug = new Map(found.map((t) => [t.slug, t.id]));
    const missing = input.flatMap((m, i) =>
      bySlug.has(m.tenant)
        ? []
        : [
            {
              path: `memberships[${i}].tenant`,
              value: m.tenant,
              reason: 'not-found',
              message: `Tenant "${m.tenant}" not found`,
            },
          ],
    );
    if (missing.length) throw new AppError('bad-request', 'Unknown tenant in memberships', missing);
    const byTenant = new Map(input.map((m) => [bySlug.get(m.tenant) as string, m.role]));
    return [...byTenant].map(([tenantId, role]) => ({ tenantId, role }));
  }

  async create(input: CreateUser, actor: Actor): Promise<User> {
    const email = input.email.trim().toLowerCase();
    assertStrongPassword(input.password, [email, input.name ?? '']);
    const passwordHash = await hashPassword(input.password);
    try {
      return await this.prisma.$transaction(async (tx) => {
        const memberships = await this.resolveMemberships(tx, input.memberships);
        const created = await this.users.create(tx, {
          email,
          name: input.name ?? null,
          passwordHash,
          platformRole: input.platformRole ?? null,
        });
        if (memberships) await this.users.replaceMemberships(tx, created.id, memberships);
        const user = toUser((await this.users.find(created.id, tx)) as UserRow);
        await this.audit.record(tx, actor, {
          action: 'user.create',
          target: { type: 'user', id: user.id },
          after: user,
        });
        return user;
      });
    } catch (e) {
      if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002')
        throw new AppError('conflict', `A user with email "${email}" already exists`);
      throw e;
    }
  }

  async update(id: string, input: UpdateUser, actor: Actor): Promise<User> {
    if (
      actor.id === id &&
      (input.disabled === true ||
        (input.platformRole !== undefined && input.platformRole !== 'admin'))
    ) {
      throw new AppError('conflict', 'You cannot disable or demote yourself');
    }
    let passwordHash: string | undefined;
    if (input.password) {
      // Checked and hashed (~50 ms of scrypt) before the transaction, so no row waits on it.
      const target = await this.users.find(id);
      if (!target) throw new AppError('not-found', 'User not found');
      assertStrongPassword(input.password, [target.email, target.name ?? '']);
      passwordHash = await hashPassword(input.password);
    }
    return this.prisma.$transaction(async (tx) => {
      const beforeRow = await this.users.find(id, tx);
      if (!beforeRow) throw new AppError('not-found', 'User not found');
      const memberships = await this.resolveMemberships(tx, input.memberships);
      await this.users.update(tx, id, {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(passwordHash ? { passwordHash } : {}),
        ...(input.platformRole !== undefined ? { platformRole: input.platformRole } : {}),
        ...(input.disabled !== undefined
          ? { disabledAt: input.disabled ? (beforeRow.disabledAt ?? new Date()) : null }
          : {}),
      });
      if (memberships) await this.users.replaceMemberships(tx, id, memberships);
      if (passwordHash || input.disabled) await this.users.revokeCredentials(tx, id);
      const after = toUser((await this.users.find(id, tx)) as UserRow);
      await this.audit.record(tx, actor, {
        action: 'user.update',
        target: { type: 'user', id },
        before: toUser(beforeRow),
        after: { ...after, ...(passwordHash ? { passwordChanged: true } : {}) },
      });
      return after;
    });
  }

  async delete(id: string, actor: Actor): Promise<void> {
    if (actor.id === id) throw new AppError('conflict', 'You cannot delete yourself');
    await this.prisma.$transaction(async (tx) => {
      const before = await this.users.find(id, tx);
      if (!before) throw new AppError('not-found', 'User not found');
      await this.users.delete(tx, id);
      await this.audit.record(tx, actor, {
        action: 'user.delete',
        target: { type: 'user', id },
        before: toUser(before),
      });
    });
  }
}
