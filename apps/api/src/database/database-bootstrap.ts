import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT, type Env } from '../config/env.schema.js';
import type { Logger } from '../common/logging/logger.js';

// The embedded server and the migrator are plain ESM scripts in scripts/ (shared with `npm run db:*` and the
// Jest global setup); the API loads them at boot.
interface EmbeddedServer {
  databaseUrl: string;
  stop(): Promise<void>;
}
interface EmbeddedModule {
  startEmbeddedPostgres(o: {
    baseDir: string;
    port: number;
    log?: (m: string) => void;
  }): Promise<EmbeddedServer>;
}
interface MigratorModule {
  migrate(o: {
    databaseUrl: string;
    command: 'deploy';
    log?: (m: string) => void;
  }): Promise<string[]>;
}

const script = <T>(name: string) =>
  import(pathToFileURL(path.join(REPO_ROOT, 'scripts', name)).href) as Promise<T>;

export interface Database {
  databaseUrl: string;
  /** Stops the embedded server, when this process started one. */
  stop(): Promise<void>;
}

/** DATABASE_URL when set; otherwise the embedded PostgreSQL in DATA_DIR. Then pending migrations are applied. */
export async function bootstrapDatabase(env: Env, logger: Logger): Promise<Database> {
  let db: Database;
  if (env.DATABASE_URL) {
    db = { databaseUrl: env.DATABASE_URL, stop: async () => undefined };
  } else {
    const { startEmbeddedPostgres } = await script<EmbeddedModule>('embedded-postgres.mjs');
    const t0 = Date.now();
    const server = await startEmbeddedPostgres({
      baseDir: env.DATA_DIR,
      port: env.EMBEDDED_PG_PORT,
      log: (m) => logger.info(m),
    });
    logger.info(
      { dataDir: env.DATA_DIR, port: env.EMBEDDED_PG_PORT, ms: Date.now() - t0 },
      'embedded PostgreSQL started',
    );
    db = server;
  }
  if (env.MIGRATE_ON_START) {
    const { migrate } = await script<MigratorModule>('migrate-wasm.mjs');
    const applied = await migrate({
      databaseUrl: db.databaseUrl,
      command: 'deploy',
      log: (m) => logger.info(m),
    });
    logger.info(
      { applied },
      applied.length ? 'migrations applied' : 'database schema is up to date',
    );
  }
  return db;
}
