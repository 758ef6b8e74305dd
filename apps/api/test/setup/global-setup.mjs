/* global process */
// One embedded PostgreSQL for the whole Jest run, on a free port, in a temporary directory. The committed
// migrations are applied once to a template database; each suite clones it (CREATE DATABASE … TEMPLATE).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../../../scripts/embedded-postgres.mjs';
import { migrate } from '../../../../scripts/migrate-wasm.mjs';
import { freePort } from '../../../../tools/api-harness.mjs';

const TEMPLATE = 'corsplane_template';

export default async function globalSetup() {
  const baseDir = fs.mkdtempSync(path.join(os.tmpdir(), 'corsplane-test-pg-'));
  fs.chmodSync(baseDir, 0o755); // the postgres user must be able to enter it
  globalThis.__CORSPLANE_TEST_PG__ = { baseDir };
  const port = await freePort();
  // pg_stat_statements counts statements at the database (the resolve flood test asserts on it).
  const server = await startEmbeddedPostgres({
    baseDir,
    port,
    database: TEMPLATE,
    postgresFlags: ['-c', 'shared_preload_libraries=pg_stat_statements'],
  });
  globalThis.__CORSPLANE_TEST_PG__.server = server;
  await migrate({ databaseUrl: server.databaseUrl, command: 'deploy', log: () => {} });
  // A template must have no open connections when it is cloned.
  const admin = new pg.Client({ connectionString: server.urlFor('postgres') });
  await admin.connect();
  await admin.query(
    'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
    [TEMPLATE],
  );
  await admin.end();
  process.env.CORSPLANE_TEST_PG = JSON.stringify({
    adminUrl: server.urlFor('postgres'),
    template: TEMPLATE,
    urlPattern: server.urlFor('__DB__'),
  });
}
