import { Injectable } from '@nestjs/common';
import type { PlatformRole, TenantRole } from '../../generated/prisma/client.js';
import { PrismaService, type Db } from '../../prisma/prisma.service.js';

const include = { memberships: { include: { tenant: { select: { slug: true } } } } } as const;

/** Pending: neither accepted nor revoked, and not yet expired (for listing; `consume` asks the database's clock). */
const pending = () => ({ acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } });

/** What one consumed invitation grants (the row as the consuming UPDATE returned it). */
export interface ConsumedInvitation {
  id: string;
  email: string;
  name: string | null;
  platformRole: PlatformRole | null;
}

@Injectable()
export class InvitationsRepository {
  constructor(private readonly prisma: PrismaService) {}

  listPending() {
    return this.prisma.invitation.findMany({
      where: pending(),
      include,
      orderBy: { createdAt: 'desc' },
    });
  }

  find(id: string, db: Db = this.prisma) {
    return db.invitation.findUnique({ where: { id }, include });
  }

  findPendingByTokenHash(tokenHash: string) {
    return this.prisma.invitation.findFirst({ where: { tokenHash, ...pending() }, include });
  }

  create(
    db: Db,
    data: {
      email: string;
      name: string | null;
      platformRole: PlatformRole | null;
      tokenHash: string;
      createdById: string | null;
      createdByLabel: string;
      expiresAt: Date;
      memberships: Array<{ tenantId: string; role: TenantRole }>;
    },
  ) {
    const { memberships, ...row } = data;
    return db.invitation.create({
      data: { ...row, memberships: { create: memberships } },
      include,
    });
  }

  /**
   * Deletes invitations that expired before `cutoff` (used, revoked or never used alike: every invitation
   * ends at its expiry), with their memberships (cascade). Their create, revoke and accept stay in the audit log.
   */
  async purgeExpiredBefore(db: Db, cutoff: Date): Promise<number> {
    const { count } = await db.invitation.deleteMany({ where: { expiresAt: { lt: cutoff } } });
    return count;
  }

  /** Revokes the pending invitations of one email (a new invitation replaces them); returns their ids. */
  async revokePendingFor(db: Db, email: string): Promise<string[]> {
    const rows = await db.invitation.findMany({
      where: { email, ...pending() },
      select: { id: true },
    });
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    await db.invitation.updateMany({
      where: { id: { in: ids }, ...pending() },
      data: { revokedAt: new Date() },
    });
    return ids;
  }

  /** Revokes one pending invitation; false when there is none with that id. */
  async revoke(db: Db, id: string): Promise<boolean> {
    const { count } = await db.invitation.updateMany({
      where: { id, ...pending() },
      data: { revokedAt: new Date() },
    });
    return count === 1;
  }

  /**
   * Uses an invitation up, in ONE conditional statement: of any number of concurrent accepts, exactly one
   * gets the row (the others wait on its row lock, then find `accepted_at` set and get nothing). Expiry is
   * judged by the database's clock, the same for every replica.
   */
  async consume(db: Db, tokenHash: string): Promise<ConsumedInvitation | null> {
    const rows = await db.$queryRaw<
      Array<{ id: string; email: string; name: string | null; platform_role: PlatformRole | null }>
    >`
      UPDATE invitations SET accepted_at = now()
       WHERE token_hash = ${tokenHash}
         AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()
      RETURNING id::text, email, name, platform_role::text AS platform_role`;
    const row = rows[0];
    return row
      ? { id: row.id, email: row.email, name: row.name, platformRole: row.platform_role }
      : null;
  }

  /** The memberships an invitation grants, for tenants that still exist (a deleted tenant took its row). */
  memberships(db: Db, invitationId: string) {
    return db.invitationMembership.findMany({
      where: { invitationId },
      select: { tenantId: true, role: true },
    });
  }

  markAcceptedBy(db: Db, id: string, userId: string) {
    return db.invitation.update({ where: { id }, data: { acceptedUserId: userId } });
  }
}
