import 'reflect-metadata';
import { loadEnv } from './config/env.schema.js';
import { createLogger, logFormatOf } from './common/logging/logger.js';
import { bootstrapDatabase } from './database/database-bootstrap.js';
import { createApp } from './app.factory.js';
import { SeedService } from './modules/seed/seed.service.js';

/** `npm run db:seed`: migrate, create the first admin and the demo tenant when missing, then exit. */
const env = loadEnv();
const logger = createLogger(env.LOG_LEVEL, logFormatOf(env.LOG_FORMAT));
const db = await bootstrapDatabase(env, logger);
try {
  const app = await createApp({ ...env, DATABASE_URL: db.databaseUrl }, logger);
  const seeded = await app.get(SeedService).run();
  if (seeded.generatedAdmin)
    process.stdout.write(
      `admin ${seeded.generatedAdmin.email} password: ${seeded.generatedAdmin.password}\n`,
    );
  process.stdout.write(
    `seed: ${JSON.stringify({ demoTenant: seeded.demoTenant ?? null, createdAdmin: seeded.createdAdmin ?? null })}\n`,
  );
  await app.close();
} finally {
  await db.stop();
}
