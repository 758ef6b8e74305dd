// `npm run bench:resolve`: GET /resolve and /resolve/headers of the real API (built, `node
// apps/api/dist/main.js`, cache hits, 1,000-origin tenant) against a bare node:http server answering the body
// /resolve just gave, byte for byte, measured as ../shared/bench/resolve-vs-bare.sh does: both servers pinned
// to CPU 0, the load generator (wrk when installed, else autocannon in this process) to CPU 1, BENCH_ROUNDS
// alternating rounds, 50 connections, the median ratio to bare per route (req/s, and the servers' CPU time per
// request read from /proc, which a busy neighbour moves less). Then a miss-heavy flood of 100,000
// distinct made-up origins with the number of database statements it caused (pg_stat_statements). Last, shadow
// evaluation's cost (SPEC §3), with a candidate vs without: over HTTP (shadowOverHttp) and in process
// (shadow-cost.mjs). Loopback only; every process started here is stopped by its PID. The load average is printed with the figures: on a
// shared machine, ratios move with it.
//
// Env: BENCH_DURATION (s per round and server, default 10), BENCH_ROUNDS (3), BENCH_CONNECTIONS (50),
// BENCH_FLOOD (100000), BENCH_SKIP_BUILD=1, BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"),
// DATABASE_URL (an existing PostgreSQL; default: an embedded one in a temporary directory).
import { execFile, spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { freePort, pinned, startApi } from './api-processes.mjs';
import { shadowCostLine } from './shadow-cost.mjs';
import {
  benchDatabase,
  benchOrigins,
  benchPolicy,
  buildApi,
  cleanupStack,
  seedBenchTenant,
} from './support.mjs';

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const FLOOD = Number(process.env.BENCH_FLOOD ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ORIGINS = 1000;
const ADMIN = {
  email: 'bench@corsplane.test',
  password: crypto.randomBytes(18).toString('base64url'),
};

/** Servers on CPU 0, the load generator on CPU 1 (when the machine has two and taskset exists). */
// (Decided before the re-exec below: inside it, availableParallelism() sees only CPU 1.)
const PIN =
  process.env.BENCH_PINNED === '1' ||
  (os.availableParallelism() >= 2 && spawnSync('taskset', ['-V']).error === undefined);
const SERVER_CPU = PIN ? 0 : undefined;
const WRK = spawnSync('wrk', ['-v']).error === undefined;
if (PIN && process.env.BENCH_PINNED === undefined) {
  // This process is the load generator when wrk is missing (autocannon): run it on CPU 1.
  const r = spawnSync('taskset', ['-c', '1', process.execPath, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_PINNED: '1' },
  });
  process.exit(r.status ?? 1);
}

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

async function startBare(port, body) {
  const [command, args] = pinned(SERVER_CPU, process.execPath, [
    path.join(import.meta.dirname, 'bare-server.mjs'),
    String(port),
  ]);
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, BARE_BODY: body },
  });
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

