// End-to-end check of deploy/nginx/auth-request.conf against a real corsplane: an embedded PostgreSQL, the built
// API, a tiny node:http upstream app, and nginx running the example config (host names and ports substituted,
// the tenant key written in) in a temporary prefix. Asserts what a browser would see through nginx for an allowed
// and a refused preflight and an allowed and a refused GET. `npm run test:gateway` (BENCH_SKIP_BUILD=1 to reuse
// apps/api/dist). Needs /usr/sbin/nginx (Debian nginx-light). Every process started here is stopped by PID.
import { spawn } from 'node:child_process';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { freePort, REPO_ROOT, startApi } from '../apps/api/bench/api-processes.mjs';
import {
  benchDatabase,
  buildApi,
  cleanupStack,
  seedBenchTenant,
} from '../apps/api/bench/support.mjs';

const NGINX = process.env.NGINX_PATH ?? '/usr/sbin/nginx';
const t0 = Date.now();
const cleanups = cleanupStack();
let failed = 0;

async function main() {
  if (!fs.existsSync(NGINX)) throw new Error(`${NGINX} not found (apt-get install nginx-light)`);
  buildApi();
  const { databaseUrl } = await benchDatabase(cleanups, { database: 'gateway' });
  const api = await startApi({
    databaseUrl,
    port: await freePort(),
    env: { ADMIN_EMAIL: 'gateway@example.com', ADMIN_PASSWORD: 'gateway-password-1' },
  });
  cleanups.push(() => api.stop());
  const { key } = await seedBenchTenant(api.url, {
    email: 'gateway@example.com',
    password: 'gateway-password-1',
    slug: 'gateway',
    origins: ['https://app.example.com'],
  });

  // The app: says hello, and tries to set its own CORS header (the gateway must drop it).
  const app = http.createServer((req, res) => {
    res.writeHead(200, {
      'content-type': 'text/plain',
      'access-control-allow-origin': '*',
      'x-app-method': req.method,
    });
    res.end('hello from the app');
  });
  const appPort = await freePort();
  await new Promise((r) => app.listen(appPort, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => app.close(() => r())));

  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'corsplane-gateway-'));
  cleanups.push(async () => fs.rmSync(prefix, { recursive: true, force: true }));
  const gatewayPort = await freePort();
  const apiPort = new URL(api.url).port;
  const src = path.join(REPO_ROOT, 'deploy/nginx');
  fs.copyFileSync(
    path.join(src, 'corsplane-headers-request.conf'),
    path.join(prefix, 'corsplane-headers-request.conf'),
  );
  const conf = fs
    .readFileSync(path.join(src, 'auth-request.conf'), 'utf8')
    .replace('server corsplane:3000;', `server 127.0.0.1:${apiPort};`)
    .replace('server app-backend:8080;', `server 127.0.0.1:${appPort};`)
    .replace('listen 8081;', `listen 127.0.0.1:${gatewayPort};`)
    .replace('"cpk_live_change_me"', `"${key}"`)
    .replace('pid /tmp/nginx-gateway.pid;', `pid ${prefix}/nginx.pid;`)
    .replace('access_log /dev/stdout;', `access_log ${prefix}/access.log;`)
    .replace('error_log /dev/stderr warn;', `error_log ${prefix}/error.log warn;`)
    .replace(
      'http {',
      `http {\n  client_body_temp_path ${prefix}/tmp; proxy_temp_path ${prefix}/tmp;`,
    );
  fs.mkdirSync(path.join(prefix, 'tmp'));
  fs.writeFileSync(path.join(prefix, 'nginx.conf'), conf);
  const nginx = spawn(
    NGINX,
    ['-p', prefix, '-c', path.join(prefix, 'nginx.conf'), '-g', 'daemon off;'],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const nginxExited = new Promise((r) => nginx.once('exit', r));
  cleanups.push(async () => {
    if (nginx.exitCode === null) {
      process.kill(nginx.pid, 'SIGQUIT');
      await nginxExited;
    }
  });
  const gw = `http://127.0.0.1:${gatewayPort}`;
  for (let i = 0; ; i++) {
    try {
      await fetch(`${gw}/`);
      break;
    } catch {
      if (i > 100 || nginx.exitCode !== null) throw new Error('nginx did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const ask = (method, headers, p = '/api/items?x=1') =>
    fetch(`${gw}${p}`, { method, headers }).then(async (res) => ({
      status: res.status,
      headers: res.headers,
      body: await res.text(),
    }));
  const check = async (name, fn) => {
    try {
      await fn();
      console.log(`  ✓ ${name}`);
    } catch (err) {
      failed++;
      console.log(`  ✕ ${name}\n${err.message}`);
    }
  };
  const cors = (h) =>
    Object.fromEntries(
      [...h].filter(
        ([k]) => k.startsWith('access-control-') || k === 'vary' || k.startsWith('x-corsplane'),
      ),
    );

  console.log(`gateway: nginx ${gw} → app :${appPort}, corsplane ${api.url}`);
  await check('allowed preflight: 204 from corsplane through nginx, never the app', async () => {
    const r = await ask('OPTIONS', {
      origin: 'https://app.example.com',
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'content-type',
    });
    assert.equal(r.status, 204);
    assert.equal(r.headers.get('x-app-method'), null);
    assert.deepEqual(cors(r.headers), {
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET, POST, PUT',
      'access-control-allow-headers': 'content-type',
      'access-control-max-age': '600',
      vary: cors(r.headers).vary,
    });
    assert.match(r.headers.get('vary'), /Origin/);
  });
  await check('refused preflight: 403, no Access-Control-*, never the app', async () => {
    const r = await ask('OPTIONS', {
      origin: 'https://evil.example',
      'access-control-request-method': 'PUT',
    });
    assert.equal(r.status, 403);
    assert.equal(r.headers.get('x-app-method'), null);
    assert.deepEqual(Object.keys(cors(r.headers)), ['vary']);
  });
  await check(
    'allowed GET: the app answers, with corsplane\u2019s CORS headers (not the app\u2019s *)',
    async () => {
      const r = await ask('GET', { origin: 'https://app.example.com' });
      assert.equal(r.status, 200);
      assert.equal(r.body, 'hello from the app');
      assert.deepEqual(cors(r.headers), {
        'access-control-allow-origin': 'https://app.example.com',
        'access-control-allow-credentials': 'true',
        vary: 'Origin',
      });
    },
  );
  await check(
    'refused GET: the app answers, with Vary only (the browser blocks the read)',
    async () => {
      const r = await ask('POST', { origin: 'https://evil.example', 'content-type': 'text/plain' });
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('x-app-method'), 'POST');
      assert.deepEqual(cors(r.headers), { vary: 'Origin' });
    },
  );
  await check('no Origin, and a non-preflight OPTIONS: served by the app', async () => {
    const r = await ask('GET', {});
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('access-control-allow-origin'), null);
    const o = await ask('OPTIONS', { origin: 'https://app.example.com' });
    assert.equal(o.headers.get('x-app-method'), 'OPTIONS');
  });
  await check(
    'a browser cannot pick the tenant or the method: ?tenant= and X-Corsplane-Tenant ignored',
    async () => {
      const r = await ask(
        'GET',
        {
          origin: 'https://app.example.com',
          'x-corsplane-tenant': 'other',
          'x-forwarded-method': 'OPTIONS',
        },
        '/?tenant=other',
      );
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('access-control-allow-origin'), 'https://app.example.com');
    },
  );
  await check('corsplane down: the app is still served, without CORS headers', async () => {
    await api.stop();
    const r = await ask('GET', { origin: 'https://app.example.com' });
    assert.equal(r.status, 200);
    assert.equal(r.body, 'hello from the app');
    assert.equal(r.headers.get('access-control-allow-origin'), null);
    const p = await ask('OPTIONS', {
      origin: 'https://app.example.com',
      'access-control-request-method': 'PUT',
    });
    assert.equal(p.status, 403);
  });
}

try {
  await main();
} catch (err) {
  failed++;
  console.error(err);
} finally {
  await cleanups.cleanup();
}
console.log(
  `gateway: ${failed ? `${failed} failed` : 'ok'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
);
process.exit(failed ? 1 : 0);
