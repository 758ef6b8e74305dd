import { Inject, Injectable } from '@nestjs/common';
import pg from 'pg';
import type { BaselineDocument, PolicyDocument } from '@corsplane/policy';
import { ENV, type Env } from '../../config/env.schema.js';
import { routesField } from '../policies/policy-document.js';
import { admitWithinCap, OVERFLOW_ORIGIN, tenantHourKey } from './blocked-cap.js';
import { DatabaseCircuit, LOOKUP_TIMEOUT_MS } from './database-circuit.service.js';

/** A tenant's current policy as /resolve needs it: the engine document plus what the answer names. */
export interface ResolvePolicyRow {
  tenantId: string;
  slug: string;
  version: number;
  document: PolicyDocument;
  /** The platform baseline as stored (`{tenant}` not expanded); version 0 and no entries before the first save. */
  baseline: { version: number; document: BaselineDocument };
  /**
   * The candidate under shadow evaluation (SPEC §3): its version (0 before the first save; it only grows) and
   * its document as stored, or null when there is none.
   */
  candidate: { version: number; document: PolicyDocument | null };
}

/** A tenant's slug and policy version, for `policy` events after a baseline change. */
export interface TenantVersionRow {
  id: string;
  slug: string;
  version: number;
}

/** One row of the blocked-origin upsert. */
export interface BlockedRow {
  tenantId: string;
  origin: string;
  reason: string;
  hour: number;
  count: number;
  firstSeen: number;
  lastSeen: number;
}

/** The policy of one tenant in ONE statement (pg_stat_statements counts exactly one call per load). */
export const LOAD_POLICY_SQL = `SELECT t.slug, p.version, p.mode::text AS mode, p.allowed_methods, p.allowed_headers,
  p.exposed_headers, p.allow_credentials, p.max_age_seconds, p.allow_private_network, p.routes,
  COALESCE((SELECT json_agg(json_build_object('pattern', o.pattern, 'expiresAt',
      to_char(o.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) ORDER BY o.position)
    FROM origin_entries o WHERE o.tenant_id = t.id), '[]'::json) AS origins,
  COALESCE(b.version, 0) AS baseline_version, COALESCE(b.document, '{"origins":[]}'::jsonb) AS baseline,
  COALESCE(c.version, 0) AS candidate_version, c.document AS candidate
FROM tenants t JOIN policies p ON p.tenant_id = t.id LEFT JOIN platform_baseline b ON b.id = 1
  LEFT JOIN policy_candidates c ON c.tenant_id = t.id
WHERE t.id = $1::uuid`;

/** Slug and policy version of the given tenants, or of every tenant when $1 is null. */
const TENANT_VERSIONS_SQL = `SELECT t.id, t.slug, p.version FROM tenants t JOIN policies p ON p.tenant_id = t.id
WHERE $1::uuid[] IS NULL OR t.id = ANY($1::uuid[])`;

/** The two counted logs written by BlockedLogService's flush: refusals, and shadow differences (SPEC §3). */
export type CountTable = 'blocked' | 'shadow';

/**
 * A shadow difference's key in the counts (in the blocked log's `reason` slot): `direction/reason`. Both parts
 * are fixed tokens (decisionReasonSchema, shadowDirectionSchema) without a "/".
 */
export const shadowKey = (direction: string, reason: string) => `${direction}/${reason}`;

/**
 * The statements of one counted table. The blocked log keys rows by `reason`; the shadow log by `direction` and
 * `reason`, which travel joined as `direction/reason` (shadowKey) in the same parameter and are split here, so
 * one flush path, one cap (admitWithinCap) and one lock discipline serve both. Table names are constants.
 */
