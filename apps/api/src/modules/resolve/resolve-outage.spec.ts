import { jest } from '@jest/globals';
import { emptyPolicy } from '@corsplane/policy';
import { loadEnv } from '../../config/env.schema.js';
import { createLogger } from '../../common/logging/logger.js';
import { DatabaseUnavailableError } from '../../common/errors/database-unavailable.js';
import type { ApiKeysService } from '../api-keys/api-keys.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { BlockedLogService, OVERFLOW_ORIGIN } from './blocked-log.service.js';
import { CIRCUIT_OPEN_MS, DatabaseCircuit } from './database-circuit.service.js';
import { KeyCacheService } from './key-cache.service.js';
import { PolicyCacheService } from './policy-cache.service.js';
import type { BlockedRow, ResolvePolicyRow, ResolveRepository } from './resolve.repository.js';
import { ResolveService, RETRY_AFTER_SECONDS, shapeQuery } from './resolve.service.js';

// The resolve path while PostgreSQL is unreachable, with the database replaced by a switchable fake:
// cached keys and tenants keep their answers (stale-if-error), everything else is a 503 with Retry-After
// (never a 401, a 404 or a made-up decision), the blocked log keeps exact counts in bounded memory, and
// everything comes back by itself. The real outage (PostgreSQL stopped) is `npm run test:faults`.

const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
    code: 'ECONNREFUSED',
    syscall: 'connect',
    errno: -111,
  });

const APP = 'https://app.example';
const TENANTS: Record<string, { id: string; slug: string }> = {
  warm: { id: '00000000-0000-4000-8000-000000000001', slug: 'warm' },
  cold: { id: '00000000-0000-4000-8000-000000000002', slug: 'cold' },
};
// Keys in the legacy shape (no checksum: 43 characters after the prefix), which are looked up like real ones.
const KEYS: Record<string, { tenant: string | null }> = {
  cpk_live_warm0001_secretsecretsecretsecretsecretsecretsecrets: { tenant: 'warm' },
  cpk_live_cold0001_secretsecretsecretsecretsecretsecretsecrets: { tenant: 'cold' },
  cpk_live_plat0001_secretsecretsecretsecretsecretsecretsecrets: { tenant: null },
};

