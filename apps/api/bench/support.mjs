// Shared by the API benchmarks (resolve.bench.mjs, soak.bench.mjs): build the API, a throw-away embedded
// PostgreSQL (migrated), a bench tenant with N origins and a key, and a LIFO list of cleanups so every process
// started here is stopped by its PID. Process helpers (startApi, adminToken, adminClient) are in api-processes.mjs.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { adminClient, adminToken, freePort, REPO_ROOT } from './api-processes.mjs';
import { startEmbeddedPostgres } from '../../../scripts/embedded-postgres.mjs';
import { migrate } from '../../../scripts/migrate-wasm.mjs';

/** Cleanups run last-in first-out; `cleanup()` is also wired to SIGINT/SIGTERM. */
export function cleanupStack() {
  const stack = [];
  const cleanup = async () => {
    while (stack.length)
      await stack
        .pop()()
        .catch((e) => console.error('cleanup:', e.message));
  };
  for (const signal of ['SIGINT', 'SIGTERM'])
    process.once(signal, () => void cleanup().then(() => process.exit(130)));
  return { push: (fn) => stack.push(fn), cleanup };
}

/** `nx run @corsplane/api:build` unless BENCH_SKIP_BUILD is set. */
export function buildApi(log = console.log) {
  if (process.env.BENCH_SKIP_BUILD) return;
  log('building the API…');
  execFileSync('npx', ['nx', 'run', '@corsplane/api:build', '--outputStyle=static'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/**
 * DATABASE_URL when set (already migrated); otherwise an embedded PostgreSQL in a temporary directory on a free
 * port, migrated, stopped and deleted by the cleanup stack.
 */
export async function benchDatabase(cleanups, { database = 'bench', postgresFlags = [] } = {}) {
  if (process.env.DATABASE_URL) return { databaseUrl: process.env.DATABASE_URL, embedded: false };
  const baseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'corsplane-bench-pg-'));
  fs.chmodSync(baseDir, 0o755);
  const server = await startEmbeddedPostgres({
    baseDir,
    port: await freePort(),
    database,
    persistent: false,
    postgresFlags,
  });
  cleanups.push(async () => {
    await server.stop();
    fs.rmSync(baseDir, { recursive: true, force: true });
  });
  await migrate({ databaseUrl: server.databaseUrl, command: 'deploy', log: () => {} });
  return { databaseUrl: server.databaseUrl, embedded: true };
}

/** The bench tenants' allow-list: `count` exact origins. */
export function benchOrigins(count) {
  return Array.from({ length: count }, (_, i) => `https://app-${i}.bench.example`);
}

/** A policy document allowing `origins` (plus `extra`), credentials on. */
export function benchPolicy(origins, extra = []) {
  return {
    mode: 'enforce',
    origins: [...origins, ...extra].map((pattern) => ({ pattern, note: null, expiresAt: null })),
    allowedMethods: ['GET', 'POST', 'PUT'],
    allowedHeaders: ['content-type'],
    exposedHeaders: [],
    allowCredentials: true,
    maxAgeSeconds: 600,
    allowPrivateNetwork: false,
  };
}

/**
 * Signs in as the admin (created by the API from ADMIN_EMAIL/ADMIN_PASSWORD), makes an admin token, creates
 * tenant `slug` with `origins` (and `routes`, SPEC §2.1, when given) and a tenant key.
 */
export async function seedBenchTenant(apiUrl, { email, password, slug, origins, routes }) {
  const token = await adminToken(apiUrl, email, password);
  const admin = adminClient(apiUrl, token);
  await admin.createTenant(slug);
  const policy = benchPolicy(origins);
  const version = await admin.putPolicy(slug, routes ? { ...policy, routes } : policy);
  const key = await admin.createKey(slug);
  return { token, admin, version, key };
}