function countStatements(table: CountTable) {
  const name = table === 'blocked' ? 'blocked_origin_aggregates' : 'shadow_difference_aggregates';
  const keyCols = table === 'blocked' ? 'reason' : 'direction, reason';
  const keyValues =
    table === 'blocked' ? 'u.reason' : "split_part(u.reason, '/', 1), split_part(u.reason, '/', 2)";
  const keyMatch =
    table === 'blocked'
      ? 'b.reason = u.reason'
      : "b.direction = split_part(u.reason, '/', 1) AND b.reason = split_part(u.reason, '/', 2)";
  // Distinct lock spaces: the two logs never wait for each other.
  const lockSeed = table === 'blocked' ? 7341 : 7342;
  return {
    name,
    // Rows of tenants deleted since the refusal are dropped (the join), so a delete cannot fail a whole batch.
    upsert: `INSERT INTO ${name} (tenant_id, origin, ${keyCols}, hour, count, first_seen, last_seen)
SELECT u.tenant_id, u.origin, ${keyValues}, u.hour, u.count, u.first_seen, u.last_seen
FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::int[], $6::timestamptz[], $7::timestamptz[])
  AS u(tenant_id, origin, reason, hour, count, first_seen, last_seen)
WHERE EXISTS (SELECT 1 FROM tenants t WHERE t.id = u.tenant_id)
ON CONFLICT (tenant_id, origin, ${keyCols}, hour) DO UPDATE SET
  count = LEAST(${name}.count::bigint + EXCLUDED.count, 2147483647)::int,
  first_seen = LEAST(${name}.first_seen, EXCLUDED.first_seen),
  last_seen = GREATEST(${name}.last_seen, EXCLUDED.last_seen)`,
    // Replicas flushing the same tenant-hour take turns, so the itemised cap holds across all of them.
    lockTenantHours: `SELECT pg_advisory_xact_lock(k) FROM (
  SELECT DISTINCT hashtextextended(u.tenant_id || '|' || u.hour, ${lockSeed}) AS k
  FROM unnest($1::text[], $2::text[]) AS u(tenant_id, hour) ORDER BY k) s`,
    itemisedPerTenantHour: `SELECT b.tenant_id, b.hour, count(*)::int AS n
FROM ${name} b
JOIN (SELECT DISTINCT * FROM unnest($1::uuid[], $2::timestamptz[])) AS u(tenant_id, hour)
  ON b.tenant_id = u.tenant_id AND b.hour = u.hour
WHERE b.origin <> $3
GROUP BY b.tenant_id, b.hour`,
    presentRows: `SELECT u.i::int AS i
FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[]) WITH ORDINALITY AS u(tenant_id, origin, reason, hour, i)
WHERE EXISTS (SELECT 1 FROM ${name} b
  WHERE b.tenant_id = u.tenant_id AND b.origin = u.origin AND ${keyMatch} AND b.hour = u.hour)`,
  };
}

const COUNT_STATEMENTS = { blocked: countStatements('blocked'), shadow: countStatements('shadow') };

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The resolve path's queries, on a small pool of its own: policy loads, tenant-by-slug lookups, the batched
 * blocked-origin upsert and the retention purge. Owning the pool lets the final blocked-origin flush run after
 * the HTTP server has closed, whatever order Nest tears the Prisma client down in. Lookups and the upsert go
 * through the DatabaseCircuit: while PostgreSQL is unreachable they fail fast with DatabaseUnavailableError,
 * and the pool reconnects by itself once it is back (dead idle clients are dropped on their 'error').
 */
@Injectable()
export class ResolveRepository {
  private readonly pool: pg.Pool;

  constructor(
    @Inject(ENV) env: Env,
    private readonly circuit: DatabaseCircuit,
  ) {
    if (!env.DATABASE_URL) throw new Error('DATABASE_URL is not resolved');
    this.pool = new pg.Pool({
      connectionString: env.DATABASE_URL,
      max: 4,
      application_name: 'corsplane-resolve',
      // A black-holed server must not hold a lookup forever (the circuit's timeout answers first).
      connectionTimeoutMillis: LOOKUP_TIMEOUT_MS,
    });
    // An idle client's error (server restart) must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  loadPolicy(tenantId: string): Promise<ResolvePolicyRow | null> {
    return this.circuit.run(() => this.queryPolicy(tenantId), LOOKUP_TIMEOUT_MS);
  }

  private async queryPolicy(tenantId: string): Promise<ResolvePolicyRow | null> {
    const { rows } = await this.pool.query<{
      slug: string;
      version: number;
      mode: 'enforce' | 'report-only';
      allowed_methods: string[];
      allowed_headers: string[];
      exposed_headers: string[];
      allow_credentials: boolean;
      max_age_seconds: number | null;
      allow_private_network: boolean;
      routes: unknown;
      origins: Array<{ pattern: string; expiresAt: string | null }>;
      baseline_version: number;
      baseline: BaselineDocument;
      candidate_version: number;
      candidate: PolicyDocument | null;
    }>(LOAD_POLICY_SQL, [tenantId]);
    const r = rows[0];
    if (!r) return null;
    return {
      tenantId,
      slug: r.slug,
      version: r.version,
      document: {
        mode: r.mode,
        origins: r.origins,
        allowedMethods: r.allowed_methods,
        allowedHeaders: r.allowed_headers,
        exposedHeaders: r.exposed_headers,
        allowCredentials: r.allow_credentials,
        maxAgeSeconds: r.max_age_seconds,
        allowPrivateNetwork: r.allow_private_network,
        ...routesField(r.routes),
      },
      baseline: { version: r.baseline_version, document: r.baseline },
      candidate: { version: r.candidate_version, document: r.candidate },
    };
  }

