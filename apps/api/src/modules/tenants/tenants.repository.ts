import { Injectable } from '@nestjs/common';
import { PrismaService, type Db } from '../../prisma/prisma.service.js';

@Injectable()
export class TenantsRepository {
  constructor(private readonly prisma: PrismaService) {}

  findBySlug(slug: string, db: Db = this.prisma) {
    return db.tenant.findUnique({ where: { slug } });
  }

  findBySlugs(slugs: string[], db: Db = this.prisma) {
    return db.tenant.findMany({ where: { slug: { in: slugs } } });
  }

  /** All tenants, or only those whose ids are given (a member's tenants). */
  list(ids?: string[]) {
    return this.prisma.tenant.findMany({
      where: ids ? { id: { in: ids } } : {},
      orderBy: { slug: 'asc' },
    });
  }

  create(db: Db, data: { slug: string; name: string }) {
    return db.tenant.create({ data });
  }

  update(db: Db, id: string, data: { name: string }) {
    return db.tenant.update({ where: { id }, data });
  }

  /** Cascades to the policy, versions, origin entries, keys, memberships and blocked-origin counts. */
  delete(db: Db, id: string) {
    return db.tenant.delete({ where: { id } });
  }

  count() {
    return this.prisma.tenant.count();
  }
}
