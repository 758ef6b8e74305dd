import 'reflect-metadata';
import { loadEnv } from './config/env.schema.js';
import { createLogger } from './common/logging/logger.js';
import { bootstrapDatabase } from './database/database-bootstrap.js';
import { createApp } from './app.factory.js';
import { AppError } from './common/errors/app-error.js';
import { resetPassword } from './admin-cli/reset-password.js';

/** `npm run admin:reset-password -- <email>`: a new password for that user, printed once. */
const email = process.argv[2];
if (!email || process.argv.length > 3) {
  process.stderr.write('usage: npm run admin:reset-password -- <email>\n');
  process.exit(2);
}
const env = loadEnv();
const logger = createLogger(env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL);
const db = await bootstrapDatabase(env, logger);
let code = 0;
try {
  const app = await createApp({ ...env, DATABASE_URL: db.databaseUrl }, logger);
  try {
    const reset = await resetPassword(app, email);
    process.stdout.write(
      `\n  New password for ${reset.email} (shown only now; every session and token of this user is revoked):\n    ${reset.password}\n\n`,
    );
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    process.stderr.write(`${e.message}\n`);
    code = 1;
  } finally {
    await app.close();
  }
} finally {
  await db.stop();
}
process.exit(code);
