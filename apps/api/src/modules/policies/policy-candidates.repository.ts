import { Injectable } from '@nestjs/common';
import { Prisma } from '../../generated/prisma/client.js';
import { PrismaService, type Db } from '../../prisma/prisma.service.js';
import type { CanonicalPolicy } from './policy-document.js';

/** A tenant's candidate row: `document` null when there is no candidate (deleted or promoted). */
export interface StoredCandidate {
  version: number;
  document: CanonicalPolicy | null;
  actorLabel: string;
  note: string | null;
  updatedAt: Date;
}

/** One impact row as summed over the window (hour buckets of one origin, direction and reason). */
export interface ImpactRow {
  origin: string;
  direction: 'would-block' | 'would-allow';
  reason: string;
  count: number;
  firstSeen: Date;
  lastSeen: Date;
}

/** Keyset position of an impact page: the last row's sort key (count desc, then direction, reason, origin). */
export interface ImpactCursor {
  count: number;
  direction: string;
  reason: string;
  origin: string;
}

/** Every candidate query; each method takes the tenant id first. */
@Injectable()
export class PolicyCandidatesRepository {
  constructor(private readonly prisma: PrismaService) {}

  async get(tenantId: string, db: Db = this.prisma): Promise<StoredCandidate | null> {
    const row = await db.policyCandidate.findUnique({ where: { tenantId } });
    if (!row) return null;
    return {
      version: row.version,
      document: row.document as unknown as CanonicalPolicy | null,
      actorLabel: row.actorLabel,
      note: row.note,
      updatedAt: row.updatedAt,
    };
  }

  /** The candidate's version, or null when the tenant has no candidate now (one query, no document read). */
  async currentVersion(tenantId: string): Promise<number | null> {
    const rows = await this.prisma.$queryRaw<Array<{ version: number }>>`
      SELECT version FROM policy_candidates WHERE tenant_id = ${tenantId}::uuid AND document IS NOT NULL`;
    return rows[0]?.version ?? null;
  }

  /**
   * The candidate row, locked for the transaction (FOR UPDATE): two writers with the same expectation are
   * serialised, and the second sees the first's version. Null when the tenant never had a candidate.
   */
  async lock(tenantId: string, db: Db): Promise<{ version: number; hasDocument: boolean } | null> {
    const rows = await db.$queryRaw<Array<{ version: number; has_document: boolean }>>`
      SELECT version, document IS NOT NULL AS has_document FROM policy_candidates
       WHERE tenant_id = ${tenantId}::uuid FOR UPDATE`;
    const r = rows[0];
    return r ? { version: r.version, hasDocument: r.has_document } : null;
  }

  /**
   * Writes the next state of the candidate (a document, or null to clear it) at `version`; returns the JSON
   * text written (for the audit row), or null. The caller holds the row lock (or creates the row).
   */
  async write(
    db: Db,
    tenantId: string,
    version: number,
    doc: CanonicalPolicy | null,
    meta: { actorLabel: string; note: string | null },
  ): Promise<string | null> {
    const json = doc === null ? null : JSON.stringify(doc);
    await db.$executeRaw`INSERT INTO policy_candidates (tenant_id, version, document, actor_label, note, updated_at)
      VALUES (${tenantId}::uuid, ${version}::int, ${json}::jsonb, ${meta.actorLabel}, ${meta.note}, now())
      ON CONFLICT (tenant_id) DO UPDATE SET version = EXCLUDED.version, document = EXCLUDED.document,
        actor_label = EXCLUDED.actor_label, note = EXCLUDED.note, updated_at = EXCLUDED.updated_at`;
    return json;
  }

  /** The stored candidate as the API shows it (document + version), for an audit row's `before`. */
  documentJsonSql(tenantId: string): Prisma.Sql {
    return Prisma.sql`(SELECT document || jsonb_build_object('version', version) FROM policy_candidates
  WHERE tenant_id = ${tenantId}::uuid AND document IS NOT NULL)`;
  }

