// The cost of shadow evaluation (SPEC §3) in /resolve's decision core, measured in process against the built
// API's own modules (apps/api/dist: the same `decide` + shadow.ts + bounded counts /resolve runs): a decision
// with no candidate (one `decide` and the blocked log) against one with a candidate (a second `decide`, the
// difference, and the shadow counter). Printed as a ratio; the design bound is 2× (two decisions, no I/O).
// Kept apart from resolve.bench.mjs's load generation; that script calls shadowCostLine() at its end.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compilePolicy, decide } from '@corsplane/policy';
import { benchOrigins, benchPolicy } from './support.mjs';

const dist = (p) => pathToFileURL(path.join(import.meta.dirname, '..', 'dist', p)).href;

/** ns per decision over `n` calls of `fn`, best of `rounds` (these machines are noisy). */
function timePerCall(fn, n, rounds) {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn(i);
    const ns = Number(process.hrtime.bigint() - t0) / n;
    if (ns < best) best = ns;
  }
  return best;
}

export async function shadowCostLine(log = console.log, { calls = 200_000, rounds = 5 } = {}) {
  const { evaluateShadow } = await import(dist('modules/resolve/shadow.js'));
  const { BoundedCounts } = await import(dist('modules/resolve/bounded-counts.js'));
  const origins = benchOrigins(1000);
  // Live: the 1,000 origins; candidate: the list a migration would move to (half kept, 100 new).
  const live = compilePolicy(benchPolicy(origins));
  const candidate = compilePolicy(
    benchPolicy(origins.slice(0, 500), benchOrigins(1100).slice(1000)),
  );
  // A mix of requests: listed by both, by live only (would-block), by neither, and preflights.
  const requests = Array.from({ length: 1024 }, (_, i) => {
    const origin = i % 4 === 3 ? `https://unknown-${i}.example` : origins[(i * 7) % origins.length];
    return i % 2 === 0
      ? { method: 'GET', headers: { origin } }
      : { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'PUT' } };
  });
  const bounds = { maxKeys: 100_000, maxPerTenantHour: 10_000 };
  const blocked = new BoundedCounts(bounds);
  const shadow = new BoundedCounts(bounds);
  const tenant = '00000000-0000-4000-8000-000000000001';
  const now = Date.now();
  let sink = 0;

  const without = (i) => {
    const r = requests[i & 1023];
    const d = decide(live, r);
    if (!d.allowed) blocked.add(tenant, r.headers.origin, d.reason, 1, now, now);
    sink += d.allowed ? 1 : 0;
  };
  const withCandidate = (cand) => (i) => {
    const r = requests[i & 1023];
    const d = decide(live, r);
    if (!d.allowed) blocked.add(tenant, r.headers.origin, d.reason, 1, now, now);
    const s = evaluateShadow(cand, r, d);
    if (s.key !== null) shadow.add(tenant, r.headers.origin, s.key, 1, now, now);
    sink += d.allowed ? 1 : 0;
  };
  // A candidate equal to the live policy: the pure overhead of shadow evaluation (a second decision).
  const same = withCandidate(compilePolicy(benchPolicy(origins)));
  // The migration candidate: it refuses most of this mix, and a refusal costs the engine more than a match.
  const migrating = withCandidate(candidate);
  const candidateAlone = (i) => {
    sink += decide(candidate, requests[i & 1023]).allowed ? 1 : 0;
  };
  // Warm every path, then measure them alternately, best round of each (the machine is shared and noisy).
  for (const fn of [without, same, migrating, candidateAlone]) timePerCall(fn, calls / 4, 1);
  const best = [Infinity, Infinity, Infinity, Infinity];
  for (let r = 0; r < rounds; r++) {
    [without, same, migrating, candidateAlone].forEach((fn, k) => {
      best[k] = Math.min(best[k], timePerCall(fn, calls, 1));
    });
  }
  const [a, b, c, alone] = best;
  log('');
  log(
    `decision core: without a candidate ${a.toFixed(0)} ns; with a candidate equal to live ${b.toFixed(0)} ns; ` +
      `with the migration candidate ${c.toFixed(0)} ns (its decide alone: ${alone.toFixed(0)} ns)`,
  );
  log(
    `ratio with candidate ÷ without: ${(b / a).toFixed(2)}× (candidate = live), ${(c / a).toFixed(2)}× ` +
      `(migration candidate; (live + its decide) ÷ live = ${((a + alone) / a).toFixed(2)}×) (expected ≤ 2×)`,
  );
  if (sink < 0) log('(unreachable: keeps the decisions observable)');
  return { withoutNs: a, sameNs: b, migratingNs: c, ratio: b / a };
}

// Run on its own: `node apps/api/bench/shadow-cost.mjs` (needs apps/api/dist).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await shadowCostLine();
