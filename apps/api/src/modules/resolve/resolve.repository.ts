import { Inject, Injectable } from '@nestjs/common';
import pg from 'pg';
import type { PolicyDocument } from '@corsplane/policy';
import { ENV, type Env } from '../../config/env.schema.js';
import { DatabaseCircuit, LOOKUP_TIMEOUT_MS } from './database-circuit.service.js';

/** A tenant's current policy as /resolve needs it: the engine document plus what the answer names. */
export interface ResolvePolicyRow {
  tenantId: string;
  slug: string;
  version: number;
  document: PolicyDocument;
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
  p.exposed_headers, p.allow_credentials, p.max_age_seconds, p.allow_private_network,
  COALESCE((SELECT json_agg(json_build_object('pattern', o.pattern, 'expiresAt',
      to_char(o.expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) ORDER BY o.position)
    FROM origin_entries o WHERE o.tenant_id = t.id), '[]'::json) AS origins
FROM tenants t JOIN policies p ON p.tenant_id = t.id WHERE t.id = $1::uuid`;

// Rows of tenants deleted since the refusal are dropped (the join), so a delete cannot fail a whole batch.
const UPSERT_BLOCKED_SQL = `INSERT INTO blocked_origin_aggregates
  (tenant_id, origin, reason, hour, count, first_seen, last_seen)
SELECT u.tenant_id, u.origin, u.reason, u.hour, u.count, u.first_seen, u.last_seen
FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::int[], $6::timestamptz[], $7::timestamptz[])
  AS u(tenant_id, origin, reason, hour, count, first_seen, last_seen)
WHERE EXISTS (SELECT 1 FROM tenants t WHERE t.id = u.tenant_id)
ON CONFLICT (tenant_id, origin, reason, hour) DO UPDATE SET
  count = LEAST(blocked_origin_aggregates.count::bigint + EXCLUDED.count, 2147483647)::int,
  first_seen = LEAST(blocked_origin_aggregates.first_seen, EXCLUDED.first_seen),
  last_seen = GREATEST(blocked_origin_aggregates.last_seen, EXCLUDED.last_seen)`;

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
      origins: Array<{ pattern: string; expiresAt: string | null }>;
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
      },
    };
  }

  async tenantIdBySlug(slug: string): Promise<string | null> {
    const { rows } = await this.circuit.run(
      () => this.pool.query<{ id: string }>('SELECT id FROM tenants WHERE slug = $1', [slug]),
      LOOKUP_TIMEOUT_MS,
    );
    return rows[0]?.id ?? null;
  }

  /** One statement for the whole batch; the caller merges keys first (a row may be touched once). */
  async upsertBlocked(batch: BlockedRow[]): Promise<void> {
    if (batch.length === 0) return;
    const iso = (ms: number) => new Date(ms).toISOString();
    await this.circuit.run(() =>
      this.pool.query(UPSERT_BLOCKED_SQL, [
        batch.map((r) => r.tenantId),
        batch.map((r) => r.origin),
        batch.map((r) => r.reason),
        batch.map((r) => iso(r.hour)),
        batch.map((r) => r.count),
        batch.map((r) => iso(r.firstSeen)),
        batch.map((r) => iso(r.lastSeen)),
      ]),
    );
  }

  async purgeBlockedBefore(before: Date): Promise<number> {
    const res = await this.pool.query('DELETE FROM blocked_origin_aggregates WHERE hour < $1', [
      before,
    ]);
    return res.rowCount ?? 0;
  }

  /** Called by BlockedLogService after its final flush (so the pool outlives it). */
  async end(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}
