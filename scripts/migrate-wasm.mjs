// "prisma migrate dev/deploy" on the WASM schema engine + @prisma/adapter-pg: Prisma 7's CLI needs a native
// schema-engine binary that cannot be downloaded offline (docs: STACK-NOTES §2). It writes the standard
// prisma/migrations/<ts>_<name>/migration.sql + migration_lock.toml and the standard _prisma_migrations table,
// so the real CLI can take over wherever its binary exists.
//
// CLI:  DATABASE_URL=postgresql://u:p@host:port/db node scripts/migrate-wasm.mjs dev <name> | deploy
//       (without DATABASE_URL, scripts/db.mjs starts the embedded server first: `npm run db:migrate`)
// API:  import { migrate } from './migrate-wasm.mjs'; await migrate({ databaseUrl, command: 'deploy' })
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as bg from '@prisma/schema-engine-wasm/schema_engine_bg';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const schemaPath = path.join(repoRoot, 'prisma', 'schema.prisma');
export const migrationsDir = path.join(repoRoot, 'prisma', 'migrations');

// adapter-pg cannot map Postgres' internal "char" type (OID 18) read by the schema describer:
// tag such columns here, and report them as ColumnType Character (6) in wrapQueryable below.
const TAG = '\u0001char';
class CatalogSafeClient extends pg.Client {
  query(...args) {
    const fix = (res) => {
      for (const f of res?.fields ?? [])
        if (f.dataTypeID === 18) {
          f.dataTypeID = 25;
          f.name += TAG;
        }
      return res;
    };
    const cb = args.length && typeof args[args.length - 1] === 'function' ? args.pop() : null;
    if (cb) return super.query(...args, (err, res) => cb(err, err ? res : fix(res)));
    const r = super.query(...args);
    return r && typeof r.then === 'function' ? r.then(fix) : r;
  }
}
function wrapQueryable(a) {
  const q = a.queryRaw.bind(a);
  a.queryRaw = async (query) => {
    const r = await q(query);
    r.columnNames = r.columnNames.map((n, i) =>
      n.endsWith(TAG) ? ((r.columnTypes[i] = 6), n.slice(0, -TAG.length)) : n,
    );
    return r;
  };
  if (a.startTransaction) {
    const st = a.startTransaction.bind(a);
    a.startTransaction = async (...x) => wrapQueryable(await st(...x));
  }
  return a;
}

let wasmReady;
function loadWasm() {
  wasmReady ??= (async () => {
    globalThis.PRISMA_WASM_PANIC_REGISTRY = {
      set_message: (m) => console.error('schema-engine panic:', m),
    };
    const require = createRequire(import.meta.url);
    const wasmPath = path.join(
      path.dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')),
      'schema_engine_bg.wasm',
    );
    // The engine arms ~10 s timers (timeouts it races against queries); unref them so they never hold the
    // caller's process open after the migration is done.
    const imports = { ...bg };
    for (const name of Object.keys(bg)) {
      if (name.startsWith('__wbg_setTimeout_'))
        imports[name] = (...args) => {
          const t = bg[name](...args);
          t?.unref?.();
          return t;
        };
    }
    const { instance } = await WebAssembly.instantiate(fs.readFileSync(wasmPath), {
      './schema_engine_bg.js': imports,
    });
    bg.__wbg_set_wasm(instance.exports);
    instance.exports.__wbindgen_start();
  })();
  return wasmReady;
}

