import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { jest } from '@jest/globals';
import pg from 'pg';
import {
  adminClient,
  adminToken,
  freePort,
  REPO_ROOT,
  startApi,
  type ApiProcess,
} from '../../bench/api-processes.mjs';

// Fault test (npm run test:faults): the built API as a child process on a PostgreSQL of this test's own,
// under a steady /resolve load; PostgreSQL is stopped for 10 s and started again. Checked: the cached
// tenant is answered throughout (no error, the same decisions), the tenant never asked gets 503 +
// Retry-After (never a decision, never a 500), /readyz follows the database down and up, every refusal
// counted during the outage reaches the database after it (exact totals), and it is the same process
// throughout (no restart).
jest.setTimeout(180_000);

const OUTAGE_MS = 10_000;
const CONCURRENCY = 20;
const ALLOWED = 'https://app.acme.com';
const ADMIN = { email: 'faults@corsplane.test', password: 'faults-test-password-1' };
const POLICY = {
  mode: 'enforce',
  origins: [{ pattern: ALLOWED, note: null, expiresAt: null }],
  allowedMethods: ['GET', 'POST'],
  allowedHeaders: ['content-type'],
  exposedHeaders: [],
  allowCredentials: false,
  maxAgeSeconds: 600,
  allowPrivateNetwork: false,
};

interface EmbeddedPg {
  databaseUrl: string;
  stop(): Promise<void>;
  start(): Promise<void>;
}
type StartEmbeddedPostgres = (o: {
  baseDir: string;
  port: number;
  database: string;
}) => Promise<EmbeddedPg>;
type Migrate = (o: { databaseUrl: string; command: 'deploy'; log: () => void }) => Promise<void>;

let baseDir: string;
let server: EmbeddedPg | null = null;
let serverUp = false;
let api: ApiProcess | null = null;

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY + 8 });

