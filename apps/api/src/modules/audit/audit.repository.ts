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
}

export interface AuditFilter {
  tenantIds?: string[];
  tenantSlug?: string;
  actor?: string;
  action?: string;
  beforeId?: bigint;
  limit: number;
}

const json = (v: unknown) =>
  v === null || v === undefined ? Prisma.DbNull : (v as Prisma.InputJsonValue);

@Injectable()
export class AuditRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Always called with the transaction of the change it records. */
  insert(db: Db, r: AuditRecord) {
    return db.auditEvent.create({ data: { ...r, before: json(r.before), after: json(r.after) } });
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
