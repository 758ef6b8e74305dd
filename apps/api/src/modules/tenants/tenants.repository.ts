import { Injectable } from '@nestjs/common';
import { Prisma } from '../../generated/prisma/client.js';
import { PrismaService, type Db } from '../../prisma/prisma.service.js';

/** A tenant row with the summary of its current policy (see `summaries`). */
export interface TenantSummaryRow {
  id: string;
  slug: string;
  name: string;
  createdAt: Date;
  updatedAt: Date;
  mode: 'enforce' | 'report-only';
  policyVersion: number;
  originCount: number;
  lastChangedAt: Date;
  lastChangedBy: string | null;
}

@Injectable()
export class TenantsRepository {
  constructor(private readonly prisma: PrismaService) {}

  findBySlug(slug: string, db: Db = this.prisma) {
    return db.tenant.findUnique({ where: { slug } });
  }

  findBySlugs(slugs: string[], db: Db = this.prisma) {
    return db.tenant.findMany({ where: { slug: { in: slugs } } });
  }

  /**
   * All tenants (or those whose ids are given: a member's tenants) with their policy summary, by slug, in ONE
   * query however many tenants there are: the current policy joined, its origin entries counted, and the
   * version row of the current version joined for who changed it last and when.
   */
  listSummaries(o: {
    ids?: string[];
    q?: string;
    afterSlug?: string;
    limit: number;
  }): Promise<TenantSummaryRow[]> {
    if (o.ids?.length === 0) return Promise.resolve([]);
    const where: Prisma.Sql[] = [];
    if (o.ids) where.push(Prisma.sql`t.id = ANY(${o.ids}::uuid[])`);
    // A substring, never a pattern: strpos has no LIKE metacharacters to escape.
    if (o.q)
      where.push(
        Prisma.sql`(strpos(t.slug, lower(${o.q})) > 0 OR strpos(lower(t.name), lower(${o.q})) > 0)`,
      );
    // Keyset on the unique slug: a page starts after the last slug of the previous one.
    if (o.afterSlug !== undefined) where.push(Prisma.sql`t.slug COLLATE "C" > ${o.afterSlug}`);
    return this.summaries(
      where.length ? Prisma.sql`WHERE ${Prisma.join(where, ' AND ')}` : Prisma.empty,
      this.prisma,
      o.limit,
    );
  }

  /** One tenant with its policy summary (the same query as `listSummaries`). */
  async findSummary(tenantId: string, db: Db = this.prisma): Promise<TenantSummaryRow | null> {
    const rows = await this.summaries(Prisma.sql`WHERE t.id = ${tenantId}::uuid`, db);
    return rows[0] ?? null;
  }

  // Every tenant has its policy row (created in the tenant's transaction, deleted by cascade) and a version
  // row per policy version (written in the same transaction as the policy change), so the inner join drops
  // nothing; the version row is still a LEFT JOIN so a missing one shows as null rather than hiding the tenant.
  // One statement reads one snapshot: the version and its actor always match.
  private summaries(
    where: Prisma.Sql,
    db: Db = this.prisma,
    limit?: number,
  ): Promise<TenantSummaryRow[]> {
    return db.$queryRaw<TenantSummaryRow[]>`
      SELECT t.id, t.slug, t.name,
             t.created_at AS "createdAt", t.updated_at AS "updatedAt",
             p.mode::text AS mode, p.version AS "policyVersion",
             p.origin_count AS "originCount",
             COALESCE(v.created_at, p.updated_at) AS "lastChangedAt",
             v.actor_label AS "lastChangedBy"
        FROM tenants t
        JOIN policies p ON p.tenant_id = t.id
        LEFT JOIN policy_versions v ON v.tenant_id = p.tenant_id AND v.version = p.version
      ${where}
       ORDER BY t.slug COLLATE "C"
      ${limit === undefined ? Prisma.empty : Prisma.sql`LIMIT ${limit}::int`}`;
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
