import { execFileSync } from 'node:child_process';
import { jest } from '@jest/globals';
import pg from 'pg';
import {
  adminClient,
  adminToken,
  freePort,
  REPO_ROOT,
  startApi,
  type ApiProcess,
} from '../bench/api-processes.mjs';
import { LISTENER_APPLICATION_NAME } from '../src/modules/resolve/change-listener.service.js';
import { validPolicy } from './factories/factories.js';
import { createTestDatabase } from './factories/test-app.js';

// Three real API processes (`node apps/api/dist/main.js`) on one database: a policy change made through one
// must show in /resolve on the other two, pushed over LISTEN/NOTIFY, also after the listeners' connections are
// killed. The caches' TTLs are a day, so nothing but the push can make a reader see a change: the tests assert
// that it is seen, not how fast (the delays are printed; `npm run bench:propagation` measures them).
// SEEN_GUARD_MS only stops a broken push from hanging the suite.
jest.setTimeout(240_000);

const ADMIN = { email: 'replicas@corsplane.test', password: 'replica-test-password-1' };
let db: Awaited<ReturnType<typeof createTestDatabase>>;
const apis: ApiProcess[] = [];
let admin: ReturnType<typeof adminClient>;
let key: string;
const slug = 'replicated';

beforeAll(async () => {
  // The processes run the built API: build it (Nx skips it when nothing changed).
  execFileSync('npx', ['nx', 'run', '@corsplane/api:build', '--outputStyle=static'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  db = await createTestDatabase();
  const env = {
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    DATABASE_POOL_MAX: '3',
    RESOLVE_POLICY_CACHE_TTL_SECONDS: '86400',
    RESOLVE_KEY_CACHE_TTL_SECONDS: '86400',
  };
  // The first creates the admin; then the other two.
  apis.push(
    await startApi({ databaseUrl: db.databaseUrl, port: await freePort(), env, name: 'api-1' }),
  );
  apis.push(
    ...(await Promise.all(
      ['api-2', 'api-3'].map(async (name) =>
        startApi({ databaseUrl: db.databaseUrl, port: await freePort(), env, name }),
      ),
    )),
  );
  admin = adminClient(apis[0]!.url, await adminToken(apis[0]!.url, ADMIN.email, ADMIN.password));
  await admin.createTenant(slug);
  key = await admin.createKey(slug);
});

afterAll(async () => {
  await Promise.all(apis.map((a) => a.stop()));
  await db?.drop();
});

async function versionOn(api: ApiProcess, origin: string): Promise<number> {
  const res = await fetch(`${api.url}/resolve?origin=${encodeURIComponent(origin)}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  if (res.status !== 200) throw new Error(`${api.name} answered ${res.status}`);
  return ((await res.json()) as { policyVersion: number }).policyVersion;
}

const SEEN_GUARD_MS = 60_000;

/** ms from the PUT's answer until `api` answers with `version` (polling), or Infinity if never seen. */
async function timeUntilVersion(api: ApiProcess, version: number, since: number) {
  for (;;) {
    if ((await versionOn(api, 'https://probe.example')) >= version)
      return performance.now() - since;
    if (performance.now() - since > SEEN_GUARD_MS) return Infinity;
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function change(i: number): Promise<number[]> {
  const version = await admin.putPolicy(
    slug,
    validPolicy({ origins: [{ pattern: `https://v${i}.example`, note: null, expiresAt: null }] }),
  );
  const since = performance.now();
  return Promise.all(apis.slice(1).map((api) => timeUntilVersion(api, version, since)));
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number;
};

async function listenerPids(c: pg.Client): Promise<number[]> {
  const { rows } = await c.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
    [LISTENER_APPLICATION_NAME],
  );
  return rows.map((r) => r.pid);
}

async function invalidationsReceived(api: ApiProcess): Promise<number> {
  const text = await (await fetch(`${api.url}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith('corsplane_cache_invalidations_received_total{kind="policy"}'));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

it('pushes 50 policy changes made through one process to the two others (each seen, one notification each)', async () => {
  // Warm the caches of the readers so every change really has to invalidate something.
  for (const api of apis) await versionOn(api, 'https://probe.example');
  const before = await Promise.all(apis.slice(1).map(invalidationsReceived));
  const delays: number[] = [];
  for (let i = 0; i < 50; i++) delays.push(...(await change(i)));
  const p50 = percentile(delays, 50);
  const p99 = percentile(delays, 99);
  process.stdout.write(
    `replica invalidation over 50 changes × 2 readers: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...delays).toFixed(1)} ms\n`,
  );
  expect(delays.filter((d) => d === Infinity)).toEqual([]);
  const after = await Promise.all(apis.slice(1).map(invalidationsReceived));
  expect(after.map((n, i) => n - before[i]!)).toEqual([50, 50]);
});

it('recovers when the listeners lose their connections: caches flushed, LISTEN again, changes still seen', async () => {
  const c = new pg.Client({ connectionString: db.databaseUrl });
  await c.connect();
  try {
    expect(await listenerPids(c)).toHaveLength(3);
    for (const api of apis) await versionOn(api, 'https://probe.example');
    await c.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
      [LISTENER_APPLICATION_NAME],
    );
    // A change right away, while the listeners are down: seen after the flush-on-reconnect at the latest.
    const during = await change(100);
    process.stdout.write(
      `change while the listeners were down: seen after ${during.map((d) => d.toFixed(0)).join(' / ')} ms\n`,
    );
    expect(during.filter((d) => d === Infinity)).toEqual([]);
    // They are back (new backends), and notifications flow again.
    const deadline = Date.now() + 10_000;
    while ((await listenerPids(c)).length < 3 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await listenerPids(c)).toHaveLength(3);
    for (const api of apis) await versionOn(api, 'https://probe.example');
    const after = await change(101);
    process.stdout.write(
      `change after reconnecting: seen after ${after.map((d) => d.toFixed(0)).join(' / ')} ms\n`,
    );
    expect(after.filter((d) => d === Infinity)).toEqual([]);
    const metrics = await (await fetch(`${apis[1]!.url}/metrics`)).text();
    expect(metrics).toMatch(/corsplane_change_listener_reconnects_total [1-9]/);
  } finally {
    await c.end();
  }
});
