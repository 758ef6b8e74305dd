import { Injectable } from '@nestjs/common';
import type { BaselineDocument } from '@corsplane/policy';
import { Prisma } from '../../generated/prisma/client.js';
import { PrismaService, type Db } from '../../prisma/prisma.service.js';

/**
 * Advisory lock between a baseline write (exclusive) and tenant creation (shared): a new slug and a new
 * baseline are each checked against the other, so neither can commit past the other's check.
 */
const BASELINE_LOCK_KEY = 7_341_000_001n;

export interface StoredBaseline {
  version: number;
  document: BaselineDocument;
}

export interface StoredBaselineVersion extends StoredBaseline {
  actorLabel: string;
  createdAt: Date;
}

/** Every query of the platform baseline (one row) and its immutable versions. */
@Injectable()
export class PlatformPolicyRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The current baseline; version 0 with no entries before the first save. */
  async getCurrent(db: Db = this.prisma): Promise<StoredBaseline> {
    const row = await db.platformBaseline.findUnique({ where: { id: 1 } });
    if (!row) return { version: 0, document: { origins: [] } };
    return { version: row.version, document: row.document as unknown as BaselineDocument };
  }

  async lockForWrite(tx: Db): Promise<void> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${BASELINE_LOCK_KEY})`;
  }

  async lockForTenantCreation(tx: Db): Promise<void> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(${BASELINE_LOCK_KEY})`;
  }

  async allSlugs(tx: Db): Promise<string[]> {
    const rows = await tx.tenant.findMany({ select: { slug: true } });
    return rows.map((r) => r.slug);
  }

  /** The conditional write: false when the stored version is not `expected` (version 0: no row yet). */
  async updateIfVersion(tx: Db, expected: number, document: BaselineDocument): Promise<boolean> {
    const json = document as unknown as Prisma.InputJsonValue;
    if (expected === 0) {
      const n =
        await tx.$executeRaw`INSERT INTO platform_baseline (id, version, document, updated_at)
        VALUES (1, 1, ${JSON.stringify(document)}::jsonb, now()) ON CONFLICT (id) DO NOTHING`;
      return n === 1;
    }
    const { count } = await tx.platformBaseline.updateMany({
      where: { id: 1, version: expected },
      data: { version: expected + 1, document: json },
    });
    return count === 1;
  }

  async insertVersion(
    tx: Db,
    version: number,
    document: BaselineDocument,
    actorLabel: string,
  ): Promise<void> {
    await tx.platformBaselineVersion.create({
      data: { version, document: document as unknown as Prisma.InputJsonValue, actorLabel },
    });
  }

  /** The version row as jsonb, read by PostgreSQL (the audit's `before`). */
  versionJsonSql(version: number): Prisma.Sql {
    return Prisma.sql`(SELECT document || jsonb_build_object('version', version)
      FROM platform_baseline_versions WHERE version = ${version}::int)`;
  }

  async listVersions(limit: number, before?: number): Promise<StoredBaselineVersion[]> {
    const rows = await this.prisma.platformBaselineVersion.findMany({
      where: before === undefined ? {} : { version: { lt: before } },
      orderBy: { version: 'desc' },
      take: limit,
    });
    return rows.map((r) => ({
      version: r.version,
      document: r.document as unknown as BaselineDocument,
      actorLabel: r.actorLabel,
      createdAt: r.createdAt,
    }));
  }
}
