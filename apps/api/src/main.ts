import 'reflect-metadata';
import { EnvValidationError, loadEnv } from './config/env.schema.js';
import { createLogger, logFormatOf } from './common/logging/logger.js';
import { bootstrapDatabase } from './database/database-bootstrap.js';
import { createApp } from './app.factory.js';
import { SeedService } from './modules/seed/seed.service.js';

async function main(): Promise<void> {
  let env;
  try {
    env = loadEnv();
  } catch (e) {
    if (e instanceof EnvValidationError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const logger = createLogger(env.LOG_LEVEL, logFormatOf(env.LOG_FORMAT));
  const db = await bootstrapDatabase(env, logger);
  const app = await createApp({ ...env, DATABASE_URL: db.databaseUrl }, logger);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    await app.close().catch((err: unknown) => logger.error({ err }, 'close failed'));
    await db.stop().catch((err: unknown) => logger.error({ err }, 'stopping PostgreSQL failed'));
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  const seeded = await app.get(SeedService).run();
  if (seeded.demoTenant) logger.info({ tenant: seeded.demoTenant }, 'demo tenant seeded');
  if (seeded.createdAdmin)
    logger.info({ email: seeded.createdAdmin }, 'admin created from ADMIN_EMAIL/ADMIN_PASSWORD');
  await app.listen({ port: env.PORT, host: env.HOST });
  // The port actually bound (PORT=0 picks a free one); the URL a browser on this machine opens.
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  logger.info({ host: env.HOST, port }, `corsplane listening: open http://localhost:${port}`);
  if (seeded.generatedAdmin) {
    // Printed once: the password is not stored anywhere in clear.
    process.stdout.write(
      `\n  First admin created. Sign in with:\n    email:    ${seeded.generatedAdmin.email}\n    password: ${seeded.generatedAdmin.password}\n  (shown only now; set ADMIN_EMAIL/ADMIN_PASSWORD to choose them)\n\n`,
    );
  }
}

main().catch((err: unknown) => {
  process.stderr.write(
    `corsplane API failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
