import { Injectable } from '@nestjs/common';
import type { OriginEntry } from '@corsplane/contracts';
import { Prisma } from '../../generated/prisma/client.js';
import { PrismaService, type Db } from '../../prisma/prisma.service.js';

/** The live policy's head, as a single-origin write sees it under its row lock. */
export interface PolicyHead {
  version: number;
  allowCredentials: boolean;
  allowPrivateNetwork: boolean;
  originCount: number;
  lastPosition: number;
}

interface EntryRow {
  position: number;
  pattern: string;
  note: string | null;
  expiresAt: Date | null;
}

const toEntry = (r: EntryRow): OriginEntry => ({
  pattern: r.pattern,
  note: r.note,
  expiresAt: r.expiresAt?.toISOString() ?? null,
});

/** What a version row records besides its document (see PoliciesRepository.writeDocument). */
export interface VersionMeta {
  version: number;
  actorLabel: string;
  note: string | null;
}

/**
 * The queries of one-origin-at-a-time writes and of paging (SPEC §4.1); each method takes the tenant id first.
 *
 * A write touches each table with one statement and never sends the whole policy: the new version row is
 * derived by PostgreSQL from the previous version's JSONB document (`||` appends, a filter removes), so a
 * client adding one origin to a 100,000-origin policy sends one entry, not 15 MB.
 */
