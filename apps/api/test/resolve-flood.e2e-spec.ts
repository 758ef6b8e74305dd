import http from 'node:http';
import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import { jest } from '@jest/globals';
import { BlockedLogService, OVERFLOW_ORIGIN } from '../src/modules/resolve/blocked-log.service.js';
import { PolicyCacheService } from '../src/modules/resolve/policy-cache.service.js';
import {
  createKey,
  createTenant,
  createUser,
  validPolicy,
  type TestUser,
} from './factories/factories.js';
import { openStatementStats, type StatementStats } from './factories/statement-stats.js';
import { createTestApp, type TestApp } from './factories/test-app.js';

// Floods against one tenant over real HTTP: made-up origins must not reach PostgreSQL (policy loads are
// counted AT the database, by pg_stat_statements), memory stays bounded, and every refusal is counted.
// Generous: the floods must finish on a busy 2-core machine (issue 14: npm test beside a benchmark); no timing is asserted.
jest.setTimeout(600_000);

let t: TestApp;
let admin: TestUser;
let base: string;
let stats: StatementStats;

beforeAll(async () => {
  t = await createTestApp({
    BLOCKED_MAX_KEYS: '1000',
    BLOCKED_MAX_ORIGINS_PER_TENANT_HOUR: '1000',
    // The TTL is only the safety net behind change notifications; on a busy machine the flood can outlast
    // the default 300 s, and its expiry would be a second load the origins did not cause.
    RESOLVE_POLICY_CACHE_TTL_SECONDS: '86400',
    RESOLVE_KEY_CACHE_TTL_SECONDS: '86400',
  });
  admin = await createUser(t, { platformRole: 'admin' });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
  stats = await openStatementStats(t.databaseUrl);
});
afterAll(async () => {
  await stats?.end();
  await t?.close();
});

/** Calls of the policy-load statement in this test's database, as PostgreSQL counted them. */
function policyLoadsAtDatabase(): Promise<number> {
  return stats.calls('%FROM tenants t JOIN policies p%');
}

/** `total` GETs over `concurrency` keep-alive connections; returns how many answered 200 per reason. */
async function flood(
  total: number,
  bearer: string,
  originOf: (i: number) => string,
  concurrency = 50,
) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const reasons = new Map<string, number>();
  let next = 0;
  const one = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const req = http.get(
        `${base}/resolve?origin=${encodeURIComponent(originOf(i))}`,
        { agent, headers: { authorization: bearer } },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => {
            const reason =
              res.statusCode === 200
                ? (JSON.parse(body) as { reason: string }).reason
                : `HTTP ${res.statusCode}`;
            reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
            resolve();
          });
        },
      );
      req.on('error', reject);
    });
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await one(next++);
    }),
  );
  agent.destroy();
  return reasons;
}

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

async function blockedTotal(tenantId: string, origin?: string): Promise<number> {
  const agg = await t.prisma.blockedOriginAggregate.aggregate({
    where: { tenantId, ...(origin ? { origin } : {}) },
    _sum: { count: true },
  });
  return agg._sum.count ?? 0;
}

it('100,000 distinct made-up origins: at most one policy query at the database, bounded memory, exact counts', async () => {
  const tenant = await createTenant(t);
  const key = await createKey(t, tenant);
  await t.app.get(PolicyCacheService).policy(tenant.id); // warm: the flood must start from a cached policy…
  await t
    .http()
    .put(`/v1/tenants/${tenant.slug}/policy`)
    .set('authorization', admin.bearer)
    .set('if-match', '1')
    .send(validPolicy())
    .expect(200); // …that a change has just invalidated (NOTIFY), so the flood itself loads it once.
  await new Promise((r) => setTimeout(r, 200));
  await t.app.get(BlockedLogService).flush();
  const loadsBefore = await policyLoadsAtDatabase();
  const heapBefore = heapAfterGc();
  const rssBefore = process.memoryUsage().rss;

  const n = 100_000;
  const started = Date.now();
  const reasons = await flood(
    n,
    key.bearer,
    (i) => `https://flood-${i}-${(i * 7919) % 100_003}.evil.example`,
  );
  const seconds = (Date.now() - started) / 1000;

  await t.app.get(BlockedLogService).flush();
  const heapAfter = heapAfterGc();
  const loads = (await policyLoadsAtDatabase()) - loadsBefore;
  const growthMb = (heapAfter - heapBefore) / 1024 / 1024;
  process.stdout.write(
    `flood: ${n} origins in ${seconds.toFixed(1)} s (${Math.round(n / seconds)} req/s); policy queries at the database: ${loads}; ` +
      `heap after GC ${(heapBefore / 1048576).toFixed(1)} -> ${(heapAfter / 1048576).toFixed(1)} MB (${growthMb.toFixed(1)} MB), ` +
      `rss ${(rssBefore / 1048576).toFixed(0)} -> ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB\n`,
  );
  expect(Object.fromEntries(reasons)).toEqual({ 'origin-not-allowed': n });
  expect(loads).toBeLessThanOrEqual(1);
  expect(growthMb).toBeLessThan(50);
  // 100,000 distinct origins overflow the 1,000-key window: the rest land in "(overflow)", totals exact.
  expect(await blockedTotal(tenant.id)).toBe(n);
  expect(await blockedTotal(tenant.id, OVERFLOW_ORIGIN)).toBeGreaterThan(0);
});

it('a burst of 50,000 refusals is counted exactly', async () => {
  const tenant = await createTenant(t);
  const key = await createKey(t, tenant);
  const n = 50_000;
  // 300 origins, hit over and over (itemised), plus malformed values (a refusal reason of their own).
  const reasons = await flood(n, key.bearer, (i) =>
    i % 10 === 0 ? `https://bad/${i % 7}` : `https://burst-${i % 300}.example`,
  );
  await t.app.get(BlockedLogService).flush();
  expect(Object.fromEntries(reasons)).toEqual({
    'origin-not-allowed': n * 0.9,
    'malformed-origin': n * 0.1,
  });
  const total = await blockedTotal(tenant.id);
  process.stdout.write(`burst: ${n} refusals sent, ${total} counted\n`);
  expect(total).toBe(n);
  let sevens = 0;
  for (let i = 0; i < n; i++) if (i % 10 !== 0 && i % 300 === 7) sevens++;
  expect(await blockedTotal(tenant.id, 'https://burst-7.example')).toBe(sevens);
  expect(await blockedTotal(tenant.id, OVERFLOW_ORIGIN)).toBe(0);
});
