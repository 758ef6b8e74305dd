import fs from 'node:fs';
import { loadEnv } from '../../config/env.schema.js';
import type { PrismaService } from '../../prisma/prisma.service.js';
import { HealthService, READINESS_TIMEOUT_MS } from './health.service.js';

// Readiness asks the database on every call: down while it cannot answer (refused or silent), ready again
// as soon as it does, with no restart.
function health(query: () => Promise<unknown>) {
  const env = loadEnv({
    NODE_ENV: 'test',
    DATABASE_URL: 'postgresql://u:p@127.0.0.1:5/x',
  });
  return new HealthService({ $queryRaw: query } as unknown as PrismaService, env);
}

const env0 = loadEnv({ NODE_ENV: 'test', DATABASE_URL: 'postgresql://u:p@127.0.0.1:5/x' });
const applied = fs
  .readdirSync(env0.migrationsDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => ({ migration_name: d.name }));

describe('HealthService.readiness', () => {
  it('follows the database down and back up', async () => {
    let down = false;
    const h = health(async () => {
      if (down) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      return applied;
    });
    expect((await h.readiness()).status).toBe('ok');
    down = true;
    expect(await h.readiness()).toEqual({
      status: 'unavailable',
      checks: { database: 'down', migrations: 'unknown' },
    });
    down = false;
    expect((await h.readiness()).status).toBe('ok');
  });

  it('is not ready when the database does not answer in time (a black-holed server)', async () => {
    const h = health(() => new Promise(() => undefined));
    const t0 = Date.now();
    expect((await h.readiness()).status).toBe('unavailable');
    expect(Date.now() - t0).toBeLessThan(READINESS_TIMEOUT_MS + 1000);
  });
});
