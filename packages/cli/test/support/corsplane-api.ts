// The real corsplane API (apps/api/dist, built by Nx before these tests) as a child process on its
// own embedded PostgreSQL, plus the CLI run as a process against it.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiClient } from '../../src/api-client.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const CLI_MAIN = path.join(REPO_ROOT, 'packages/cli/dist/main.js');
export const ADMIN_EMAIL = 'cli-tests@corsplane.test';
export const ADMIN_PASSWORD = 'cli-tests-password-1';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunningApi {
  readonly url: string;
  /** An admin request with the suite's own token; throws on a non-2xx answer. */
  call<T = Record<string, unknown>>(
    method: string,
    route: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ body: T; etag: string | null }>;
  createTenant(slug: string, policy: object): Promise<void>;
  /** Replaces a policy the way a console user would (reads the ETag first). */
  setPolicy(slug: string, policy: object): Promise<void>;
  dispose(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Runs `corsplane <args>` as a process with a private HOME, so no real credentials are touched. */
export function runCli(
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<CliResult> {
  if (!fs.existsSync(CLI_MAIN)) throw new Error(`${CLI_MAIN} is missing: build the CLI first`);
  const childEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, ...env };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI_MAIN, ...args],
      { env: childEnv, cwd },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

export async function startApi(): Promise<RunningApi> {
  const main = path.join(REPO_ROOT, 'apps/api/dist/main.js');
  if (!fs.existsSync(main))
    throw new Error(`${main} is missing: build the API first (nx does before these tests)`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'corsplane-cli-'));
  fs.chmodSync(dataDir, 0o755); // the embedded PostgreSQL runs as another user
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: String(await freePort()),
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    SEED_DEMO: 'false',
    LOG_LEVEL: 'warn',
  };
  delete env.DATABASE_URL;
  delete env.NODE_OPTIONS; // Jest's --experimental-vm-modules is not for the API
  const child: ChildProcess = spawn(process.execPath, [main], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));

  async function stop(): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM'); // lets the API stop its PostgreSQL
    await exited;
  }

  // Poll for readiness with a generous deadline: other suites share this 2-core machine.
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`corsplane exited (${child.exitCode}):\n${output}`);
    if (
      await fetch(`${url}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`corsplane not ready after 90 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  // Setup goes through the CLI's own API client, signed in once as the seeded admin.
  const login = await fetch(`${url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const minted = await new ApiClient(url, null).request<{ token: string }>(
    'POST',
    '/v1/auth/tokens',
    {
      body: { name: 'cli test setup' },
      headers: { cookie, origin: url },
    },
  );
  const admin = new ApiClient(url, minted.body.token);
  const call: RunningApi['call'] = async (method, route, body, headers) => {
    const answer = await admin.request<never>(method, route, { body, headers: headers ?? {} });
    return { body: answer.body, etag: answer.etag };
  };

  async function setPolicy(slug: string, policy: object): Promise<void> {
    const current = await call('GET', `/v1/tenants/${slug}/policy`);
    await call('PUT', `/v1/tenants/${slug}/policy`, policy, { 'if-match': current.etag ?? '' });
  }

  return {
    url,
    call,
    async createTenant(slug, policy) {
      await call('POST', '/v1/tenants', { slug, name: slug });
      await setPolicy(slug, policy);
    },
    setPolicy,
    async dispose() {
      await stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
