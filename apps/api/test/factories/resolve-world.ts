import { emptyPolicy } from '@corsplane/policy';
import { loadEnv } from '../../src/config/env.schema.js';
import { createLogger } from '../../src/common/logging/logger.js';
import type { ApiKeysService } from '../../src/modules/api-keys/api-keys.service.js';
import { MetricsService } from '../../src/modules/metrics/metrics.service.js';
import { BlockedLogService } from '../../src/modules/resolve/blocked-log.service.js';
import { DatabaseCircuit } from '../../src/modules/resolve/database-circuit.service.js';
import { KeyCacheService } from '../../src/modules/resolve/key-cache.service.js';
import { PolicyCacheService } from '../../src/modules/resolve/policy-cache.service.js';
import type {
  BlockedRow,
  ResolvePolicyRow,
  ResolveRepository,
} from '../../src/modules/resolve/resolve.repository.js';
import { ResolveService, shapeQuery } from '../../src/modules/resolve/resolve.service.js';

// The resolve path's services, real, over a switchable fake database (the repository and key lookups): the
// database boundary is the only fake. `db.down` makes every query fail like an unreachable PostgreSQL
// (`'other'`: like a bad query); `db.origins` is the tenants' policy; `db.loads` counts queries.

/** The error pg gives when PostgreSQL is unreachable. */
export const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
    code: 'ECONNREFUSED',
    syscall: 'connect',
    errno: -111,
  });

export const APP = 'https://app.example';
export const TENANTS: Record<string, { id: string; slug: string }> = {
  warm: { id: '00000000-0000-4000-8000-000000000001', slug: 'warm' },
  cold: { id: '00000000-0000-4000-8000-000000000002', slug: 'cold' },
};
// Keys in the legacy shape (no checksum: 43 characters after the prefix), which are looked up like real ones.
export const KEYS: Record<string, { tenant: string | null }> = {
  cpk_live_warm0001_secretsecretsecretsecretsecretsecretsecrets: { tenant: 'warm' },
  cpk_live_cold0001_secretsecretsecretsecretsecretsecretsecrets: { tenant: 'cold' },
  cpk_live_plat0001_secretsecretsecretsecretsecretsecretsecrets: { tenant: null },
};

export function world(env: Record<string, string> = {}) {
  const db = {
    down: false as boolean | 'other',
    /** The tenants' origins: a pattern, or an entry with its expiry. */
    origins: [APP] as Array<string | { pattern: string; expiresAt: string | null }>,
    loads: 0,
    upserts: [] as BlockedRow[][],
  };
  const check = () => {
    if (db.down === 'other') throw new Error('syntax error at or near "SELEC"');
    if (db.down) throw refused();
  };
  const repo = {
    async loadPolicy(tenantId: string): Promise<ResolvePolicyRow | null> {
      db.loads++;
      check();
      const t = Object.values(TENANTS).find((x) => x.id === tenantId);
      if (!t) return null;
      return {
        tenantId,
        slug: t.slug,
        version: 1,
        document: {
          ...emptyPolicy(),
          origins: db.origins.map((o) =>
            typeof o === 'string' ? { pattern: o, expiresAt: null } : o,
          ),
        },
        baseline: { version: 0, document: { origins: [] } },
        candidate: { version: 0, document: null },
      };
    },
    async tenantIdBySlug(slug: string) {
      db.loads++;
      check();
      return TENANTS[slug]?.id ?? null;
    },
    async upsertBlocked(batch: BlockedRow[]) {
      check();
      db.upserts.push(batch.map((r) => ({ ...r })));
    },
    async purgeBlockedBefore() {
      return 0;
    },
    async end() {},
  };
  const apiKeys = {
    async verify(secret: string) {
      db.loads++;
      check();
      const k = KEYS[secret];
      if (!k) return null;
      const t = k.tenant === null ? null : TENANTS[k.tenant]!;
      return {
        kind: 'key' as const,
        keyId: secret,
        prefix: secret.slice(0, 17),
        tenantId: t?.id ?? null,
        tenantSlug: t?.slug ?? null,
      };
    },
  };
  const config = loadEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: 'postgresql://u:p@127.0.0.1:5/x',
    ...env,
  });
  const logger = createLogger('silent');
  const metrics = new MetricsService();
  const circuit = new DatabaseCircuit(logger);
  // The repository goes through the circuit in production; the fake does the same here.
  const circuitRepo = {
    ...repo,
    loadPolicy: (id: string) => circuit.run(() => repo.loadPolicy(id)),
    tenantIdBySlug: (slug: string) => circuit.run(() => repo.tenantIdBySlug(slug)),
    upsertBlocked: (b: BlockedRow[]) => circuit.run(() => repo.upsertBlocked(b)),
    // The blocked log's flush (the shadow log's too, which this suite does not fill).
    upsertCounts: (_table: string, b: BlockedRow[]) => circuit.run(() => repo.upsertBlocked(b)),
  } as unknown as ResolveRepository;
  const keys = new KeyCacheService(apiKeys as unknown as ApiKeysService, metrics, config, circuit);
  const policies = new PolicyCacheService(circuitRepo, metrics, config, logger);
  const blocked = new BlockedLogService(circuitRepo, metrics, config, logger);
  const resolver = new ResolveService(keys, policies, blocked, metrics, config);
  const ask = (key: string, origin: string, tenant?: string) =>
    resolver.resolve(
      `Bearer ${key}`,
      shapeQuery(tenant === undefined ? { origin } : { origin, tenant }),
    );
  /** What the change listener does when its connection drops. */
  const listenerLost = () => {
    policies.setDegraded(true);
    policies.markStale();
    keys.markStale();
  };
  return { db, ask, blocked, circuit, listenerLost, policies, keys, resolver, metrics };
}

export const WARM = 'cpk_live_warm0001_secretsecretsecretsecretsecretsecretsecrets';
export const COLD = 'cpk_live_cold0001_secretsecretsecretsecretsecretsecretsecrets';
export const PLATFORM = 'cpk_live_plat0001_secretsecretsecretsecretsecretsecretsecrets';
