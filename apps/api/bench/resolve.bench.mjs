// `npm run bench:resolve`: GET /resolve of the real API (built, `node apps/api/dist/main.js`) against a bare
// node:http server answering a fixed JSON body, side by side in one run (autocannon, 50 connections), then a
// miss-heavy flood of 100,000 distinct made-up origins with the number of database statements it caused
// (pg_stat_statements). Loopback only; every process started here is stopped by its PID.
//
// Env: BENCH_DURATION (s per server, default 12, split in BENCH_ROUNDS=3 alternating rounds), BENCH_CONNECTIONS (50), BENCH_FLOOD (100000), BENCH_SKIP_BUILD=1,
// DATABASE_URL (an existing PostgreSQL; default: an embedded one in a temporary directory).
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { freePort, startApi } from './api-processes.mjs';
import { shadowCostLine } from './shadow-cost.mjs';
import {
  benchDatabase,
  benchOrigins,
  benchPolicy,
  buildApi,
  cleanupStack,
  seedBenchTenant,
} from './support.mjs';

const DURATION = Number(process.env.BENCH_DURATION ?? 12);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const FLOOD = Number(process.env.BENCH_FLOOD ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ORIGINS = 1000;
const ADMIN = {
  email: 'bench@corsplane.test',
  password: crypto.randomBytes(18).toString('base64url'),
};

const cleanups = cleanupStack();
const cleanup = cleanups.cleanup;

function log(...a) {
  console.log(...a);
}

async function database() {
  const { databaseUrl } = await benchDatabase(cleanups, {
    postgresFlags: [
      '-c',
      'shared_preload_libraries=pg_stat_statements',
      '-c',
      'pg_stat_statements.track=top',
    ],
  });
  return databaseUrl;
}

async function startBare(port) {
  const child = spawn(
    process.execPath,
    [path.join(import.meta.dirname, 'bare-server.mjs'), String(port)],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await new Promise((resolve, reject) => {
    child.stdout.once('data', resolve);
    child.once('exit', () => reject(new Error('bare server exited')));
  });
  return {
    pid: child.pid,
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

function run(opts) {
  return new Promise((resolve, reject) => {
    autocannon({ connections: CONNECTIONS, pipelining: 1, ...opts }, (err, res) =>
      err ? reject(err) : resolve(res),
    );
  });
}

/** Several runs of one target: req/s over the total time; p50/p99 as the median of the runs' values. */
function combine(name, runs) {
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const total = runs.reduce((n, r) => n + r.requests.total, 0);
  const seconds = runs.reduce((n, r) => n + r.duration, 0);
  return {
    name,
    reqPerSec: Math.round(total / seconds),
    p50: median(runs.map((r) => r.latency.p50)),
    p99: median(runs.map((r) => r.latency.p99)),
    requests: total,
    bad: runs.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0),
  };
}

function summary(name, r) {
  const non2xx = r.non2xx + r.errors + r.timeouts;
  return {
    name,
    reqPerSec: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    bad: non2xx,
  };
}

async function main() {
  buildApi(log);
  const databaseUrl = await database();
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  cleanups.push(() => db.end());
  const statements = await db
    .query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements')
    .then(() => true)
    .catch((e) => {
      log(`(no query counts: ${e.message})`);
      return false;
    });

  const api = await startApi({
    databaseUrl,
    port: await freePort(),
    env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password, SEED_DEMO: 'true' },
    // e.g. BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the API under load
    nodeArgs: process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : [],
  });
  cleanups.push(() => api.stop());
  const bare = await startBare(await freePort());
  cleanups.push(() => bare.stop());

  const slug = `bench-${crypto.randomBytes(3).toString('hex')}`;
  const origins = benchOrigins(ORIGINS);
  const policy = (extra = []) => benchPolicy(origins, extra);
  const { admin, version, key } = await seedBenchTenant(api.url, {
    email: ADMIN.email,
    password: ADMIN.password,
    slug,
    origins,
  });
  const headers = { authorization: `Bearer ${key}` };
  const check = await fetch(`${api.url}/resolve?origin=${encodeURIComponent(origins[7])}`, {
    headers,
  });
  const checked = await check.json();
  if (!checked.allowed || checked.policyVersion !== version)
    throw new Error(`unexpected answer ${JSON.stringify(checked)}`);
  log(
    `API pid ${api.pid} (${api.url}), bare node:http pid ${bare.pid}; tenant ${slug}, ${ORIGINS} origins, policy v${version}`,
  );

  // Warm-up (JIT, caches), then ROUNDS alternating runs of each server (the machine is shared: alternating
  // spreads other load over both), same settings; req/s over all rounds, latency percentiles of all rounds.
  let i = 0;
  const resolvePath = () => `/resolve?origin=${encodeURIComponent(origins[i++ % ORIGINS])}`;
  // Both servers get the very same requests (paths, Authorization), so the client side costs the same.
  const resolveRun = (duration, url = api.url) =>
    run({
      url,
      duration,
      headers,
      requests: [{ setupRequest: (q) => ({ ...q, path: resolvePath() }) }],
    });
  const bareRun = (duration) => resolveRun(duration, bare.url);
  await bareRun(2);
  await resolveRun(2);
  const per = Math.max(2, Math.round(DURATION / ROUNDS));
  log(`measuring ${ROUNDS} rounds × ${per} s per server, ${CONNECTIONS} connections…`);
  const bareRuns = [];
  const resolveRuns = [];
  for (let round = 0; round < ROUNDS; round++) {
    bareRuns.push(await bareRun(per));
    resolveRuns.push(await resolveRun(per));
    const [x, y] = [bareRuns.at(-1), resolveRuns.at(-1)];
    log(
      `  round ${round + 1}: bare ${Math.round(x.requests.average)} req/s, /resolve ${Math.round(y.requests.average)} req/s (${(y.requests.average / x.requests.average).toFixed(2)}×)`,
    );
  }
  const b = combine('bare node:http (fixed JSON)', bareRuns);
  const r = combine(`GET /resolve, cache hits (${ORIGINS} origins rotating)`, resolveRuns);

  // Miss-heavy: a policy change first (so the flood starts cold), then FLOOD distinct made-up origins.
  const v2 = await admin.putPolicy(slug, policy(['https://flood-guard.bench.example']));
  await new Promise((res) => setTimeout(res, 300));
  if (statements) await db.query('SELECT pg_stat_statements_reset()');
  let n = 0;
  const salt = crypto.randomBytes(4).toString('hex');
  const floodPath = () =>
    `/resolve?origin=${encodeURIComponent(`https://r${n++}-${salt}.flood.example`)}`;
  const t0 = Date.now();
  const f = summary(
    `GET /resolve, ${FLOOD.toLocaleString('en')} distinct unknown origins`,
    await run({
      url: api.url,
      amount: FLOOD,
      headers,
      requests: [{ setupRequest: (q) => ({ ...q, path: floodPath() }) }],
    }),
  );
  const floodMs = Date.now() - t0;
  await new Promise((res) => setTimeout(res, 1500)); // let the blocked-origin log flush
  let counts = null;
  if (statements) {
    const { rows } = await db.query(
      `SELECT
         COALESCE(sum(calls) FILTER (WHERE query LIKE '%FROM tenants t JOIN policies p%'), 0)::int AS policy_loads,
         COALESCE(sum(calls) FILTER (WHERE query LIKE 'INSERT INTO blocked_origin_aggregates%'), 0)::int AS blocked_upserts,
         COALESCE(sum(calls) FILTER (WHERE query NOT LIKE '%pg_stat_statements%'), 0)::int AS all_statements
       FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    counts = rows[0];
    const top = await db.query(
      `SELECT calls::int, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS query FROM pg_stat_statements
       WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT LIKE '%pg_stat_statements%'
       ORDER BY calls DESC LIMIT 5`,
    );
    counts.top = top.rows;
  }
  const { rows: blocked } = await db.query(
    `SELECT COALESCE(sum(count), 0)::int AS n FROM blocked_origin_aggregates a JOIN tenants t ON t.id = a.tenant_id WHERE t.slug = $1`,
    [slug],
  );

  const fmt = (s) =>
    `${s.name.padEnd(58)} ${String(s.reqPerSec).padStart(7)} req/s   p50 ${String(s.p50).padStart(3)} ms   p99 ${String(s.p99).padStart(3)} ms   (${s.requests} requests, ${s.bad} non-2xx/errors)`;
  log('');
  log(fmt(b));
  log(fmt(r));
  log(`ratio /resolve ÷ bare node:http: ${(r.reqPerSec / b.reqPerSec).toFixed(2)}×`);
  log('');
  log(fmt(f));
  log(`flood: ${FLOOD} requests in ${(floodMs / 1000).toFixed(1)} s against policy v${v2}`);
  if (counts) {
    log(
      `database during the flood (pg_stat_statements): ${counts.policy_loads} policy load(s), ${counts.blocked_upserts} blocked-origin upsert(s), ${counts.all_statements} statements in all`,
    );
    for (const t of counts.top) log(`  ${String(t.calls).padStart(7)}  ${t.query}`);
  }
  log(`blocked-origin log for the tenant: ${blocked[0].n} refusals recorded (flood sent ${FLOOD})`);
}

try {
  await main();
  // Shadow evaluation's decision cost, with a candidate vs without (in process, after the load runs).
  await shadowCostLine(log);
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  await cleanup();
}
