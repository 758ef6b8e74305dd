import { Injectable } from '@nestjs/common';
import type { PlatformRole, TenantRole } from '../../generated/prisma/client.js';
import { PrismaService, type Db } from '../../prisma/prisma.service.js';

const include = { memberships: { include: { tenant: { select: { slug: true } } } } } as const;

@Injectable()
export class UsersRepository {
  constructor(private readonly prisma: PrismaService) {}

  list() {
    return this.prisma.user.findMany({ include, orderBy: { email: 'asc' } });
  }

  find(id: string, db: Db = this.prisma) {
    return db.user.findUnique({ where: { id }, include });
  }

  findByEmail(email: string, db: Db = this.prisma) {
    return db.user.findUnique({ where: { email }, include });
  }

  count() {
    return this.prisma.user.count();
  }

  create(
    db: Db,
    data: {
      email: string;
      name: string | null;
      passwordHash: string;
      platformRole: PlatformRole | null;
    },
  ) {
    return db.user.create({ data });
  }

  update(
    db: Db,
    id: string,
    data: {
      name?: string | null;
      passwordHash?: string;
      platformRole?: PlatformRole | null;
      disabledAt?: Date | null;
    },
  ) {
    return db.user.update({ where: { id }, data });
  }

  async replaceMemberships(
    db: Db,
    userId: string,
    memberships: Array<{ tenantId: string; role: TenantRole }>,
  ) {
    await db.tenantMembership.deleteMany({ where: { userId } });
    if (memberships.length)
      await db.tenantMembership.createMany({ data: memberships.map((m) => ({ ...m, userId })) });
  }

  /** Signing out everywhere: when a user is disabled or their password changes. */
  async revokeCredentials(db: Db, userId: string) {
    await db.session.deleteMany({ where: { userId } });
    await db.adminToken.updateMany({
      where: { userId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
  }

  delete(db: Db, id: string) {
    return db.user.delete({ where: { id } });
  }
}