/** One measurement of `url`: req/s and p99 (ms), by wrk on CPU 1 when installed, else autocannon here. */
/** CPU time (ms, user + system) the process has used, from /proc (null where there is none). */
function cpuMsOf(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/**
 * One measurement with the server's CPU time per request (µs): steadier than req/s on a shared machine,
 * where a neighbour's load moves throughput but not the work a request costs.
 */
async function measureServer(pid, url, headers, seconds) {
  const cpu0 = cpuMsOf(pid);
  const m = await measure(url, headers, seconds);
  const cpu1 = cpuMsOf(pid);
  const cpuUs =
    cpu0 === null || cpu1 === null || !m.requests ? NaN : ((cpu1 - cpu0) * 1000) / m.requests;
  return { ...m, cpuUs };
}

async function measure(url, headers, seconds) {
  if (WRK) {
    const args = ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--latency'];
    for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}: ${v}`);
    const [command, argv] = pinned(PIN ? 1 : undefined, 'wrk', [...args, url]);
    // Asynchronous: a blocked event loop would leave keep-alive sockets the server closed meanwhile for fetch
    // to reuse ("other side closed").
    const { stdout: out } = await promisify(execFile)(command, argv, { encoding: 'utf8' });
    const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
    const p99 = /\s99%\s+([\d.]+)(us|ms|s)/.exec(out);
    const unit = { us: 0.001, ms: 1, s: 1000 };
    const bad = /Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? '0';
    const requests = Number(/(\d+) requests in/.exec(out)?.[1]);
    return { rps, p99: p99 ? Number(p99[1]) * unit[p99[2]] : NaN, bad: Number(bad), requests };
  }
  const r = await run({ url, duration: seconds, headers });
  return {
    rps: r.requests.average,
    p99: r.latency.p99,
    bad: r.non2xx + r.errors + r.timeouts,
    requests: r.requests.total,
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

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
    cpu: SERVER_CPU,
  });
  cleanups.push(() => api.stop());

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
  const origin = origins[42];
  const query = `/resolve?origin=${encodeURIComponent(origin)}`;
  const check = await fetch(`${api.url}${query}`, { headers });
  const body = await check.text();
  const checked = JSON.parse(body);
  if (!checked.allowed || checked.policyVersion !== version)
    throw new Error(`unexpected answer ${body}`);
  const bare = await startBare(await freePort(), body);
  cleanups.push(() => bare.stop());
  log(
    `API pid ${api.pid} (${api.url}), bare node:http pid ${bare.pid}; tenant ${slug}, ${ORIGINS} origins, policy v${version}`,
  );
  log(
    `servers ${PIN ? 'on CPU 0' : 'unpinned'}, load generator ${WRK ? 'wrk' : 'autocannon'} ${PIN ? 'on CPU 1' : 'unpinned'}`,
  );

  // The requests of ../shared/bench/resolve-vs-bare.sh: one origin (a cache hit), Origin header sent too.
  const wrkHeaders = { ...headers, origin };
  const targets = [
    ['bare', `${bare.url}${query}`, bare.pid],
    ['resolve', `${api.url}${query}`, api.pid],
    ['headers', `${api.url}/resolve/headers?origin=${encodeURIComponent(origin)}`, api.pid],
  ];
  const shadowTargets = await seedShadowTenants(api.url, admin, origins);
  for (const [, url] of targets) await measure(url, wrkHeaders, 2); // warm-up (JIT, caches)
  log(
    `measuring ${ROUNDS} alternating rounds × ${DURATION} s per target, ${CONNECTIONS} connections…`,
  );
  const rounds = [];
  for (let round = 0; round < ROUNDS; round++) {
    const m = {};
    for (const [name, url, pid] of targets)
      m[name] = await measureServer(pid, url, wrkHeaders, DURATION);
    rounds.push(m);
    const f = (x) =>
      `${Math.round(x.rps)} req/s p99 ${x.p99.toFixed(2)} ms ${x.cpuUs.toFixed(1)} µs CPU/req`;
    log(
      `  round ${round + 1}: bare ${f(m.bare)} | /resolve ${f(m.resolve)} | /resolve/headers ${f(m.headers)} (load average ${load()})`,
    );
  }
  const ratio = (name) => median(rounds.map((m) => m[name].rps / m.bare.rps)).toFixed(3);
  const p99 = (name) => median(rounds.map((m) => m[name].p99)).toFixed(2);
  const cpuRatio = (name) => median(rounds.map((m) => m.bare.cpuUs / m[name].cpuUs)).toFixed(3);
  const bad = rounds.reduce((n, m) => n + m.resolve.bad + m.headers.bad, 0);
  const shadow = await shadowOverHttp(shadowTargets);

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
  log(`median ratio to bare: /resolve ${ratio('resolve')}, /resolve/headers ${ratio('headers')}`);
  log(
    `median ratio of CPU per request (bare ÷ server): /resolve ${cpuRatio('resolve')}, /resolve/headers ${cpuRatio('headers')}`,
  );
  log(
    `median p99: bare ${p99('bare')} ms, /resolve ${p99('resolve')} ms, /resolve/headers ${p99('headers')} ms; ${bad} non-2xx; load average ${load()}`,
  );
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
  log('');
  log(
    `shadow evaluation over HTTP (SPEC §3), /resolve cost with a candidate ÷ without: ${shadow.ratio.toFixed(2)}× ` +
      `(median of ${ROUNDS} rounds; ${shadow.rounds.join(' | ')}) (expected ≤ 2×)`,
  );
}

/**
 * /resolve's cost per decision with a candidate present vs without, over HTTP as a gateway pays it: two tenants
 * with the same live policy, one with a migration candidate (half the origins kept, 100 new). The origin asked
 * is listed live but not by the candidate, so every request with the candidate decides twice *and* counts a
 * would-block difference: the worst case. Rounds alternate; cost ratio = req/s without ÷ req/s with.
 */
async function seedShadowTenants(apiUrl, admin, origins) {
  const { key: plainKey } = await seedBenchTenant(apiUrl, {
    ...ADMIN,
    slug: `bench-live-${crypto.randomBytes(3).toString('hex')}`,
    origins,
  });
  const shadowSlug = `bench-shadow-${crypto.randomBytes(3).toString('hex')}`;
  const { key: shadowKey } = await seedBenchTenant(apiUrl, { ...ADMIN, slug: shadowSlug, origins });
  await admin.call(
    'PUT',
    `/v1/tenants/${shadowSlug}/policy/candidate`,
    benchPolicy(origins.slice(0, 500), benchOrigins(1100).slice(1000)),
  );
  const origin = origins[700];
  const url = `${apiUrl}/resolve?origin=${encodeURIComponent(origin)}`;
  const withShadow = { authorization: `Bearer ${shadowKey}`, origin };
  const probe = await (await fetch(url, { headers: withShadow })).json();
  if (!probe.allowed || probe.shadow?.allowed !== false)
    throw new Error(`the candidate tenant answered ${JSON.stringify(probe)}`);
  return { url, withShadow, without: { authorization: `Bearer ${plainKey}`, origin } };
}

/** Alternating rounds of the two tenants (see seedShadowTenants); cost ratio = req/s without ÷ req/s with. */
async function shadowOverHttp({ url, withShadow, without }) {
  await measure(url, without, 2);
  await measure(url, withShadow, 2);
  const ratios = [];
  const rounds = [];
  for (let round = 0; round < ROUNDS; round++) {
    const a = await measure(url, without, DURATION);
    const b = await measure(url, withShadow, DURATION);
    ratios.push(a.rps / b.rps);
    rounds.push(`${Math.round(a.rps)} vs ${Math.round(b.rps)} req/s`);
  }
  return { ratio: median(ratios), rounds };
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
