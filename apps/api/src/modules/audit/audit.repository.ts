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

  list(f: AuditFilter) {
    const where: Prisma.AuditEventWhereInput = {};
    if (f.tenantIds) where.tenantId = { in: f.tenantIds };
    if (f.tenantSlug) where.tenantSlug = f.tenantSlug;
    if (f.actor) where.OR = [{ actorLabel: f.actor }, { actorId: f.actor }];
    if (f.action) where.action = f.action;
    if (f.beforeId !== undefined) where.id = { lt: f.beforeId };
    return this.prisma.auditEvent.findMany({ where, orderBy: { id: 'desc' }, take: f.limit });
  }
}