@Injectable()
export class PolicyOriginsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Bumps the policy's version and returns the new head. The UPDATE takes the row lock that orders concurrent
   * single-origin writes and PUTs of one tenant: each waits for the previous one's commit, so every write
   * lands and versions strictly increase. Null when the tenant has no policy.
   */
  async bumpHead(db: Db, tenantId: string): Promise<PolicyHead | null> {
    const rows = await db.$queryRaw<PolicyHead[]>`
      UPDATE policies SET version = version + 1, updated_at = now()
       WHERE tenant_id = ${tenantId}::uuid
      RETURNING version, allow_credentials AS "allowCredentials",
                allow_private_network AS "allowPrivateNetwork",
                (SELECT count(*)::int FROM origin_entries WHERE tenant_id = ${tenantId}::uuid) AS "originCount",
                (SELECT COALESCE(max(position), -1) FROM origin_entries WHERE tenant_id = ${tenantId}::uuid)
                  AS "lastPosition"`;
    return rows[0] ?? null;
  }

  /** The head without a lock or a bump (dry runs, paging). */
  async readHead(tenantId: string, db: Db = this.prisma): Promise<PolicyHead | null> {
    const rows = await db.$queryRaw<PolicyHead[]>`
      SELECT version, allow_credentials AS "allowCredentials", allow_private_network AS "allowPrivateNetwork",
             (SELECT count(*)::int FROM origin_entries WHERE tenant_id = ${tenantId}::uuid) AS "originCount",
             (SELECT COALESCE(max(position), -1) FROM origin_entries WHERE tenant_id = ${tenantId}::uuid)
               AS "lastPosition"
        FROM policies WHERE tenant_id = ${tenantId}::uuid`;
    return rows[0] ?? null;
  }

  async findEntry(db: Db, tenantId: string, pattern: string): Promise<OriginEntry | null> {
    const row = await db.originEntry.findUnique({
      where: { tenantId_pattern: { tenantId, pattern } },
    });
    return row ? toEntry(row) : null;
  }

  /** Patterns of `patterns` the tenant already lists. */
  async listedAmong(db: Db, tenantId: string, patterns: string[]): Promise<Set<string>> {
    if (patterns.length === 0) return new Set();
    const rows = await db.$queryRaw<Array<{ pattern: string }>>`
      SELECT pattern FROM origin_entries
       WHERE tenant_id = ${tenantId}::uuid AND pattern = ANY(${patterns}::text[])`;
    return new Set(rows.map((r) => r.pattern));
  }

  /**
   * Appends entries after `lastPosition`, skipping any already listed (a concurrent add of the same pattern is
   * ordered by the head lock, so this only guards the caller's own check). Returns the count inserted.
   */
  async append(
    db: Db,
    tenantId: string,
    lastPosition: number,
    entriesJson: string,
  ): Promise<number> {
    return db.$executeRaw`
      INSERT INTO origin_entries (id, tenant_id, position, pattern, note, expires_at)
      SELECT gen_random_uuid(), ${tenantId}::uuid, ${lastPosition}::int + x.ord::int, x.o->>'pattern',
             x.o->>'note', (x.o->>'expiresAt')::timestamptz
        FROM jsonb_array_elements(${entriesJson}::jsonb) WITH ORDINALITY AS x(o, ord)
      ON CONFLICT (tenant_id, pattern) DO NOTHING`;
  }

  async updateEntry(db: Db, tenantId: string, entry: OriginEntry): Promise<number> {
    return db.$executeRaw`
      UPDATE origin_entries SET note = ${entry.note}, expires_at = ${entry.expiresAt}::timestamptz
       WHERE tenant_id = ${tenantId}::uuid AND pattern = ${entry.pattern}`;
  }

  async deleteEntry(db: Db, tenantId: string, pattern: string): Promise<number> {
    return db.$executeRaw`
      DELETE FROM origin_entries WHERE tenant_id = ${tenantId}::uuid AND pattern = ${pattern}`;
  }

  /** The new version row: the previous version's document with its `origins` replaced by `origins`. */
  async deriveVersion(
    db: Db,
    tenantId: string,
    v: VersionMeta,
    origins: Prisma.Sql,
  ): Promise<void> {
    const written = await db.$executeRaw`
      INSERT INTO policy_versions (id, tenant_id, version, document, source, actor_label, note)
      SELECT gen_random_uuid(), p.tenant_id, ${v.version}::int,
             jsonb_set(p.document, '{origins}', ${origins}), 'update', ${v.actorLabel}, ${v.note}
        FROM policy_versions p
       WHERE p.tenant_id = ${tenantId}::uuid AND p.version = ${v.version - 1}::int`;
    if (written !== 1) throw new Error(`version ${v.version - 1} of tenant ${tenantId} is missing`);
  }

  /** `origins` expressions for deriveVersion, over the previous document `p.document`. */
  readonly origins = {
    appended: (entriesJson: string) => Prisma.sql`(p.document->'origins') || ${entriesJson}::jsonb`,
    replaced: (entry: OriginEntry) => Prisma.sql`(
      SELECT jsonb_agg(CASE WHEN e->>'pattern' = ${entry.pattern} THEN ${JSON.stringify(entry)}::jsonb ELSE e END
                       ORDER BY i)
        FROM jsonb_array_elements(p.document->'origins') WITH ORDINALITY AS x(e, i))`,
    removed: (pattern: string) => Prisma.sql`COALESCE((
      SELECT jsonb_agg(e ORDER BY i) FROM jsonb_array_elements(p.document->'origins') WITH ORDINALITY AS x(e, i)
       WHERE e->>'pattern' <> ${pattern}), '[]'::jsonb)`,
  };

  /**
   * One page of entries in document order (keyset on position), optionally those whose pattern or note
   * contains `q` (case-insensitive; a substring, never a pattern: `strpos`, no LIKE metacharacters).
   */
  async page(
    tenantId: string,
    o: { q?: string; afterPosition?: number; limit: number },
  ): Promise<Array<OriginEntry & { position: number }>> {
    const search = o.q
      ? Prisma.sql`AND (strpos(lower(pattern), lower(${o.q})) > 0
                    OR strpos(lower(COALESCE(note, '')), lower(${o.q})) > 0)`
      : Prisma.empty;
    const rows = await this.prisma.$queryRaw<EntryRow[]>`
      SELECT position, pattern, note, expires_at AS "expiresAt" FROM origin_entries
       WHERE tenant_id = ${tenantId}::uuid AND position > ${o.afterPosition ?? -1}::int ${search}
       ORDER BY position
       LIMIT ${o.limit + 1}::int`;
    return rows.map((r) => ({ ...toEntry(r), position: r.position }));
  }
}
