// npm run bench:admin — the SaaS-scale admin writes of SPEC §4.1 on one API process (`apps/api/dist/main.js`) and an
// embedded PostgreSQL:
//   1. ADD_COUNT (200) serial single-origin adds (`POST …/policy/origins`), after ADD_WARMUP (10), to a tenant
//      of SMALL_ORIGINS (1,000) and to one of ADMIN_ORIGINS (100,000, the limit; the last add reaches it):
//      p50/p90/p99/max side by side, and the ratio (each add stores a delta version, so it should be ~1);
//   2. SNAPSHOT_ADDS (20) adds to the big tenant through a second API process with POLICY_SNAPSHOT_INTERVAL=1,
//      so each stores a whole-policy snapshot: what the one add in POLICY_SNAPSHOT_INTERVAL (1,000) that closes
//      a chain costs;
//   3. an import of IMPORT_LINES (100,000) text lines into an empty tenant: wall time, and its dry run.
//
//   BENCH_SKIP_BUILD=1 npm run bench:admin
import crypto from 'node:crypto';
import os from 'node:os';
import { adminClient, adminToken, freePort, startApi } from './api-processes.mjs';
import {
  benchDatabase,
  benchOrigins,
  buildApi,
  cleanupStack,
  seedBenchTenant,
} from './support.mjs';

const ORIGINS = Number(process.env.ADMIN_ORIGINS ?? 100_000);
const SMALL = Number(process.env.SMALL_ORIGINS ?? 1_000);
const SNAPSHOT_ADDS = Number(process.env.SNAPSHOT_ADDS ?? 20);
const COUNT = Number(process.env.ADD_COUNT ?? 200);
const WARMUP = Number(process.env.ADD_WARMUP ?? 10);
const IMPORT_LINES = Number(process.env.IMPORT_LINES ?? 100_000);
const ADMIN = { email: 'bench@corsplane.test', password: 'bench-password-123' };

const cleanups = cleanupStack();
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const f = (x) => x.toFixed(1);

async function call(url, token, init) {
  const t0 = performance.now();
  const res = await fetch(url, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...init.headers },
  });
  const json = await res.json();
  const ms = performance.now() - t0;
  if (res.status >= 300)
    throw new Error(
      `${init.method} ${url} answered ${res.status}: ${JSON.stringify(json).slice(0, 300)}`,
    );
  return { ms, json };
}

async function main() {
  buildApi();
  const { databaseUrl } = await benchDatabase(cleanups, { database: 'admin' });
  const env = { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password };
  const api = await startApi({ databaseUrl, port: await freePort(), name: 'api', env });
  cleanups.push(() => api.stop());
  const id = crypto.randomBytes(3).toString('hex');

  const token = await adminToken(api.url, ADMIN.email, ADMIN.password);
  const admin = adminClient(api.url, token);
  const adds = async (apiUrl, slug, label, count, warmup) => {
    const times = [];
    for (let i = 0; i < warmup + count; i++) {
      const { ms } = await call(`${apiUrl}/v1/tenants/${slug}/policy/origins`, token, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-change-note': 'bench' },
        body: JSON.stringify({ pattern: `https://${label}-${i}.bench.example` }),
      });
      if (i >= warmup) times.push(ms);
    }
    return times;
  };
  const line = (times) =>
    `p50 ${f(pct(times, 50))} ms, p90 ${f(pct(times, 90))} ms, p99 ${f(pct(times, 99))} ms, max ${f(Math.max(...times))} ms`;

  const results = [];
  for (const [size, extra] of [
    [SMALL, 0],
    [ORIGINS, SNAPSHOT_ADDS],
  ]) {
    const slug = `adds-${size}-${id}`;
    await seedBenchTenant(api.url, {
      ...ADMIN,
      slug,
      origins: benchOrigins(size - WARMUP - COUNT - extra),
    });
    const times = await adds(api.url, slug, 'added', COUNT, WARMUP);
    results.push({ size, slug, times });
    console.log(
      `${COUNT} single-origin adds to a ${size.toLocaleString('en-US')}-origin tenant: ${line(times)}`,
    );
  }
  const [small, big] = results;
  console.log(
    `ratio ${big.size.toLocaleString('en-US')} / ${small.size.toLocaleString('en-US')} origins: p50 ${(pct(big.times, 50) / pct(small.times, 50)).toFixed(2)}x, p99 ${(pct(big.times, 99) / pct(small.times, 99)).toFixed(2)}x`,
  );

  if (SNAPSHOT_ADDS > 0) {
    const snapshotting = await startApi({
      databaseUrl,
      port: await freePort(),
      name: 'api-snapshot-every-add',
      env: { ...env, POLICY_SNAPSHOT_INTERVAL: '1' },
    });
    cleanups.push(() => snapshotting.stop());
    const times = await adds(snapshotting.url, big.slug, 'snapshot', SNAPSHOT_ADDS, 0);
    console.log(
      `${SNAPSHOT_ADDS} adds that each store a whole-policy snapshot (1 add in POLICY_SNAPSHOT_INTERVAL) at ~${ORIGINS.toLocaleString('en-US')} origins: ${line(times)}`,
    );
  }

  const lines = Array.from(
    { length: IMPORT_LINES },
    (_, i) => `https://import-${i}.bench.example`,
  ).join('\n');
  for (const dryRun of [true, false]) {
    const slug = `import-${dryRun ? 'dry' : 'real'}-${id}`;
    await admin.createTenant(slug);
    const { ms, json } = await call(
      `${api.url}/v1/tenants/${slug}/policy/origins/import?dryRun=${dryRun}`,
      token,
      { method: 'POST', headers: { 'content-type': 'text/plain' }, body: lines },
    );
    if (json.added !== IMPORT_LINES) throw new Error(`import added ${json.added}`);
    console.log(
      `import of ${IMPORT_LINES.toLocaleString('en-US')} text lines${dryRun ? ' (dry run)' : ''}: ${f(ms)} ms`,
    );
  }
  console.log(`load average ${os.loadavg()[0].toFixed(2)} on ${os.cpus().length} cores`);
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => cleanups.cleanup());
