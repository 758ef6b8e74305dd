// The real corsplane API (apps/api/dist, built by Nx before these tests) as a child process on its
// own embedded PostgreSQL (the shared harness, tools/api-harness.mjs), plus the CLI run as a process
// against it.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  API_MAIN,
  freePort,
  REPO_ROOT,
  startApi as startHarnessApi,
} from '../../../../tools/api-harness.mjs';
import { ApiClient } from '../../src/api-client.js';

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
  if (!fs.existsSync(API_MAIN))
    throw new Error(`${API_MAIN} is missing: build the API first (nx does before these tests)`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'corsplane-cli-'));
  fs.chmodSync(dataDir, 0o755); // the embedded PostgreSQL runs as another user
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // A generous deadline: other suites share this 2-core machine.
  const api = await startHarnessApi({
    port,
    timeoutMs: 90_000,
    env: {
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(await freePort()),
      ADMIN_EMAIL,
      ADMIN_PASSWORD,
      SEED_DEMO: 'false',
    },
  });

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
      await api.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