function world(env: Record<string, string> = {}) {
  const db = {
    down: false as boolean | 'other',
    origins: [APP],
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
          origins: db.origins.map((pattern) => ({ pattern, expiresAt: null })),
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
  return { db, ask, blocked, circuit, listenerLost, policies, keys };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const WARM = 'cpk_live_warm0001_secretsecretsecretsecretsecretsecretsecrets';
const COLD = 'cpk_live_cold0001_secretsecretsecretsecretsecretsecretsecrets';
const PLATFORM = 'cpk_live_plat0001_secretsecretsecretsecretsecretsecretsecrets';

describe('/resolve while the database is unreachable', () => {
  it('keeps answering cached keys and tenants with the same decision, with no database round trip per request', async () => {
    const w = world();
    const before = await w.ask(WARM, APP);
    expect(before).toMatchObject({ status: 200, body: { allowed: true } });
    const platformBefore = await w.ask(PLATFORM, 'https://evil.example', 'warm');
    expect(platformBefore).toMatchObject({ status: 200, body: { allowed: false } });
    w.db.down = true;
    w.listenerLost();
    const loads = w.db.loads;
    for (let i = 0; i < 200; i++) {
      const out = await w.ask(WARM, APP);
      expect(out.status).toBe(200);
      expect(out.body).toEqual(before.body);
      expect((await w.ask(PLATFORM, 'https://evil.example', 'warm')).body).toEqual(
        platformBefore.body,
      );
    }
    // One failed reload of key, tenant, slug and policy; then the circuit and the 1 s retry window hold.
    expect(w.db.loads - loads).toBeLessThanOrEqual(4);
    expect(w.circuit.available).toBe(false);
  });

  it('serves entries past their TTL too (stale-if-error), and reloads them once the database is back', async () => {
    const w = world({ RESOLVE_POLICY_CACHE_TTL_SECONDS: '1', RESOLVE_KEY_CACHE_TTL_SECONDS: '1' });
    expect((await w.ask(WARM, APP)).status).toBe(200);
    w.db.down = true;
    await sleep(1100);
    expect(await w.ask(WARM, APP)).toMatchObject({ status: 200, body: { allowed: true } });
    // Back up, with a changed policy: seen after the circuit window and the stale entry's retry window.
    w.db.down = false;
    w.db.origins = ['https://new.example'];
    await sleep(CIRCUIT_OPEN_MS + 1100);
    expect(await w.ask(WARM, APP)).toMatchObject({ status: 200, body: { allowed: false } });
    expect(w.circuit.available).toBe(true);
  });

  it('answers 503 with Retry-After for a key it has never seen (not 401: the key may be valid)', async () => {
    const w = world();
    await w.ask(WARM, APP);
    w.db.down = true;
    const out = await w.ask(COLD, APP);
    expect(out).toEqual({
      status: 503,
      body: { statusCode: 503, error: 'Service Unavailable', message: expect.any(String) },
      retryAfter: RETRY_AFTER_SECONDS,
    });
    // A made-up key is no different: it cannot be told apart from a new one without the database.
    expect(
      (await w.ask('cpk_live_nope0001_secretsecretsecretsecretsecretsecretsecrets', APP)).status,
    ).toBe(503);
    // A malformed Authorization still is a 401 (no lookup needed).
    expect((await w.ask('', APP)).status).toBe(401);
  });

  it('answers 503 for a tenant it has never loaded (platform key cached, tenant not)', async () => {
    const w = world();
    await w.ask(PLATFORM, APP, 'warm');
    w.db.down = true;
    expect(await w.ask(PLATFORM, APP, 'cold')).toMatchObject({
      status: 503,
      retryAfter: RETRY_AFTER_SECONDS,
    });
    expect(await w.ask(PLATFORM, APP, 'warm')).toMatchObject({ status: 200 });
  });

  it('recovers without a restart: the tenant never loaded gets its decision once the database is back', async () => {
    const w = world();
    w.db.down = true;
    expect((await w.ask(COLD, APP)).status).toBe(503);
    w.db.down = false;
    await sleep(CIRCUIT_OPEN_MS + 50);
    expect(await w.ask(COLD, APP)).toMatchObject({ status: 200, body: { allowed: true } });
  });

  it('does not turn other database errors into a 503 (a bug stays a 500)', async () => {
    const w = world();
    w.db.down = 'other';
    await expect(w.ask(COLD, APP)).rejects.toThrow('syntax error');
  });

  it('forgets a stale entry when the database says the key was revoked or the tenant deleted', async () => {
    const w = world();
    await w.ask(WARM, APP);
    w.listenerLost();
    delete KEYS[WARM];
    try {
      expect((await w.ask(WARM, APP)).status).toBe(401);
    } finally {
      KEYS[WARM] = { tenant: 'warm' };
    }
  });
});

describe('the blocked-origin log across an outage', () => {
  it('keeps exact totals in bounded memory and writes them all after recovery', async () => {
    const w = world({ BLOCKED_MAX_KEYS: '10' });
    const tenant = TENANTS.warm!.id;
    w.db.down = true;
    let sent = 0;
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 300; i++) {
        w.blocked.record(tenant, `https://o${i % 50}.example`, 'origin-not-allowed');
        sent++;
      }
      await w.blocked.flush(); // fails: folded back
      expect(w.blocked.pendingCount()).toBe(sent);
    }
    // Bounded: at most BLOCKED_MAX_KEYS itemised rows plus one overflow row per tenant, reason and hour.
    const internals = (
      w.blocked as unknown as {
        blocked: { size: number; overflow: Map<string, unknown> };
      }
    ).blocked;
    expect(internals.size).toBeLessThanOrEqual(10);
    expect(internals.overflow.size).toBeLessThanOrEqual(2);
    w.db.down = false;
    await sleep(CIRCUIT_OPEN_MS + 50);
    await w.blocked.flush();
    expect(w.blocked.pendingCount()).toBe(0);
    const written = w.db.upserts.flat();
    expect(written.reduce((n, r) => n + r.count, 0)).toBe(sent);
    expect(written.some((r) => r.origin === OVERFLOW_ORIGIN)).toBe(true);
  });
});

describe('DatabaseCircuit', () => {
  const logger = createLogger('silent');

  it('fails fast for a second after a connection failure, then tries again', async () => {
    const circuit = new DatabaseCircuit(logger);
    const fn = jest.fn(async () => {
      throw refused();
    });
    await expect(circuit.run(fn)).rejects.toBeInstanceOf(DatabaseUnavailableError);
    await expect(circuit.run(fn)).rejects.toBeInstanceOf(DatabaseUnavailableError);
    expect(fn).toHaveBeenCalledTimes(1);
    await sleep(CIRCUIT_OPEN_MS + 20);
    await expect(circuit.run(async () => 42)).resolves.toBe(42);
    expect(circuit.available).toBe(true);
  });

  it('treats a lookup that never answers as unreachable, and lets other errors through', async () => {
    const circuit = new DatabaseCircuit(logger);
    await expect(circuit.run(() => new Promise(() => undefined), 50)).rejects.toBeInstanceOf(
      DatabaseUnavailableError,
    );
    const other = new DatabaseCircuit(logger);
    await expect(
      other.run(async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(other.available).toBe(true);
  });
});