  /** One query for the `policy` events of a baseline change; null: every tenant. */
  async tenantVersions(tenantIds: string[] | null): Promise<TenantVersionRow[]> {
    const { rows } = await this.circuit.run(
      () => this.pool.query<TenantVersionRow>(TENANT_VERSIONS_SQL, [tenantIds]),
      LOOKUP_TIMEOUT_MS,
    );
    return rows;
  }

  async tenantIdBySlug(slug: string): Promise<string | null> {
    const { rows } = await this.circuit.run(
      () => this.pool.query<{ id: string }>('SELECT id FROM tenants WHERE slug = $1', [slug]),
      LOOKUP_TIMEOUT_MS,
    );
    return rows[0]?.id ?? null;
  }

  /** The blocked log's flush (see upsertCounts). */
  upsertBlocked(batch: BlockedRow[], maxPerTenantHour: number): Promise<void> {
    return this.upsertCounts('blocked', batch, maxPerTenantHour);
  }

  /**
   * Writes a flush of one log in one transaction: per tenant-hour at most `maxPerTenantHour` itemised rows in
   * the table (new origins past it go to "(overflow)", see admitWithinCap), then one upsert. The caller merges
   * keys first (a row may be touched once).
   */
  async upsertCounts(
    table: CountTable,
    batch: BlockedRow[],
    maxPerTenantHour: number,
  ): Promise<void> {
    if (batch.length === 0) return;
    const sql = COUNT_STATEMENTS[table];
    await this.circuit.run(async () => {
      const client = await this.pool.connect();
      try {
        await client.query('BEGIN');
        const rows = await this.capped(client, sql, batch, maxPerTenantHour);
        await client.query(sql.upsert, [
          rows.map((r) => r.tenantId),
          rows.map((r) => r.origin),
          rows.map((r) => r.reason),
          rows.map((r) => iso(r.hour)),
          rows.map((r) => r.count),
          rows.map((r) => iso(r.firstSeen)),
          rows.map((r) => iso(r.lastSeen)),
        ]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    });
  }

  private async capped(
    client: pg.PoolClient,
    sql: (typeof COUNT_STATEMENTS)[CountTable],
    batch: BlockedRow[],
    max: number,
  ): Promise<BlockedRow[]> {
    const scoped = batch.filter((r) => r.origin !== OVERFLOW_ORIGIN);
    if (scoped.length === 0) return batch;
    const tenants = scoped.map((r) => r.tenantId);
    const hours = scoped.map((r) => iso(r.hour));
    await client.query(sql.lockTenantHours, [tenants, hours]);
    const counts = await client.query<{ tenant_id: string; hour: Date; n: number }>(
      sql.itemisedPerTenantHour,
      [tenants, hours, OVERFLOW_ORIGIN],
    );
    const itemised = new Map<string, number>();
    for (const c of counts.rows) itemised.set(tenantHourKey(c.tenant_id, c.hour.getTime()), c.n);
    const present = await client.query<{ i: number }>(sql.presentRows, [
      batch.map((r) => r.tenantId),
      batch.map((r) => r.origin),
      batch.map((r) => r.reason),
      batch.map((r) => iso(r.hour)),
    ]);
    // WITH ORDINALITY counts from 1.
    return admitWithinCap(batch, new Set(present.rows.map((p) => p.i - 1)), itemised, max);
  }

  /** Retention: blocked-origin and shadow-difference rows older than `before` (BLOCKED_RETENTION_DAYS). */
  async purgeBlockedBefore(before: Date): Promise<number> {
    let n = 0;
    for (const sql of Object.values(COUNT_STATEMENTS)) {
      const res = await this.pool.query(`DELETE FROM ${sql.name} WHERE hour < $1`, [before]);
      n += res.rowCount ?? 0;
    }
    return n;
  }

  /** Called by BlockedLogService after its final flush (so the pool outlives it). */
  async end(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}
