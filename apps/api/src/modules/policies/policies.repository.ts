import { Injectable } from '@nestjs/common';
import { PolicyMode, Prisma } from '../../generated/prisma/client.js';
import { PrismaService, type Db } from '../../prisma/prisma.service.js';
import type { CanonicalPolicy } from './policy-document.js';

const toDbMode = (m: CanonicalPolicy['mode']) =>
  m === 'report-only' ? PolicyMode.report_only : PolicyMode.enforce;
const fromDbMode = (m: PolicyMode): CanonicalPolicy['mode'] =>
  m === PolicyMode.report_only ? 'report-only' : 'enforce';

function columns(doc: CanonicalPolicy) {
  return {
    mode: toDbMode(doc.mode),
    allowedMethods: doc.allowedMethods,
    allowedHeaders: doc.allowedHeaders,
    exposedHeaders: doc.exposedHeaders,
    allowCredentials: doc.allowCredentials,
    maxAgeSeconds: doc.maxAgeSeconds,
    allowPrivateNetwork: doc.allowPrivateNetwork,
  };
}

export interface StoredVersion {
  version: number;
  document: CanonicalPolicy;
  source: 'create' | 'update' | 'restore';
  restoredFromVersion: number | null;
  actorLabel: string;
  createdAt: Date;
}

/** Every policy query; each method takes the tenant id first. */
@Injectable()
export class PoliciesRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The tenant's current policy (policy row + its origin entries in document order). */
  async getCurrent(
    tenantId: string,
    db: Db = this.prisma,
  ): Promise<{ version: number; document: CanonicalPolicy } | null> {
    const row = await db.policy.findUnique({ where: { tenantId } });
    if (!row) return null;
    const origins = await db.originEntry.findMany({
      where: { tenantId },
      orderBy: { position: 'asc' },
    });
    return {
      version: row.version,
      document: {
        mode: fromDbMode(row.mode),
        origins: origins.map((o) => ({
          pattern: o.pattern,
          note: o.note,
          expiresAt: o.expiresAt?.toISOString() ?? null,
        })),
        allowedMethods: row.allowedMethods,
        allowedHeaders: row.allowedHeaders,
        exposedHeaders: row.exposedHeaders,
        allowCredentials: row.allowCredentials,
        maxAgeSeconds: row.maxAgeSeconds,
        allowPrivateNetwork: row.allowPrivateNetwork,
      },
    };
  }

  async currentVersion(tenantId: string, db: Db = this.prisma): Promise<number | null> {
    const row = await db.policy.findUnique({ where: { tenantId }, select: { version: true } });
    return row?.version ?? null;
  }

  async insertInitial(db: Db, tenantId: string, doc: CanonicalPolicy): Promise<void> {
    await db.policy.create({ data: { tenantId, version: 1, ...columns(doc) } });
    await this.replaceOrigins(db, tenantId, doc);
  }

  /**
   * Moves the policy from `expected` to `expected + 1` only if it is still at `expected`. The row lock makes a
   * concurrent writer with the same expectation wait, re-check and find 0 rows: exactly one of them wins.
   */
  async updateIfVersion(
    db: Db,
    tenantId: string,
    expected: number,
    doc: CanonicalPolicy,
  ): Promise<boolean> {
    const { count } = await db.policy.updateMany({
      where: { tenantId, version: expected },
      data: { version: expected + 1, ...columns(doc) },
    });
    if (count === 1) await this.replaceOrigins(db, tenantId, doc);
    return count === 1;
  }

  private async replaceOrigins(db: Db, tenantId: string, doc: CanonicalPolicy): Promise<void> {
    await db.originEntry.deleteMany({ where: { tenantId } });
    if (doc.origins.length === 0) return;
    await db.originEntry.createMany({
      data: doc.origins.map((o, position) => ({
        tenantId,
        position,
        pattern: o.pattern,
        note: o.note,
        expiresAt: o.expiresAt ? new Date(o.expiresAt) : null,
      })),
    });
  }

  async insertVersion(
    db: Db,
    tenantId: string,
    v: Omit<StoredVersion, 'createdAt'>,
  ): Promise<void> {
    await db.policyVersion.create({
      data: {
        tenantId,
        version: v.version,
        document: v.document as unknown as Prisma.InputJsonValue,
        source: v.source,
        restoredFromVersion: v.restoredFromVersion,
        actorLabel: v.actorLabel,
      },
    });
  }

  async getVersion(
    tenantId: string,
    version: number,
    db: Db = this.prisma,
  ): Promise<StoredVersion | null> {
    const row = await db.policyVersion.findUnique({
      where: { tenantId_version: { tenantId, version } },
    });
    return row ? toStored(row) : null;
  }

  async listVersions(tenantId: string, limit: number, before?: number): Promise<StoredVersion[]> {
    const rows = await this.prisma.policyVersion.findMany({
      where: { tenantId, ...(before ? { version: { lt: before } } : {}) },
      orderBy: { version: 'desc' },
      take: limit,
    });
    return rows.map(toStored);
  }
}

function toStored(row: {
  version: number;
  document: Prisma.JsonValue;
  source: string;
  restoredFromVersion: number | null;
  actorLabel: string;
  createdAt: Date;
}): StoredVersion {
  return {
    version: row.version,
    document: row.document as unknown as CanonicalPolicy,
    source: row.source as StoredVersion['source'],
    restoredFromVersion: row.restoredFromVersion,
    actorLabel: row.actorLabel,
    createdAt: row.createdAt,
  };
}
