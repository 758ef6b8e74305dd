// `npm run bench:sdk` (second part): the SDK's decision cost with a candidate policy under shadow evaluation
// (SPEC §3) vs without. Two resolvers synced from stand-ins of corsplane's /resolve/policy (the same body the
// service sends), one serving `candidate: null`, the other a candidate; `resolver.lookup()` decides locally
// (no network) and, with the candidate, decides twice and counts differences. Printed as a ratio (expected ≤ 2×).
import http from 'node:http';
import { createCorsResolver } from '../dist/index.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const origins = Array.from({ length: 1000 }, (_, i) => `https://app-${i}.bench.example`);
const policyOf = (list) => ({
  mode: 'enforce',
  origins: list.map((pattern) => ({ pattern })),
  allowedMethods: ['GET', 'PUT'],
  allowedHeaders: ['content-type'],
  exposedHeaders: [],
  allowCredentials: true,
  maxAgeSeconds: 600,
  allowPrivateNetwork: false,
});
const live = policyOf(origins);

async function standIn(candidate) {
  const server = http.createServer((req, res) => {
    if (req.url.startsWith('/resolve/changes')) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': open\n\n');
      return;
    }
    if (req.url.startsWith('/resolve/policy')) {
      const body = {
        tenant: 'acme',
        version: 1,
        policy: live,
        candidate,
        candidateVersion: candidate ? 1 : 0,
      };
      res.writeHead(200, { 'content-type': 'application/json', etag: candidate ? '"1.1"' : '"1"' });
      res.end(JSON.stringify(body));
      return;
    }
    req.resume();
    req.on('end', () => res.writeHead(202).end());
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const resolver = createCorsResolver({
    serviceUrl: `http://127.0.0.1:${server.address().port}`,
    apiKey: 'bench',
    onError: () => {},
  });
  await resolver.resolve({ method: 'GET', headers: { origin: origins[0] } });
  return { resolver, close: () => new Promise((r) => server.close(r)) };
}

const requests = Array.from({ length: 1024 }, (_, i) => {
  const origin = i % 4 === 3 ? `https://unknown-${i}.example` : origins[(i * 7) % origins.length];
  return i % 2 === 0
    ? { method: 'GET', headers: { origin } }
    : { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'PUT' } };
});

const without = await standIn(null);
const same = await standIn(live);
const migrating = await standIn(policyOf([...origins.slice(0, 500), 'https://new.bench.example']));
let sink = 0;
const timed = (resolver, n) => {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sink += resolver.lookup(requests[i & 1023]).allowed ? 1 : 0;
  return Number(process.hrtime.bigint() - t0) / n;
};
const all = [without, same, migrating];
for (const s of all) timed(s.resolver, CALLS / 4);
const best = [Infinity, Infinity, Infinity];
for (let r = 0; r < ROUNDS; r++)
  all.forEach((s, k) => (best[k] = Math.min(best[k], timed(s.resolver, CALLS))));
const [a, b, c] = best;
console.log(
  `SDK decision: without a candidate ${a.toFixed(0)} ns; with a candidate equal to live ${b.toFixed(0)} ns; with a migration candidate ${c.toFixed(0)} ns`,
);
console.log(
  `SDK ratio with candidate ÷ without: ${(b / a).toFixed(2)}× (candidate = live), ${(c / a).toFixed(2)}× (migration candidate) (expected ≤ 2×)`,
);
if (sink < 0) console.log('(unreachable)');
for (const s of all) {
  await s.resolver.close();
  await s.close();
}
