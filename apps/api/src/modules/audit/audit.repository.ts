import { Injectable } from '@nestjs/common';
import { Prisma } from '../../generated/prisma/client.js';
import { PrismaService, type Db } from '../../prisma/prisma.service.js';

export interface AuditRecord {
  actorType: 'user' | 'key' | 'system';
  actorId: string | null;
  actorLabel: string;
  action: string;
  tenantId: string | null;
  tenantSlug: string | null;
  targetType: string | null;
  targetId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  note: string | null;
}

export interface AuditFilter {
  tenantIds?: string[];
  tenantSlug?: string;
  actor?: string;
  action?: string;
  beforeId?: bigint;
  limit: number;
  /** The page's budget of stored before/after bytes (AUDIT_PAGE_MAX_BYTES). */
  maxBytes: number;
}

/** A JSON value already serialised (a large document is stringified once, not once per use). */
export class JsonText {
  constructor(readonly text: string) {}
}

/**
 * `before`/`after` as SQL: null → NULL; JsonText → its text as jsonb; a Prisma.Sql fragment as it is (e.g. a
 * sub-select of a stored document, which then never travels through Node); anything else → JSON.stringify.
 */
function jsonSql(v: unknown): Prisma.Sql {
  if (v === null || v === undefined) return Prisma.sql`NULL::jsonb`;
  if (v instanceof Prisma.Sql) return v;
  const text = v instanceof JsonText ? v.text : JSON.stringify(v);
  return Prisma.sql`${text}::jsonb`;
}

@Injectable()
export class AuditRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Always called with the transaction of the change it records. */
  async insert(db: Db, r: AuditRecord): Promise<void> {
    await db.$executeRaw`INSERT INTO audit_events (actor_type, actor_id, actor_label, action, tenant_id,
  tenant_slug, target_type, target_id, before, after, request_id, note)
VALUES (${r.actorType}, ${r.actorId}, ${r.actorLabel}, ${r.action}, ${r.tenantId}::uuid, ${r.tenantSlug},
  ${r.targetType}, ${r.targetId}, ${jsonSql(r.before)}, ${jsonSql(r.after)}, ${r.requestId}, ${r.note})`;
  }

  /**
   * One page, newest first: at most `limit` rows, and only as many as fit in `maxBytes` of stored before/after
   * (the first row always fits). Sizes are read before any document is: a 100,000-origin policy's rows are
   * tens of megabytes each once in JavaScript. `cut`: the page stopped early for size, so more rows follow.
   */
  async list(f: AuditFilter) {
    const where: Prisma.AuditEventWhereInput = {};
    if (f.tenantIds) where.tenantId = { in: f.tenantIds };
    if (f.tenantSlug) where.tenantSlug = f.tenantSlug;
    if (f.actor) where.OR = [{ actorLabel: f.actor }, { actorId: f.actor }];
    if (f.action) where.action = f.action;
    if (f.beforeId !== undefined) where.id = { lt: f.beforeId };
    const page = await this.prisma.auditEvent.findMany({
      where,
      orderBy: { id: 'desc' },
      take: f.limit,
      select: { id: true },
    });
    if (page.length === 0) return { rows: [], cut: false };
    const ids = page.map((r) => r.id.toString());
    const sizes = await this.prisma.$queryRaw<Array<{ id: bigint; size: number }>>`
      SELECT id, (COALESCE(pg_column_size(before), 0) + COALESCE(pg_column_size(after), 0))::int AS size
      FROM audit_events WHERE id = ANY(${ids}::text[]::bigint[])`;
    const sizeOf = new Map(sizes.map((r) => [r.id.toString(), r.size]));
    let kept = 0;
    let bytes = 0;
    for (const id of ids) {
      bytes += sizeOf.get(id) ?? 0;
      if (kept > 0 && bytes > f.maxBytes) break;
      kept++;
    }
    const rows = await this.prisma.auditEvent.findMany({
      where: { id: { in: page.slice(0, kept).map((r) => r.id) } },
      orderBy: { id: 'desc' },
    });
    return { rows, cut: kept < page.length };
  }
}
