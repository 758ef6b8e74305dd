// Starts real API processes (`node apps/api/dist/main.js`) for the replica test and the resolve benchmark,
// and drives the admin API over HTTP. Loopback only; every process is stopped by its PID.
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const API_MAIN = path.join(REPO_ROOT, 'apps/api/dist/main.js');

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** `taskset -c <cpu> command …args` when a CPU is asked for (Linux, util-linux's taskset), else as given. */
export function pinned(cpu, command, args) {
  return cpu === undefined ? [command, args] : ['taskset', ['-c', String(cpu), command, ...args]];
}

/**
 * `node apps/api/dist/main.js` (pinned to CPU `cpu` when given) on 127.0.0.1:`port` against `databaseUrl` (already migrated); resolves once
 * /healthz answers. `stop()` sends SIGTERM (graceful: final blocked-origin flush) and SIGKILLs after 5 s.
 */
export async function startApi({
  databaseUrl,
  port,
  env = {},
  name = `api:${port}`,
  timeoutMs = 30_000,
  nodeArgs = [],
  cpu,
}) {
  const [command, args] = pinned(cpu, process.execPath, [...nodeArgs, API_MAIN]);
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      MIGRATE_ON_START: 'false',
      SEED_DEMO: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited during start:\n${output}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not become healthy in ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    name,
    pid: child.pid,
    url,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function call(url, method, pathname, { bearer, cookie, body, headers = {} } = {}) {
  const res = await fetch(`${url}${pathname}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      ...(cookie ? { cookie } : {}),
      ...headers,
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (!res.ok)
    throw new Error(`${method} ${pathname} answered ${res.status}: ${text.slice(0, 500)}`);
  return { json, headers: res.headers };
}

/** Signs in (the admin must exist: ADMIN_EMAIL/ADMIN_PASSWORD on first start) and makes an admin API token. */
export async function adminToken(url, email, password) {
  const login = await fetch(`${url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!login.ok) throw new Error(`login answered ${login.status}`);
  const cookie = (login.headers.getSetCookie?.() ?? [])
    .find((c) => c.startsWith('corsplane_session='))
    ?.split(';')[0];
  const { json } = await call(url, 'POST', '/v1/auth/tokens', { cookie, body: { name: 'bench' } });
  return json.token;
}

/** The admin API calls the test and the bench need, as a small client. */
export function adminClient(url, token) {
  return {
    createTenant: (slug, name = slug) =>
      call(url, 'POST', '/v1/tenants', { bearer: token, body: { slug, name } }),
    async putPolicy(slug, policy) {
      const current = await call(url, 'GET', `/v1/tenants/${slug}/policy`, { bearer: token });
      const { json } = await call(url, 'PUT', `/v1/tenants/${slug}/policy`, {
        bearer: token,
        body: policy,
        headers: { 'if-match': current.headers.get('etag') },
      });
      return json.version;
    },
    async createKey(slug, name = 'bench') {
      const { json } = await call(url, 'POST', `/v1/tenants/${slug}/keys`, {
        bearer: token,
        body: { name },
      });
      return json.secret;
    },
  };
}
