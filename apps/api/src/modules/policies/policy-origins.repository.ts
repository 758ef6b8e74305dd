import { Injectable } from '@nestjs/common';
import type { OriginEntry } from '@corsplane/contracts';
import { Prisma } from '../../generated/prisma/client.js';
import { PrismaService, type Db } from '../../prisma/prisma.service.js';
import type { VersionDelta } from './policy-version-chain.js';

/** The live policy's head, as a single-origin write sees it under its row lock. */
export interface PolicyHead {
  version: number;
  allowCredentials: boolean;
  allowPrivateNetwork: boolean;
  /** `policies.origin_count`, kept by every write (no count(*) over the entries). */
  originCount: number;
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

/** What a version row records besides its document or delta. */
export interface VersionMeta {
  version: number;
  actorLabel: string;
  note: string | null;
}

/**
 * The live policy as its canonical document (policy-document.ts), built by PostgreSQL from the policy row and
 * its entries: the snapshot a single-origin write or an import stores. Instants are formatted as
 * `Date.toISOString()` does (milliseconds, `Z`), which is how canonicalEntry() stores them. The origins array
 * is concatenated as JSON text (`to_json` quotes each string) and parsed once: a `jsonb_build_object` per
 * entry took ~1.5 s for 100,000 entries on the busy 2-core host, the text ~0.8 s.
 */
const LIVE_DOCUMENT_SQL = (tenantId: string) => Prisma.sql`(
  SELECT jsonb_build_object(
           'mode', p.mode::text,
           'origins', ('[' || COALESCE((
             SELECT string_agg('{"pattern":' || to_json(o.pattern)::text
                               || ',"note":' || COALESCE(to_json(o.note)::text, 'null')
                               || ',"expiresAt":' || COALESCE('"' || to_char(o.expires_at AT TIME ZONE 'UTC',
                                    'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '"', 'null') || '}',
                               ',' ORDER BY o.position)
               FROM origin_entries o WHERE o.tenant_id = p.tenant_id), '') || ']')::jsonb,
           'allowedMethods', to_jsonb(p.allowed_methods), 'allowedHeaders', to_jsonb(p.allowed_headers),
           'exposedHeaders', to_jsonb(p.exposed_headers), 'allowCredentials', p.allow_credentials,
           'maxAgeSeconds', p.max_age_seconds, 'allowPrivateNetwork', p.allow_private_network)
         || CASE WHEN jsonb_array_length(p.routes) > 0 THEN jsonb_build_object('routes', p.routes)
                 ELSE '{}'::jsonb END
    FROM policies p WHERE p.tenant_id = ${tenantId}::uuid)`;

/**
 * The queries of one-origin-at-a-time writes and of paging (SPEC §4.1); each method takes the tenant id first.
 *
 * A write touches each table with one statement and never reads or copies the whole policy: the entry row, a
 * delta version row naming only that entry (policy-version-chain.ts), the audit row. Only every
 * POLICY_SNAPSHOT_INTERVAL-th version, and an import, store a snapshot, built by PostgreSQL from the entries.
 */
@Injectable()
export class PolicyOriginsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Bumps the policy's version and returns the new head. The UPDATE takes the row lock that orders concurrent
   * single-origin writes and PUTs of one tenant: each waits for the previous one's commit, so every write
   * lands and versions strictly increase. Null when the tenant has no policy. Everything returned is a column
   * of the locked row: under READ COMMITTED a waiting UPDATE re-reads that row once the lock is free, but a
   * subquery here would still see the statement's older snapshot (e.g. miss the entry the previous writer
   * just committed).
   */
  async bumpHead(db: Db, tenantId: string): Promise<PolicyHead | null> {
    const rows = await db.$queryRaw<PolicyHead[]>`
      UPDATE policies SET version = version + 1, updated_at = now()
       WHERE tenant_id = ${tenantId}::uuid
      RETURNING version, allow_credentials AS "allowCredentials",
                allow_private_network AS "allowPrivateNetwork", origin_count AS "originCount"`;
    return rows[0] ?? null;
  }

  /** The head without a lock or a bump (dry runs, paging). */
  async readHead(tenantId: string, db: Db = this.prisma): Promise<PolicyHead | null> {
    const rows = await db.$queryRaw<PolicyHead[]>`
      SELECT version, allow_credentials AS "allowCredentials", allow_private_network AS "allowPrivateNetwork",
             origin_count AS "originCount"
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
   * Appends entries after the last position (read by this statement, under the head lock, so it sees the
   * previous writer's entry), skipping any already listed, and adds them to `origin_count`. Returns the count
   * inserted. The natural key (tenant, pattern) makes a duplicate a no-op rather than an error.
   */
  async append(db: Db, tenantId: string, entriesJson: string): Promise<number> {
    const rows = await db.$queryRaw<Array<{ n: number }>>`
      WITH ins AS (
        INSERT INTO origin_entries (id, tenant_id, position, pattern, note, expires_at)
        SELECT gen_random_uuid(), ${tenantId}::uuid,
               (SELECT COALESCE(max(position), -1) FROM origin_entries WHERE tenant_id = ${tenantId}::uuid)
                 + x.ord::int, x.o->>'pattern', x.o->>'note', (x.o->>'expiresAt')::timestamptz
          FROM jsonb_array_elements(${entriesJson}::jsonb) WITH ORDINALITY AS x(o, ord)
        ON CONFLICT (tenant_id, pattern) DO NOTHING
        RETURNING 1)
      UPDATE policies SET origin_count = origin_count + (SELECT count(*) FROM ins)::int
       WHERE tenant_id = ${tenantId}::uuid
      RETURNING (SELECT count(*) FROM ins)::int AS n`;
    return rows[0]?.n ?? 0;
  }

  async updateEntry(db: Db, tenantId: string, entry: OriginEntry): Promise<number> {
    return db.$executeRaw`
      UPDATE origin_entries SET note = ${entry.note}, expires_at = ${entry.expiresAt}::timestamptz
       WHERE tenant_id = ${tenantId}::uuid AND pattern = ${entry.pattern}`;
  }

  /** Deletes the entry and takes it off `origin_count`; returns the count deleted. */
  async deleteEntry(db: Db, tenantId: string, pattern: string): Promise<number> {
    const rows = await db.$queryRaw<Array<{ n: number }>>`
      WITH del AS (
        DELETE FROM origin_entries WHERE tenant_id = ${tenantId}::uuid AND pattern = ${pattern} RETURNING 1)
      UPDATE policies SET origin_count = origin_count - (SELECT count(*) FROM del)::int
       WHERE tenant_id = ${tenantId}::uuid
      RETURNING (SELECT count(*) FROM del)::int AS n`;
    return rows[0]?.n ?? 0;
  }

  /**
   * The version row of a single-origin write: a delta over version `v.version - 1`, chained to the same
   * snapshot as it, unless that chain already holds `interval` versions (needsSnapshot() in SQL): then nothing is
   * inserted and false is returned, and the caller stores a snapshot (writeSnapshot). One statement either way;
   * it reads only the previous row's numbers, never its document.
   */
  async writeDelta(
    db: Db,
    tenantId: string,
    v: VersionMeta,
    delta: VersionDelta,
    interval: number,
  ): Promise<boolean> {
    const written = await db.$executeRaw`
      INSERT INTO policy_versions (id, tenant_id, version, delta, snapshot_version, source, actor_label, note)
      SELECT gen_random_uuid(), p.tenant_id, ${v.version}::int, ${JSON.stringify(delta)}::jsonb,
             COALESCE(p.snapshot_version, p.version), 'update', ${v.actorLabel}, ${v.note}
        FROM policy_versions p
       WHERE p.tenant_id = ${tenantId}::uuid AND p.version = ${v.version - 1}::int
         AND ${v.version}::int - COALESCE(p.snapshot_version, p.version) < ${interval}::int`;
    return written === 1;
  }

  /** A snapshot version row holding the live policy as it now is (after this write's entry change). */
  async writeSnapshot(db: Db, tenantId: string, v: VersionMeta): Promise<void> {
    const written = await db.$executeRaw`
      INSERT INTO policy_versions (id, tenant_id, version, document, source, actor_label, note)
      VALUES (gen_random_uuid(), ${tenantId}::uuid, ${v.version}::int, ${LIVE_DOCUMENT_SQL(tenantId)}, 'update',
              ${v.actorLabel}, ${v.note})`;
    if (written !== 1)
      throw new Error(`version ${v.version} of tenant ${tenantId} was not written`);
  }

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
