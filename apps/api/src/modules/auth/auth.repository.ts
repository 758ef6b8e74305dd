import { Injectable } from '@nestjs/common';
import { PrismaService, type Db } from '../../prisma/prisma.service.js';

const withMemberships = {
  memberships: { include: { tenant: { select: { slug: true } } } },
} as const;

@Injectable()
export class AuthRepository {
  constructor(private readonly prisma: PrismaService) {}

  findUserByEmail(email: string) {
    return this.prisma.user.findUnique({ where: { email }, include: withMemberships });
  }

  findUserById(id: string) {
    return this.prisma.user.findUnique({ where: { id }, include: withMemberships });
  }

  createSession(db: Db, data: { userId: string; tokenHash: string; expiresAt: Date }) {
    return db.session.create({ data });
  }

  findSession(tokenHash: string) {
    return this.prisma.session.findUnique({
      where: { tokenHash },
      include: { user: { include: withMemberships } },
    });
  }

  deleteSession(db: Db, id: string) {
    return db.session.deleteMany({ where: { id } });
  }

  deleteExpiredSessions() {
    return this.prisma.session.deleteMany({ where: { expiresAt: { lt: new Date() } } });
  }

  listTokens(userId: string) {
    return this.prisma.adminToken.findMany({ where: { userId }, orderBy: { createdAt: 'desc' } });
  }

  findTokenByPrefix(prefix: string) {
    return this.prisma.adminToken.findUnique({
      where: { prefix },
      include: { user: { include: withMemberships } },
    });
  }

  findToken(userId: string, id: string, db: Db = this.prisma) {
    return db.adminToken.findFirst({ where: { userId, id } });
  }

  createToken(
    db: Db,
    data: {
      userId: string;
      name: string;
      prefix: string;
      secretHash: string;
      expiresAt: Date | null;
    },
  ) {
    return db.adminToken.create({ data });
  }

  revokeToken(db: Db, userId: string, id: string) {
    return db.adminToken.updateMany({
      where: { userId, id, revokedAt: null },
      data: { revokedAt: new Date() },
    });
  }

  touchToken(id: string) {
    return this.prisma.adminToken.update({ where: { id }, data: { lastUsedAt: new Date() } });
  }
}
