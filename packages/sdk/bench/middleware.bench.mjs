// Per-request cost of the SDK middleware deciding with its synced policy against the `cors` package with a
// static one-origin configuration, measured side by side in one run (these machines are
// noisy: the ratios are what count). Three measurements:
//   1. in process: each middleware called directly with minimal req/res objects;
//   2. end to end on Express: autocannon against two Express apps, one per middleware;
//   3. end to end on Fastify: the SDK's plugin against @fastify/cors-free baseline (cors via
//      fastify's onRequest hook calling the cors package is not idiomatic, so the baseline is
//      a hook setting the same static headers).
// The resolver syncs its policy from a stand-in for corsplane's /resolve/policy and /resolve/changes
// (the same body the service sends), so every measured request is decided locally and no network is
// involved.
import http from 'node:http';
import cors from 'cors';
import express from 'express';
import Fastify from 'fastify';
import autocannon from 'autocannon';
import { corsMiddleware, createCorsResolver, fastifyCorsplane } from '../dist/index.js';

const ORIGIN = 'https://app.acme.com';
const policy = {
  mode: 'enforce',
  origins: [{ pattern: ORIGIN }],
  allowedMethods: ['GET', 'PUT'],
  allowedHeaders: ['content-type'],
  exposedHeaders: ['x-request-id'],
  allowCredentials: true,
  maxAgeSeconds: 600,
  allowPrivateNetwork: false,
};

// Stand-in for corsplane's policy sync endpoints (SPEC §5).
const standIn = http.createServer((req, res) => {
  if (req.url.startsWith('/resolve/changes')) {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(': open\n\n');
    return;
  }
  if (req.url.startsWith('/resolve/policy')) {
    res.writeHead(200, { 'content-type': 'application/json', etag: '"1"' });
    res.end(JSON.stringify({ tenant: 'acme', version: 1, policy, candidate: null }));
    return;
  }
  res.writeHead(202).end();
});
await new Promise((resolve) => standIn.listen(0, '127.0.0.1', resolve));
const serviceUrl = `http://127.0.0.1:${standIn.address().port}`;
const resolver = createCorsResolver({ serviceUrl, apiKey: 'bench' });
await resolver.resolve({ method: 'GET', headers: { origin: ORIGIN } });

const sdk = corsMiddleware(resolver);
const staticCors = cors({
  origin: ORIGIN,
  credentials: true,
  exposedHeaders: ['x-request-id'],
  methods: ['GET', 'PUT'],
  maxAge: 600,
});

// ---- 1. in process -------------------------------------------------------------------------
class FakeResponse {
  constructor() {
    this.headers = Object.create(null);
    this.statusCode = 200;
  }
  setHeader(name, value) {
    this.headers[name.toLowerCase()] = value;
  }
  getHeader(name) {
    return this.headers[name.toLowerCase()];
  }
  removeHeader(name) {
    delete this.headers[name.toLowerCase()];
  }
  end() {}
}

let nexts = 0;
const next = () => {
  nexts++;
};
function check(middleware) {
  const res = new FakeResponse();
  middleware({ method: 'GET', url: '/', headers: { origin: ORIGIN } }, res, next);
  if (res.headers['access-control-allow-origin'] !== ORIGIN)
    throw new Error('middleware did not allow the origin');
}
check(sdk);
check(staticCors);

function nsPerRequest(middleware, iterations) {
  const req = { method: 'GET', url: '/', headers: { origin: ORIGIN } };
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) middleware(req, new FakeResponse(), next);
  return Number(process.hrtime.bigint() - start) / iterations;
}

