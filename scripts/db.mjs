// `npm run db:migrate` / `npm run db:migrate:dev -- <name>`: migrates DATABASE_URL, or, without it, the
// embedded PostgreSQL in .data/ (started for the run, stopped after).
import path from 'node:path';
import { migrate, repoRoot } from './migrate-wasm.mjs';
import { startEmbeddedPostgres } from './embedded-postgres.mjs';

const [command = 'deploy', name] = process.argv.slice(2);
if (command === 'dev' && !name) {
  console.error('usage: npm run db:migrate:dev -- <migration-name>');
  process.exit(2);
}
let server;
let databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  server = await startEmbeddedPostgres({
    baseDir: process.env.DATA_DIR ?? path.join(repoRoot, '.data'),
    port: Number(process.env.EMBEDDED_PG_PORT ?? 54329),
    log: (m) => console.log(m),
  });
  databaseUrl = server.databaseUrl;
}
let code = 0;
try {
  const applied = await migrate({
    databaseUrl,
    command,
    name,
    forceReset: Boolean(process.env.FORCE_RESET),
  });
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  code = 1;
} finally {
  await server?.stop();
}
process.exit(code);
