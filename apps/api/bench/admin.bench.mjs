// npm run bench:admin — the SaaS-scale admin writes of SPEC §4.1 on one API process (`apps/api/dist/main.js`) and an
// embedded PostgreSQL:
//   1. ADD_COUNT (200) serial single-origin adds (`POST …/policy/origins`), after ADD_WARMUP (10), to a tenant
//      seeded so that the last add makes ADMIN_ORIGINS (100,000, the limit): p50/p90/p99/max;
//   2. an import of IMPORT_LINES (100,000) text lines into an empty tenant: wall time, and its dry run.
//
//   BENCH_SKIP_BUILD=1 npm run bench:admin
import crypto from 'node:crypto';
import os from 'node:os';
import { startApi, freePort } from './api-processes.mjs';
import {
  benchDatabase,
  benchOrigins,
  buildApi,
  cleanupStack,
  seedBenchTenant,
} from './support.mjs';

const ORIGINS = Number(process.env.ADMIN_ORIGINS ?? 100_000);
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

  const big = `big-${id}`;
  const { token, admin } = await seedBenchTenant(api.url, {
    ...ADMIN,
    slug: big,
    origins: benchOrigins(ORIGINS - WARMUP - COUNT),
  });
  const times = [];
  for (let i = 0; i < WARMUP + COUNT; i++) {
    const { ms } = await call(`${api.url}/v1/tenants/${big}/policy/origins`, token, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-change-note': 'bench' },
      body: JSON.stringify({ pattern: `https://added-${i}.bench.example` }),
    });
    if (i >= WARMUP) times.push(ms);
  }
  console.log(
    `${COUNT} single-origin adds to a ${ORIGINS.toLocaleString('en-US')}-origin tenant: p50 ${f(pct(times, 50))} ms, p90 ${f(pct(times, 90))} ms, p99 ${f(pct(times, 99))} ms, max ${f(Math.max(...times))} ms`,
  );

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