const rounds = { sdk: [], cors: [] };
for (let i = 0; i < 200_000; i++) {
  sdk({ method: 'GET', url: '/', headers: { origin: ORIGIN } }, new FakeResponse(), next);
  staticCors({ method: 'GET', url: '/', headers: { origin: ORIGIN } }, new FakeResponse(), next);
}
for (let round = 0; round < 9; round++) {
  globalThis.gc?.();
  rounds.sdk.push(nsPerRequest(sdk, 300_000));
  rounds.cors.push(nsPerRequest(staticCors, 300_000));
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const inProcess = { sdk: median(rounds.sdk), cors: median(rounds.cors) };

// ---- 2 and 3. end to end with autocannon ---------------------------------------------------
async function listen(server) {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${server.address().port}`;
}

function expressApp(middleware) {
  const app = express();
  app.use(middleware);
  app.get('/', (_req, res) => res.json({ ok: true }));
  return http.createServer(app);
}

async function fastifyApp(withSdk) {
  const app = Fastify();
  if (withSdk) await app.register(fastifyCorsplane, { resolver });
  else
    app.addHook('onRequest', async (request, reply) => {
      if (request.headers.origin === ORIGIN) {
        reply.header('access-control-allow-origin', ORIGIN);
        reply.header('access-control-allow-credentials', 'true');
        reply.header('access-control-expose-headers', 'x-request-id');
      }
      reply.header('vary', 'Origin');
    });
  app.get('/', async () => ({ ok: true }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `http://127.0.0.1:${app.server.address().port}`, close: () => app.close() };
}

async function load(url) {
  const result = await autocannon({
    url,
    connections: 50,
    duration: 5,
    headers: { origin: ORIGIN },
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

const sdkExpress = expressApp(sdk);
const corsExpress = expressApp(staticCors);
const endToEnd = {};
const expressUrls = { sdk: await listen(sdkExpress), cors: await listen(corsExpress) };
// Alternate short runs so both sides see the same machine load.
endToEnd.expressCors = await load(expressUrls.cors);
endToEnd.expressSdk = await load(expressUrls.sdk);
sdkExpress.close();
corsExpress.close();
const fastifySdk = await fastifyApp(true);
const fastifyBase = await fastifyApp(false);
endToEnd.fastifyBase = await load(fastifyBase.url);
endToEnd.fastifySdk = await load(fastifySdk.url);
await fastifySdk.close();
await fastifyBase.close();

// ---- report ----------------------------------------------------------------------------------
const ratio = (a, b) => (a / b).toFixed(2);
console.log(
  '\n@corsplane/sdk middleware, policy held (local decision), against a static one-origin configuration\n',
);
console.log('| measurement | corsplane SDK | baseline | SDK / baseline |');
console.log('|:--|--:|--:|--:|');
console.log(
  `| in process, ns per request (cors package) | ${inProcess.sdk.toFixed(0)} ns | ${inProcess.cors.toFixed(0)} ns | ${ratio(inProcess.sdk, inProcess.cors)}× cost |`,
);
console.log(
  `| Express end to end, req/s (cors package) | ${endToEnd.expressSdk.rps.toFixed(0)} | ${endToEnd.expressCors.rps.toFixed(0)} | ${ratio(endToEnd.expressSdk.rps, endToEnd.expressCors.rps)}× throughput |`,
);
console.log(
  `| Express p50 / p99 ms | ${endToEnd.expressSdk.p50} / ${endToEnd.expressSdk.p99} | ${endToEnd.expressCors.p50} / ${endToEnd.expressCors.p99} | |`,
);
console.log(
  `| Fastify end to end, req/s (static headers hook) | ${endToEnd.fastifySdk.rps.toFixed(0)} | ${endToEnd.fastifyBase.rps.toFixed(0)} | ${ratio(endToEnd.fastifySdk.rps, endToEnd.fastifyBase.rps)}× throughput |`,
);
console.log(
  `| Fastify p50 / p99 ms | ${endToEnd.fastifySdk.p50} / ${endToEnd.fastifySdk.p99} | ${endToEnd.fastifyBase.p50} / ${endToEnd.fastifyBase.p99} | |`,
);
const costRatio = inProcess.sdk / inProcess.cors;
console.log(
  `\n${costRatio <= 0.5 ? 'PASS' : 'FAIL'}  middleware cost with the synced policy ≤ 0.5× the static cors package (in process): ${costRatio.toFixed(2)}×`,
);
console.log(`resolver stats: ${JSON.stringify(resolver.stats())}`);
await resolver.close();
standIn.close();
