/* global process, fetch, setTimeout, clearTimeout */
// The one test harness for "start a real API on a free port, wait until it is ready, drive its admin API":
// the API's replica and fault tests and benchmarks (apps/api/bench/api-processes.mjs), the console's
// Playwright setup (apps/admin/e2e) and the SDK's tests (packages/sdk/test) import it by relative path
// (a file under tools/, like oidc-test-provider.mjs: no workspace to link, no dependency rule to bend).
// Loopback only; every process started here is stopped by its PID.
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const API_MAIN = path.join(REPO_ROOT, 'apps/api/dist/main.js');

/** A TCP port free on 127.0.0.1 right now (the OS picks it). */
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
 * `node apps/api/dist/main.js` (built) on 127.0.0.1:`port`, resolved once `readyPath` answers 2xx.
 * `env` is added to the environment: the caller's own (`inheritEnv`, default) or PATH alone; Jest's
 * NODE_OPTIONS never reaches the API, nor a DATABASE_URL the caller did not give (the API then runs its
 * embedded PostgreSQL). `stdio`: 'pipe' keeps the last 20,000 characters for `output()`, or a file
 * descriptor to log to. `stop()` sends SIGTERM (graceful: the API stops its embedded PostgreSQL) and
 * SIGKILLs after `killAfterMs`.
 */
export async function startApi({
  port,
  env = {},
  inheritEnv = true,
  name = `api:${port}`,
  readyPath = '/readyz',
  timeoutMs = 240_000, // generous: a busy machine (a suite or a benchmark beside it) starts PostgreSQL slowly
  killAfterMs = 20_000,
  nodeArgs = [],
  cpu,
  stdio = 'pipe',
}) {
  const base = inheritEnv ? { ...process.env } : { PATH: process.env.PATH };
  delete base.NODE_OPTIONS;
  delete base.DATABASE_URL;
  const [command, args] = pinned(cpu, process.execPath, [...nodeArgs, API_MAIN]);
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env: {
      ...base,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      ...env,
      PORT: String(port),
    },
    stdio: ['ignore', stdio, stdio],
  });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}`;
  const api = {
    name,
    pid: child.pid,
    port,
    url,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited during start:\n${output}`);
    const ready = await fetch(`${url}${readyPath}`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return api;
    if (Date.now() > deadline) {
      // Never leave the process (and its PostgreSQL) behind.
      await api.stop();
      throw new Error(`${name} was not ready within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * One admin API call with a bearer token (or a cookie); the JSON answer (undefined when empty) and the
 * headers. Throws on a non-2xx answer.
 */
export async function call(url, method, route, { bearer, cookie, body, headers = {} } = {}) {
  const res = await fetch(`${url}${route}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      ...(cookie ? { cookie, origin: url } : {}),
      ...headers,
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route} answered ${res.status}: ${text.slice(0, 500)}`);
  return { json: text === '' ? undefined : JSON.parse(text), headers: res.headers };
}

/** Signs in (the admin must exist: ADMIN_EMAIL/ADMIN_PASSWORD on first start) and makes an admin API token. */
export async function adminToken(url, email, password) {
  const login = await fetch(`${url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!login.ok) throw new Error(`login answered ${login.status}: ${await login.text()}`);
  const cookie = (login.headers.getSetCookie?.() ?? [])
    .find((c) => c.startsWith('corsplane_session='))
    ?.split(';')[0];
  const { json } = await call(url, 'POST', '/v1/auth/tokens', { cookie, body: { name: 'tests' } });
  return json.token;
}

/** The admin API calls tests and benchmarks need, with an admin token. */
export function adminClient(url, token) {
  const as = (method, route, body, headers) =>
    call(url, method, route, { bearer: token, body, headers }).then((r) => r.json);
  /** PUT after a GET of the current ETag (If-Match). */
  const replace = async (route, body) => {
    const current = await call(url, 'GET', route, { bearer: token });
    const { json } = await call(url, 'PUT', route, {
      bearer: token,
      body,
      headers: { 'if-match': current.headers.get('etag') ?? '' },
    });
    return json;
  };
  return {
    call: as,
    createTenant: (slug, name = slug) => as('POST', '/v1/tenants', { slug, name }),
    deleteTenant: (slug) => as('DELETE', `/v1/tenants/${slug}`),
    async putPolicy(slug, policy) {
      return (await replace(`/v1/tenants/${slug}/policy`, policy)).version;
    },
    putBaseline: (origins) => replace('/v1/platform/policy', { origins }),
    async createKey(slug, name = 'tests') {
      return (await as('POST', `/v1/tenants/${slug}/keys`, { name })).secret;
    },
    createKeyWithId: (slug, name = 'tests') => as('POST', `/v1/tenants/${slug}/keys`, { name }),
    revokeKey: (slug, id) => as('DELETE', `/v1/tenants/${slug}/keys/${id}`),
    async createPlatformKey(name = 'tests platform') {
      return (await as('POST', '/v1/keys', { name })).secret;
    },
  };
}