function get(port: number, pathname: string, headers: Record<string, string> = {}) {
  return new Promise<Answer>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: pathname, agent, headers, timeout: 10_000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterAll(async () => {
  agent.destroy();
  await api?.stop();
  if (server && serverUp) await server.stop();
  if (baseDir) fs.rmSync(baseDir, { recursive: true, force: true });
});

it('rides out a 10 s PostgreSQL outage under /resolve load', async () => {
  if (!fs.existsSync(path.join(REPO_ROOT, 'apps/api/dist/main.js')))
    throw new Error(
      'apps/api/dist is missing: run through `npm run test:faults` (it builds first)',
    );

  // --- PostgreSQL of our own, migrated ---------------------------------------------------------------
  baseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'corsplane-faults-'));
  fs.chmodSync(baseDir, 0o755); // the postgres user must be able to enter it
  const scripts = pathToFileURL(path.join(REPO_ROOT, 'scripts')).href;
  const { startEmbeddedPostgres } = (await import(`${scripts}/embedded-postgres.mjs`)) as {
    startEmbeddedPostgres: StartEmbeddedPostgres;
  };
  const { migrate } = (await import(`${scripts}/migrate-wasm.mjs`)) as { migrate: Migrate };
  server = await startEmbeddedPostgres({
    baseDir,
    port: await freePort(),
    database: 'corsplane_faults',
  });
  serverUp = true;
  const db = server;
  await migrate({ databaseUrl: db.databaseUrl, command: 'deploy', log: () => {} });

  // --- the API, two tenants, keys ------------------------------------------------------------------
  const port = await freePort();
  api = await startApi({
    databaseUrl: db.databaseUrl,
    port,
    name: 'faults-api',
    env: {
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      // Short TTLs: the cached entries expire during the outage, so stale-if-error is what serves them.
      RESOLVE_POLICY_CACHE_TTL_SECONDS: '3',
      RESOLVE_KEY_CACHE_TTL_SECONDS: '3',
    },
  });
  const token = await adminToken(api.url, ADMIN.email, ADMIN.password);
  const admin = adminClient(api.url, token);
  const warm = (await admin.createTenant('warm')) as { id: string };
  await admin.createTenant('cold');
  await admin.putPolicy('warm', POLICY);
  await admin.putPolicy('cold', POLICY);
  const warmKey = await admin.createKey('warm');
  const coldKey = await admin.createKey('cold');
  const platform = await fetch(`${api.url}/v1/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'faults-platform' }),
  });
  expect(platform.status).toBe(201);
  const platformKey = ((await platform.json()) as { secret: string }).secret;

  const startTime = async () => {
    const text = await (await fetch(`${api!.url}/metrics`)).text();
    return /^process_start_time_seconds (\S+)$/m.exec(text)?.[1];
  };
  const startedAt = await startTime();
  expect(startedAt).toBeDefined();

  // --- the load: CONCURRENCY loops on the cached tenant, every other request a refusal ---------------
  type Phase = 'before' | 'outage' | 'restarting' | 'after';
  let phase: Phase = 'before';
  let loading = true;
  let seq = 0;
  const answered: Record<Phase, number> = { before: 0, outage: 0, restarting: 0, after: 0 };
  const refusals: Record<Phase, number> = { before: 0, outage: 0, restarting: 0, after: 0 };
  const errors: string[] = [];
  const latencies: number[] = [];
  const warmAuth = { authorization: `Bearer ${warmKey}` };

  async function loadLoop(): Promise<void> {
    while (loading) {
      const i = seq++;
      const refused = i % 2 === 1;
      const origin = refused ? `https://refused-${i % 7}.example` : ALLOWED;
      const t0 = performance.now();
      try {
        const res = await get(port, `/resolve?origin=${encodeURIComponent(origin)}`, warmAuth);
        latencies.push(performance.now() - t0);
        const p = phase;
        if (res.status !== 200) {
          errors.push(`${p}: ${res.status} ${res.body.slice(0, 200)}`);
          continue;
        }
        const body = JSON.parse(res.body) as {
          allowed: boolean;
          headers: Record<string, string>;
        };
        const acao = body.headers['access-control-allow-origin'];
        if (refused ? body.allowed || acao !== undefined : !body.allowed || acao !== ALLOWED) {
          errors.push(`${p}: wrong decision for ${origin}: ${res.body.slice(0, 200)}`);
          continue;
        }
        answered[p]++;
        if (refused) refusals[p]++;
      } catch (e) {
        errors.push(`${phase}: ${(e as Error).message}`);
      }
    }
  }

  // --- probes: the uncached tenant (its own key; the cached platform key + tenant=cold), /readyz ------
  const cold = { '503': 0, retryAfter: 0, other: [] as string[] };
  const readyz: Array<{ t: number; phase: Phase; status: number }> = [];
  let probing = true;
  const t0 = performance.now();

  async function coldProbe(): Promise<void> {
    while (probing) {
      for (const [pathname, key] of [
        ['/resolve?origin=https%3A%2F%2Fapp.acme.com', coldKey],
        ['/resolve?origin=https%3A%2F%2Fapp.acme.com&tenant=cold', platformKey],
      ] as const) {
        const p = phase;
        const res = await get(port, pathname, { authorization: `Bearer ${key}` });
        if (p !== 'outage' || phase !== 'outage') continue; // only answers wholly inside the outage
        if (res.status === 503) {
          cold['503']++;
          const body = JSON.parse(res.body) as { statusCode: number; error: string };
          if (res.headers['retry-after'] === '5' && body.statusCode === 503) cold.retryAfter++;
          if (body.error !== 'Service Unavailable') cold.other.push(res.body);
        } else cold.other.push(`${res.status} ${res.body.slice(0, 200)}`);
      }
      await sleep(100);
    }
  }

  async function readyProbe(): Promise<void> {
    while (probing) {
      const p = phase;
      const res = await get(port, '/readyz');
      readyz.push({
        t: performance.now() - t0,
        phase: p === phase ? p : 'restarting',
        status: res.status,
      });
      await sleep(200);
    }
  }

  // Warm: the cached tenant and the platform key are loaded (cold is never asked before the outage).
  expect((await get(port, `/resolve?origin=${encodeURIComponent(ALLOWED)}`, warmAuth)).status).toBe(
    200,
  );
  expect(
    (
      await get(port, `/resolve?origin=${encodeURIComponent(ALLOWED)}&tenant=warm`, {
        authorization: `Bearer ${platformKey}`,
      })
    ).status,
  ).toBe(200);

  const loops = Array.from({ length: CONCURRENCY }, () => loadLoop());
  const probes = [readyProbe()];
  await sleep(2_000);

  // --- the outage ----------------------------------------------------------------------------------
  const stopAt = performance.now();
  await db.stop();
  serverUp = false;
  const stoppedIn = performance.now() - stopAt;
  phase = 'outage';
  probes.push(coldProbe());
  await sleep(OUTAGE_MS);
  phase = 'restarting';
  const startAt = performance.now();
  await db.start();
  serverUp = true;
  const startedIn = performance.now() - startAt;
  phase = 'after';
  const upAt = performance.now();
  let readyAgainMs = Infinity;
  while (performance.now() - upAt < 15_000) {
    const last = readyz.at(-1);
    if (last && last.phase === 'after' && last.status === 200) {
      readyAgainMs = last.t - (upAt - t0);
      break;
    }
    await sleep(50);
  }
  await sleep(3_000);
  loading = false;
  probing = false;
  await Promise.all([...loops, ...probes]);

  // --- after: the uncached tenant answers, the admin API works, the counts arrive -------------------
  const coldAfter = await get(port, '/resolve?origin=https%3A%2F%2Fapp.acme.com', {
    authorization: `Bearer ${coldKey}`,
  });
  const adminAfter = await fetch(`${api.url}/v1/tenants`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const sent = refusals.before + refusals.outage + refusals.restarting + refusals.after;
  const c = new pg.Client({ connectionString: db.databaseUrl });
  await c.connect();
  let recovered = -1;
  const flushFrom = performance.now();
  try {
    for (;;) {
      const { rows } = await c.query<{ n: string }>(
        'SELECT COALESCE(sum(count), 0)::text AS n FROM blocked_origin_aggregates WHERE tenant_id = $1',
        [warm.id],
      );
      recovered = Number(rows[0]?.n);
      if (recovered >= sent || performance.now() - flushFrom > 10_000) break;
      await sleep(200);
    }
  } finally {
    await c.end();
  }
  const metrics = await (await fetch(`${api.url}/metrics`)).text();
  const flushFailures = /^corsplane_blocked_flush_failures_total (\S+)$/m.exec(metrics)?.[1];
  const restarted = (await startTime()) !== startedAt;

  const readyDuring = readyz.filter((r) => r.phase === 'outage');
  const transitions: string[] = [];
  for (let i = 0; i < readyz.length; i++) {
    const r = readyz[i]!;
    if (i === 0 || readyz[i - 1]!.status !== r.status)
      transitions.push(`${r.status} at ${(r.t / 1000).toFixed(1)} s (${r.phase})`);
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const p99 = sorted[Math.floor(sorted.length * 0.99)] ?? 0;
  const rows: Array<[string, string]> = [
    ['PostgreSQL stopped / started in', `${stoppedIn.toFixed(0)} ms / ${startedIn.toFixed(0)} ms`],
    ['outage (PostgreSQL down)', `${(OUTAGE_MS / 1000).toFixed(0)} s`],
    [
      'cached tenant: answered before / during / after',
      `${answered.before} / ${answered.outage} / ${answered.restarting + answered.after}`,
    ],
    ['cached tenant: errors or wrong decisions (whole run)', String(errors.length)],
    ['cached tenant: /resolve p99 latency (whole run)', `${p99.toFixed(1)} ms`],
    [
      'uncached tenant during outage: 503 (with Retry-After: 5)',
      `${cold['503']} (${cold.retryAfter})`,
    ],
    ['uncached tenant during outage: anything else', String(cold.other.length)],
    ['uncached tenant after recovery', String(coldAfter.status)],
    [
      '/readyz during outage: 503 of polls',
      `${readyDuring.filter((r) => r.status === 503).length} of ${readyDuring.length}`,
    ],
    ['/readyz transitions', transitions.join(' → ')],
    ['/readyz 200 again after PostgreSQL up', `${readyAgainMs.toFixed(0)} ms`],
    ['refusals sent (of which during outage)', `${sent} (${refusals.outage})`],
    ['refusals recovered in the database', String(recovered)],
    ['blocked-log flush failures (retried)', String(flushFailures)],
    ['API restarted', restarted ? 'yes' : `no (pid ${api.pid})`],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(
    `\nfault test: PostgreSQL outage under /resolve load (${CONCURRENCY} in flight)\n` +
      rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join('\n') +
      (errors.length ? `\n  first errors:\n    ${errors.slice(0, 5).join('\n    ')}` : '') +
      (cold.other.length
        ? `\n  uncached, unexpected:\n    ${cold.other.slice(0, 5).join('\n    ')}`
        : '') +
      '\n',
  );

  expect(errors).toEqual([]);
  expect(answered.outage).toBeGreaterThan(100);
  expect(refusals.outage).toBeGreaterThan(50);
  expect(cold.other).toEqual([]);
  expect(cold['503']).toBeGreaterThan(10);
  expect(cold.retryAfter).toBe(cold['503']);
  expect(coldAfter.status).toBe(200);
  expect(adminAfter.status).toBe(200);
  expect(readyDuring.length).toBeGreaterThan(10);
  expect(readyDuring.every((r) => r.status === 503)).toBe(true);
  expect(readyz.at(-1)?.status).toBe(200);
  expect(readyAgainMs).toBeLessThan(Infinity); // it did come back (how fast is printed above)
  expect(recovered).toBe(sent);
  expect(Number(flushFailures)).toBeGreaterThan(0);
  expect(restarted).toBe(false);
});
