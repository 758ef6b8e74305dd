/* global process */
// Builds the console and the API, then starts the real API (`node apps/api/dist/main.js`) with a fresh
// embedded PostgreSQL in a temporary folder, on free ports, and waits for /readyz (tools/api-harness.mjs).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startApi } from '../../../../tools/api-harness.mjs';
import { startOidcProvider } from '../../../../tools/oidc-test-provider.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
export const RESULTS_DIR = path.join(ROOT, 'test-results', 'console');

export default async function globalSetup() {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  // Under `nx run-many -t e2e` the builds already ran (dependsOn); run directly, build here.
  if (!process.env.NX_TASK_TARGET_PROJECT) {
    execFileSync(
      'npx',
      [
        'nx',
        'run-many',
        '-t',
        'build',
        '-p',
        '@corsplane/api',
        '@corsplane/admin',
        '--outputStyle=static',
      ],
      {
        cwd: ROOT,
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
      },
    );
  }
  for (const f of ['apps/api/dist/main.js', 'apps/admin/dist/index.html']) {
    if (!fs.existsSync(path.join(ROOT, f)))
      throw new Error(`${f} is missing: the build did not run`);
  }

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corsplane-console-e2e-'));
  fs.chmodSync(dir, 0o755); // the postgres user must be able to enter it
  const port = await freePort();
  const pgPort = await freePort();
  const admin = { email: 'admin@e2e.test', password: 'e2e-admin-password-1' };
  // The console's SSO suite signs in as this account; its roles claim makes it an editor of `demo`.
  const ssoAccounts = {
    'sso-editor': {
      email: 'sso-editor@e2e.test',
      name: 'Sam Sso',
      corsplane_roles: ['tenant:demo:editor'],
    },
  };
  const idp = await startOidcProvider(`http://127.0.0.1:${port}/v1/auth/oidc/callback`, (login) =>
    Object.hasOwn(ssoAccounts, login) ? ssoAccounts[login] : undefined,
  );
  const log = fs.openSync(path.join(RESULTS_DIR, 'api.log'), 'w');
  const baseUrl = `http://127.0.0.1:${port}`;
  const { child } = await startApi({
    port,
    stdio: log,
    env: {
      DATA_DIR: path.join(dir, 'data'),
      EMBEDDED_PG_PORT: String(pgPort),
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
      SEED_DEMO: 'true',
      LOG_LEVEL: 'info',
      // Short enough that a change made through the API is what the next /resolve sees.
      RESOLVE_CACHE_TTL_SECONDS: '0',
      LOGIN_MAX_FAILURES_PER_IP: '1000',
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
    },
  });
  globalThis.__CORSPLANE_CONSOLE_E2E__ = { child, dir, log, pgPort, idp };
  // If Jest dies without running the teardown, SIGTERM still lets the API stop its PostgreSQL.
  process.once('exit', () => child.exitCode === null && child.kill('SIGTERM'));
  process.env.CORSPLANE_CONSOLE_E2E = JSON.stringify({ baseUrl, admin, resultsDir: RESULTS_DIR });
}
