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

  findUserBySubject(db: Db, oidcSubject: string) {
    return db.user.findUnique({ where: { oidcSubject } });
  }

  async emailTaken(db: Db, email: string): Promise<boolean> {
    return (await db.user.count({ where: { email } })) > 0;
  }

  createSsoUser(
    db: Db,
    data: { email: string; name: string | null; passwordHash: string; oidcSubject: string },
  ) {
    return db.user.create({ data });
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
      expiresAt: Date;
      parentId: string | null;
    },
  ) {
    return db.adminToken.create({ data });
  }

  /**
   * Locks a token's row until the transaction ends and returns its expiry, or null when it is revoked or
   * expired. Minting under it and revoking it both lock this row first, so a token minted while its parent
   * is being revoked is either refused here or seen (and revoked) by the revocation.
   */
  async lockLiveToken(db: Db, id: string): Promise<{ expiresAt: Date } | null> {
    const rows = await db.$queryRaw<Array<{ expires_at: Date }>>`
      SELECT expires_at FROM admin_tokens
       WHERE id = ${id}::uuid AND revoked_at IS NULL AND expires_at > now()
         FOR UPDATE`;
    return rows[0] ? { expiresAt: rows[0].expires_at } : null;
  }

  /** Revokes a token of `userId` and every token minted under it, at any depth; returns the ids revoked. */
  async revokeTokenTree(db: Db, userId: string, id: string): Promise<string[]> {
    await db.$queryRaw`SELECT id FROM admin_tokens WHERE id = ${id}::uuid FOR UPDATE`;
    // A new statement, so its snapshot includes tokens minted under this one until the lock above.
    const rows = await db.$queryRaw<Array<{ id: string }>>`
      WITH RECURSIVE tree AS (
        SELECT id FROM admin_tokens WHERE id = ${id}::uuid AND user_id = ${userId}::uuid
        UNION ALL
        SELECT c.id FROM admin_tokens c JOIN tree ON c.parent_id = tree.id
      )
      UPDATE admin_tokens SET revoked_at = now()
       WHERE id IN (SELECT id FROM tree) AND revoked_at IS NULL
      RETURNING id::text AS id`;
    return rows.map((r) => r.id);
  }

  touchToken(id: string) {
    return this.prisma.adminToken.update({ where: { id }, data: { lastUsedAt: new Date() } });
  }
}
