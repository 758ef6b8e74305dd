// Starts the real corsplane API (apps/api/dist, built by Nx before these tests) as a child
// process on its own embedded PostgreSQL, and drives it through its admin API. SDK tests talk
// to it exactly as a microservice would.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const ADMIN_EMAIL = 'sdk-tests@corsplane.test';
const ADMIN_PASSWORD = 'sdk-tests-password-1';

export interface CorsplaneService {
  readonly url: string;
  /** Creates a tenant with this policy and a tenant key; returns the key's secret. */
  createTenant(slug: string, policy: object): Promise<string>;
  /** Replaces a tenant's policy (reads the ETag first). */
  setPolicy(slug: string, policy: object): Promise<void>;
  /** Creates another key for a tenant. */
  createKey(slug: string): Promise<{ id: string; secret: string }>;
  /** Revokes a tenant key. */
  revokeKey(slug: string, id: string): Promise<void>;
  /** Creates a platform key (any tenant, named with `tenant`). */
  createPlatformKey(): Promise<string>;
  /** Replaces the platform baseline (SPEC §2.2; reads the ETag first). */
  setBaseline(origins: Array<{ pattern: string }>): Promise<void>;
  /** Deletes a tenant (its keys go with it). */
  deleteTenant(slug: string): Promise<void>;
  /** Creates or replaces the tenant's candidate policy (SPEC §4.1; reads its ETag first). */
  setCandidate(slug: string, policy: object): Promise<void>;
  /** The candidate's impact: totals of the shadow differences counted (SPEC §4.1). */
  candidateImpact(slug: string): Promise<{
    rows: Array<{ origin: string; direction: string; reason: string; count: number }>;
    totals: { wouldBlock: number; wouldAllow: number };
  }>;
  /** The tenant's blocked-origin aggregates. */
  blockedOrigins(slug: string): Promise<Array<{ origin: string; reason: string; count: number }>>;
  /** Stops the API (and its PostgreSQL), keeping the data. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  dispose(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startCorsplane(): Promise<CorsplaneService> {
  const main = path.join(REPO_ROOT, 'apps/api/dist/main.js');
  if (!fs.existsSync(main))
    throw new Error(`${main} is missing: build the API first (nx runs it before these tests)`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'corsplane-sdk-'));
  fs.chmodSync(dataDir, 0o755);
  const port = await freePort();
  const pgPort = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let token = '';
  let output = '';

  async function start(): Promise<void> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(pgPort),
      ADMIN_EMAIL,
      ADMIN_PASSWORD,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
    };
    delete env.DATABASE_URL;
    delete env.NODE_OPTIONS; // Jest's --experimental-vm-modules is not for the API
    child = spawn(process.execPath, [main], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    const deadline = Date.now() + 240_000;
    for (;;) {
      if (child.exitCode !== null)
        throw new Error(`corsplane exited (${child.exitCode}):\n${output}`);
      const ready = await fetch(`${url}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) break;
      if (Date.now() > deadline) {
        // Never leave the process (and its PostgreSQL) behind: SIGTERM lets it stop its database.
        await stop();
        throw new Error(`corsplane not ready after 240 s:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    if (token === '') token = await adminToken();
  }

  async function stop(): Promise<void> {
    const running = child;
    if (running === null || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
    child = null;
  }

  async function adminToken(): Promise<string> {
    const login = await fetch(`${url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    });
    if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const created = await call(
      'POST',
      '/v1/auth/tokens',
      { name: 'sdk tests' },
      { cookie, origin: url },
    );
    return (created as { token: string }).token;
  }

  async function call(
    method: string,
    route: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<unknown> {
    const response = await fetch(`${url}${route}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${route} → ${response.status} ${text}`);
    return text === '' ? undefined : JSON.parse(text);
  }

  async function setPolicy(slug: string, policy: object): Promise<void> {
    const current = await fetch(`${url}/v1/tenants/${slug}/policy`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const etag = current.headers.get('etag') ?? '';
    await current.body?.cancel();
    await call('PUT', `/v1/tenants/${slug}/policy`, policy, { 'if-match': etag });
  }

  async function setBaseline(origins: Array<{ pattern: string }>): Promise<void> {
    const current = await fetch(`${url}/v1/platform/policy`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const etag = current.headers.get('etag') ?? '';
    await current.body?.cancel();
    await call('PUT', '/v1/platform/policy', { origins }, { 'if-match': etag });
  }

  await start();
  return {
    url,
    async createTenant(slug, policy) {
      await call('POST', '/v1/tenants', { slug, name: slug });
      await setPolicy(slug, policy);
      const key = (await call('POST', `/v1/tenants/${slug}/keys`, { name: 'sdk' })) as {
        secret: string;
      };
      return key.secret;
    },
    setPolicy,
    setBaseline,
    async createKey(slug) {
      return (await call('POST', `/v1/tenants/${slug}/keys`, { name: 'sdk' })) as {
        id: string;
        secret: string;
      };
    },
    async revokeKey(slug, id) {
      await call('DELETE', `/v1/tenants/${slug}/keys/${id}`);
    },
    async createPlatformKey() {
      return ((await call('POST', '/v1/keys', { name: 'sdk platform' })) as { secret: string })
        .secret;
    },
    async deleteTenant(slug) {
      await call('DELETE', `/v1/tenants/${slug}`);
    },
    async setCandidate(slug, policy) {
      const current = await fetch(`${url}/v1/tenants/${slug}/policy/candidate`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const etag = current.ok ? (current.headers.get('etag') ?? '') : '';
      await current.body?.cancel();
      await call(
        'PUT',
        `/v1/tenants/${slug}/policy/candidate`,
        policy,
        etag ? { 'if-match': etag } : {},
      );
    },
    async candidateImpact(slug) {
      return (await call('GET', `/v1/tenants/${slug}/policy/candidate/impact`)) as Awaited<
        ReturnType<CorsplaneService['candidateImpact']>
      >;
    },
    async blockedOrigins(slug) {
      const list = (await call('GET', `/v1/tenants/${slug}/blocked-origins`)) as {
        items: Array<{ origin: string; reason: string; count: number }>;
      };
      return list.items;
    },
    stop,
    start,
    async dispose() {
      await stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
