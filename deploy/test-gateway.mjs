// End-to-end check of the gateway examples, deploy/nginx/auth-request.conf and deploy/caddy/Caddyfile, against
// a real corsplane: an embedded PostgreSQL, the built API, a tiny node:http upstream app, and nginx and Caddy
// running the example configs (host names and ports substituted, the tenant key written in) in a temporary
// prefix. Asserts what a browser would see through each gateway for an allowed and a refused preflight and an
// allowed and a refused GET, and with corsplane down. `npm run test:gateway` (BENCH_SKIP_BUILD=1 to reuse
// apps/api/dist). Installs Debian's nginx-light and caddy when missing (root, apt). Every process started here
// is stopped by PID.
import { execFileSync, spawn } from 'node:child_process';
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
const CADDY = process.env.CADDY_PATH ?? '/usr/bin/caddy';
const t0 = Date.now();
const cleanups = cleanupStack();
let failed = 0;

/** Debian packages the gateways come from, installed when missing (CI runs on a fresh machine). */
function ensureInstalled(wanted) {
  const missing = wanted.filter(([binary]) => !fs.existsSync(binary)).map(([, pkg]) => pkg);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0)
    throw new Error(`missing: apt-get install ${missing.join(' ')} (as root), then run again`);
  console.log(`gateway: installing ${missing.join(', ')} from Debian`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
    stdio: 'inherit',
    env,
  });
}

/** Polls until something answers HTTP on `url` (any status), or the process has exited. */
async function waitForHttp(url, child, name) {
  for (let i = 0; ; i++) {
    try {
      await fetch(url);
      return;
    } catch {
      if (i > 200 || child.exitCode !== null) throw new Error(`${name} did not start`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** Runs a gateway in the foreground; stopped (by PID) at cleanup. */
function startGateway(name, command, args, options, stopSignal) {
  const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
  const exited = new Promise((r) => child.once('exit', r));
  cleanups.push(async () => {
    if (child.exitCode === null) {
      process.kill(child.pid, stopSignal);
      await exited;
    }
  });
  return child;
}

async function main() {
  ensureInstalled([
    [NGINX, 'nginx-light'],
    [CADDY, 'caddy'],
  ]);
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
    // SPEC §2.1: the gateway passes the request path, so these routes decide their paths.
    routes: [
      { path: '/public/*', origins: [{ pattern: '*' }], allowCredentials: false },
      { path: '/webhooks/stripe', origins: [] },
    ],
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
  const nginx = startGateway(
    'nginx',
    NGINX,
    ['-p', prefix, '-c', path.join(prefix, 'nginx.conf'), '-g', 'daemon off;'],
    {},
    'SIGQUIT',
  );
  const nginxUrl = `http://127.0.0.1:${gatewayPort}`;
  await waitForHttp(`${nginxUrl}/`, nginx, 'nginx');

  // Caddy: its own config and data directories in the prefix, no admin endpoint, the key from the environment.
  const caddyPort = await freePort();
  const caddyfile = fs
    .readFileSync(path.join(REPO_ROOT, 'deploy/caddy/Caddyfile'), 'utf8')
    .replaceAll('corsplane:3000', `127.0.0.1:${apiPort}`)
    .replaceAll('app-backend:8080', `127.0.0.1:${appPort}`)
    .replace(':8082 {', `:${caddyPort} {\n\tbind 127.0.0.1`);
  fs.writeFileSync(path.join(prefix, 'Caddyfile'), caddyfile);
  const caddy = startGateway(
    'caddy',
    CADDY,
    ['run', '--config', path.join(prefix, 'Caddyfile'), '--adapter', 'caddyfile'],
    {
      cwd: prefix,
      env: {
        ...process.env,
        CORSPLANE_KEY: key,
        HOME: prefix,
        XDG_CONFIG_HOME: path.join(prefix, 'caddy-config'),
        XDG_DATA_HOME: path.join(prefix, 'caddy-data'),
      },
    },
    'SIGTERM',
  );
  const caddyUrl = `http://127.0.0.1:${caddyPort}`;
  await waitForHttp(`${caddyUrl}/`, caddy, 'caddy');
  const gateways = [
    ['nginx', nginxUrl],
    ['caddy', caddyUrl],
  ];

  const askVia =
    (gw) =>
    (method, headers, p = '/api/items?x=1') =>
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

  for (const [name, gw] of gateways) {
    console.log(`gateway: ${name} ${gw} → app :${appPort}, corsplane ${api.url}`);
    const ask = askVia(gw);
    await check(
      'allowed preflight: 204 from corsplane through the gateway, never the app',
      async () => {
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
      },
    );
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
        const r = await ask('POST', {
          origin: 'https://evil.example',
          'content-type': 'text/plain',
        });
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
    await check(
      'a `*` route decides its paths: any origin, no credentials (SPEC §2.1)',
      async () => {
        const r = await ask('GET', { origin: 'https://evil.example' }, '/public/logo.png?v=2');
        assert.equal(r.status, 200);
        assert.equal(r.body, 'hello from the app');
        assert.deepEqual(cors(r.headers), { 'access-control-allow-origin': '*' });
        const p = await ask(
          'OPTIONS',
          { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
          '/public/logo.png',
        );
        assert.equal(p.status, 204);
        assert.equal(p.headers.get('access-control-allow-origin'), '*');
      },
    );
    await check(
      'a route with no origins refuses the default\u2019s origin (actual and preflight)',
      async () => {
        const r = await ask('POST', { origin: 'https://app.example.com' }, '/webhooks/stripe');
        assert.equal(r.status, 200);
        assert.deepEqual(cors(r.headers), { vary: 'Origin' });
        const p = await ask(
          'OPTIONS',
          { origin: 'https://app.example.com', 'access-control-request-method': 'PUT' },
          '/webhooks/stripe?x=1',
        );
        assert.equal(p.status, 403);
        assert.equal(p.headers.get('access-control-allow-origin'), null);
      },
    );
    await check(
      'a client cannot pick the route: its X-Forwarded-Uri and X-Original-URI are replaced',
      async () => {
        const r = await ask(
          'GET',
          {
            origin: 'https://evil.example',
            'x-forwarded-uri': '/public/x',
            'x-original-uri': '/public/x',
          },
          '/webhooks/stripe',
        );
        assert.equal(r.status, 200);
        assert.deepEqual(cors(r.headers), { vary: 'Origin' });
      },
    );
    await check(
      'a refused origin cannot bring its own Access-Control-* request headers',
      async () => {
        const r = await ask('GET', {
          origin: 'https://evil.example',
          'access-control-allow-origin': 'https://evil.example',
          'access-control-allow-credentials': 'true',
        });
        assert.equal(r.status, 200);
        assert.deepEqual(cors(r.headers), { vary: 'Origin' });
      },
    );
  }
  await api.stop();
  for (const [name, gw] of gateways) {
    const ask = askVia(gw);
    await check(
      `${name}, corsplane down: the app is still served, without CORS headers`,
      async () => {
        const r = await ask('GET', { origin: 'https://app.example.com' });
        assert.equal(r.status, 200);
        assert.equal(r.body, 'hello from the app');
        assert.equal(r.headers.get('access-control-allow-origin'), null);
        const p = await ask('OPTIONS', {
          origin: 'https://app.example.com',
          'access-control-request-method': 'PUT',
        });
        assert.equal(p.status, 403);
      },
    );
  }
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
