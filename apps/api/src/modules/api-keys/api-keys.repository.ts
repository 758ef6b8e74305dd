import { Injectable } from '@nestjs/common';
import { PrismaService, type Db } from '../../prisma/prisma.service.js';

/** Tenant keys are scoped by tenantId; platform keys have a null tenantId. */
@Injectable()
export class ApiKeysRepository {
  constructor(private readonly prisma: PrismaService) {}

  list(tenantId: string | null) {
    return this.prisma.apiKey.findMany({ where: { tenantId }, orderBy: { createdAt: 'desc' } });
  }

  find(tenantId: string | null, id: string, db: Db = this.prisma) {
    return db.apiKey.findFirst({ where: { tenantId, id } });
  }

  findByPrefix(prefix: string) {
    return this.prisma.apiKey.findUnique({
      where: { prefix },
      include: { tenant: { select: { slug: true } } },
    });
  }

  create(
    db: Db,
    tenantId: string | null,
    data: { name: string; prefix: string; secretHash: string; createdById: string | null },
  ) {
    return db.apiKey.create({ data: { tenantId, ...data } });
  }

  revoke(db: Db, tenantId: string | null, id: string) {
    return db.apiKey.updateMany({
      where: { tenantId, id, revokedAt: null },
      data: { revokedAt: new Date() },
    });
  }

  touch(id: string) {
    return this.prisma.apiKey.update({ where: { id }, data: { lastUsedAt: new Date() } });
  }
}
