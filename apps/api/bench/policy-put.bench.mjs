// Focused benchmark of a policy write: one API process (`node apps/api/dist/main.js`) on an embedded PostgreSQL,
// one tenant with PUT_ORIGINS (1000) origins, PUT_COUNT (200) serial `PUT /v1/tenants/:slug/policy` of the whole
// document (each a different document: one extra origin toggles). Prints p50/p90/p99/max of the PUTs after
// PUT_WARMUP (20) warm-up PUTs. PUT_NODE_ARGS adds node flags to the API (e.g. "--cpu-prof --cpu-prof-dir=/tmp/p").
//
//   BENCH_SKIP_BUILD=1 node apps/api/bench/policy-put.bench.mjs
import crypto from 'node:crypto';
import { startApi, freePort } from './api-processes.mjs';
import {
  benchDatabase,
  benchOrigins,
  benchPolicy,
  buildApi,
  cleanupStack,
  seedBenchTenant,
} from './support.mjs';

const ORIGINS = Number(process.env.PUT_ORIGINS ?? 1000);
const COUNT = Number(process.env.PUT_COUNT ?? 200);
const WARMUP = Number(process.env.PUT_WARMUP ?? 20);
const NODE_ARGS = (process.env.PUT_NODE_ARGS ?? '').split(' ').filter(Boolean);
const ADMIN = { email: 'bench@corsplane.test', password: 'bench-password-123' };

const cleanups = cleanupStack();
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

async function main() {
  buildApi();
  const { databaseUrl } = await benchDatabase(cleanups, { database: 'put' });
  const env = { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password };
  const api = await startApi({
    databaseUrl,
    port: await freePort(),
    name: 'api',
    env,
    nodeArgs: NODE_ARGS,
  });
  cleanups.push(() => api.stop());
  const slug = `put-${crypto.randomBytes(3).toString('hex')}`;
  const origins = benchOrigins(ORIGINS);
  const { token, version: v0 } = await seedBenchTenant(api.url, { ...ADMIN, slug, origins });
  let version = v0;
  const times = [];
  for (let i = 0; i < WARMUP + COUNT; i++) {
    const body = JSON.stringify(benchPolicy(origins, i % 2 ? ['https://extra.bench.example'] : []));
    const t0 = performance.now();
    const res = await fetch(`${api.url}/v1/tenants/${slug}/policy`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'if-match': `"${version}"`,
      },
      body,
    });
    const json = await res.json();
    const ms = performance.now() - t0;
    if (res.status !== 200)
      throw new Error(`PUT answered ${res.status}: ${JSON.stringify(json).slice(0, 300)}`);
    version = json.version;
    if (i >= WARMUP) times.push(ms);
  }
  const f = (x) => x.toFixed(1);
  console.log(
    `${COUNT} PUTs of a ${ORIGINS}-origin policy: p50 ${f(pct(times, 50))} ms, p90 ${f(pct(times, 90))} ms, p99 ${f(pct(times, 99))} ms, max ${f(Math.max(...times))} ms (load ${(await import('node:os')).loadavg()[0].toFixed(2)})`,
  );
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => cleanups.cleanup());