  /**
   * Shadow differences summed per (origin, direction, reason) over [since, until), most counted first, one page
   * after `after`. The window is bounded (≤ 90 days of hourly rows, each tenant-hour capped like the blocked log).
   */
  async impact(
    tenantId: string,
    f: { since: Date; until: Date; limit: number; after?: ImpactCursor },
  ): Promise<ImpactRow[]> {
    const after = f.after
      ? Prisma.sql`WHERE (s.count < ${f.after.count}
          OR (s.count = ${f.after.count} AND (s.direction, s.reason, s.origin) > (${f.after.direction}, ${f.after.reason}, ${f.after.origin})))`
      : Prisma.empty;
    const rows = await this.prisma.$queryRaw<
      Array<{
        origin: string;
        direction: ImpactRow['direction'];
        reason: string;
        count: bigint;
        first_seen: Date;
        last_seen: Date;
      }>
    >`
      SELECT * FROM (
        SELECT a.origin, a.direction, a.reason, sum(a.count)::bigint AS count,
               min(a.first_seen) AS first_seen, max(a.last_seen) AS last_seen
          FROM shadow_difference_aggregates a
         WHERE a.tenant_id = ${tenantId}::uuid AND a.hour >= ${f.since} AND a.hour < ${f.until}
         GROUP BY a.origin, a.direction, a.reason) s
      ${after}
      ORDER BY s.count DESC, s.direction, s.reason, s.origin
      LIMIT ${f.limit}`;
    return rows.map((r) => ({
      origin: r.origin,
      direction: r.direction,
      reason: r.reason,
      count: Number(r.count),
      firstSeen: r.first_seen,
      lastSeen: r.last_seen,
    }));
  }

  /** Requests and distinct origins per direction over the window (the "(overflow)" row counts as one origin). */
  async impactTotals(
    tenantId: string,
    f: { since: Date; until: Date },
  ): Promise<Record<'would-block' | 'would-allow', { count: number; origins: number }>> {
    const rows = await this.prisma.$queryRaw<
      Array<{ direction: string; count: bigint; origins: bigint }>
    >`
      SELECT a.direction, sum(a.count)::bigint AS count, count(DISTINCT a.origin)::bigint AS origins
        FROM shadow_difference_aggregates a
       WHERE a.tenant_id = ${tenantId}::uuid AND a.hour >= ${f.since} AND a.hour < ${f.until}
       GROUP BY a.direction`;
    const out = {
      'would-block': { count: 0, origins: 0 },
      'would-allow': { count: 0, origins: 0 },
    };
    for (const r of rows) {
      if (r.direction === 'would-block' || r.direction === 'would-allow')
        out[r.direction] = { count: Number(r.count), origins: Number(r.origins) };
    }
    return out;
  }

  /**
   * Shadow differences per hour or UTC day, per direction, zero-filled from `from` to `to` (bucket starts) in
   * ONE query, like the blocked-origins timeline.
   */
  async impactTimeline(
    tenantId: string,
    f: { bucket: 'hour' | 'day'; from: Date; to: Date; until: Date },
  ): Promise<Array<{ start: Date; wouldBlock: number; wouldAllow: number }>> {
    // Whole hours, not '1 day': day steps would follow the session time zone's DST; the buckets are UTC.
    const step = f.bucket === 'hour' ? '1 hour' : '24 hours';
    const rows = await this.prisma.$queryRaw<
      Array<{ start: Date; would_block: bigint; would_allow: bigint }>
    >`
      WITH counted AS (
        SELECT date_trunc(${f.bucket}, a.hour, 'UTC') AS start,
               sum(a.count) FILTER (WHERE a.direction = 'would-block') AS would_block,
               sum(a.count) FILTER (WHERE a.direction = 'would-allow') AS would_allow
          FROM shadow_difference_aggregates a
         WHERE a.tenant_id = ${tenantId}::uuid AND a.hour >= ${f.from} AND a.hour < ${f.until}
         GROUP BY 1
      )
      SELECT s.start, COALESCE(c.would_block, 0)::bigint AS would_block,
             COALESCE(c.would_allow, 0)::bigint AS would_allow
        FROM generate_series(${f.from}::timestamptz, ${f.to}::timestamptz, ${step}::interval) AS s(start)
        LEFT JOIN counted c ON c.start = s.start
       ORDER BY s.start`;
    return rows.map((r) => ({
      start: r.start,
      wouldBlock: Number(r.would_block),
      wouldAllow: Number(r.would_allow),
    }));
  }
}