function listMigrations() {
  fs.mkdirSync(migrationsDir, { recursive: true });
  const dirs = fs
    .readdirSync(migrationsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  const lock = path.join(migrationsDir, 'migration_lock.toml');
  return {
    baseDir: migrationsDir,
    lockfile: {
      path: 'migration_lock.toml',
      content: fs.existsSync(lock) ? fs.readFileSync(lock, 'utf8') : null,
    },
    migrationDirectories: dirs.map((d) => ({
      path: d,
      migrationFile: {
        path: 'migration.sql',
        content: {
          tag: 'ok',
          value: fs.readFileSync(path.join(migrationsDir, d, 'migration.sql'), 'utf8'),
        },
      },
    })),
    shadowDbInitScript: '',
  };
}

/** Names of the migrations committed in prisma/migrations, in order. */
export function migrationNames() {
  return listMigrations().migrationDirectories.map((d) => d.path);
}

/**
 * Applies pending migrations (`deploy`), or creates a new one from schema changes first (`dev`).
 * Returns the names of the migrations applied by this call.
 */
export async function migrate({
  databaseUrl,
  command = 'deploy',
  name = 'migration',
  log = console.log,
  forceReset = false,
}) {
  await loadWasm();
  const schema = fs.readFileSync(schemaPath, 'utf8');
  // Discrete fields, not connectionString: adapter-pg's shadow DB overrides `database`, which a connectionString would win over.
  const u = new URL(databaseUrl);
  const cfg = {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.slice(1)),
    Client: CatalogSafeClient,
    // Idle connections must not keep the caller alive (the API, the Jest global setup).
    idleTimeoutMillis: 200,
    allowExitOnIdle: true,
  };
  const opened = [];
  const base = new PrismaPg(cfg);
  // Own shadow-DB factory: adapter-pg's drops the database before closing its pool ("being accessed by other users").
  async function connectToShadowDb() {
    const dbName = `prisma_shadow_${crypto.randomUUID().replaceAll('-', '')}`;
    const admin = new pg.Client(cfg);
    await admin.connect();
    await admin.query(`CREATE DATABASE "${dbName}"`);
    const a = wrapQueryable(await new PrismaPg({ ...cfg, database: dbName }).connect());
    const dispose = a.dispose.bind(a);
    a.dispose = async () => {
      await dispose();
      await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
      await admin.end();
    };
    return a;
  }
  const adapter = bindMigrationAwareSqlAdapterFactory({
    provider: base.provider,
    adapterName: base.adapterName,
    connect: async () => {
      const a = wrapQueryable(await base.connect());
      opened.push(a);
      return a;
    },
    connectToShadowDb,
  });
  const engine = await bg.SchemaEngine.new(
    { datamodels: [[schemaPath, schema]] },
    (m) => process.env.DEBUG && console.error(m),
    adapter,
  );
  const filters = { externalTables: [], externalEnums: [] };
  const applied = [];
  try {
    if (command === 'dev') {
      // Same order as `prisma migrate dev`: check drift, apply pending migrations, then diff against the shadow DB.
      const diagnose = async () => {
        const diag = await engine.devDiagnostic({ migrationsList: listMigrations(), filters });
        if (diag.action.tag === 'reset') {
          if (!forceReset)
            throw new Error(
              `drift detected, reset needed: ${diag.action.reason} (set FORCE_RESET=1 to reset)`,
            );
          await engine.reset({ filter: filters });
        }
      };
      await diagnose();
      const pending = await engine.applyMigrations({ migrationsList: listMigrations(), filters });
      applied.push(...pending.appliedMigrationNames);
      await diagnose(); // fills the engine's migration-schema cache that createMigration needs
      const out = await engine.createMigration({
        draft: false,
        migrationName: name,
        migrationsList: listMigrations(),
        schema: { files: [{ path: schemaPath, content: schema }] },
        filters,
      });
      if (out.migrationScript) {
        fs.mkdirSync(path.join(migrationsDir, out.generatedMigrationName), { recursive: true });
        fs.writeFileSync(
          path.join(migrationsDir, out.generatedMigrationName, 'migration.sql'),
          out.migrationScript,
        );
        fs.writeFileSync(
          path.join(migrationsDir, 'migration_lock.toml'),
          '# Please do not edit this file manually\nprovider = "postgresql"\n',
        );
        log(`created ${out.generatedMigrationName}`);
      } else log('no schema changes');
    }
    const res = await engine.applyMigrations({ migrationsList: listMigrations(), filters });
    applied.push(...res.appliedMigrationNames);
    return applied;
  } finally {
    engine.free();
    for (const a of opened) await a.dispose().catch(() => {});
    opened.length = 0;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const [command = 'deploy', name = 'migration'] = process.argv.slice(2);
  if (!process.env.DATABASE_URL) {
    console.error(
      'DATABASE_URL is not set (use `npm run db:migrate` to migrate the embedded database)',
    );
    process.exit(2);
  }
  const t0 = performance.now();
  migrate({
    databaseUrl: process.env.DATABASE_URL,
    command,
    name,
    forceReset: Boolean(process.env.FORCE_RESET),
  })
    .then((applied) => {
      console.log('applied', applied, Math.round(performance.now() - t0), 'ms');
      process.exit(0);
    })
    .catch((e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    });
}
