import { randomUUID } from 'node:crypto';
import { Test } from '@nestjs/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import request from 'supertest';
import { AppModule } from '../../src/app.module.js';
import { configureApp, createFastifyAdapter, NEST_APP_OPTIONS } from '../../src/app.setup.js';
import { loadEnv } from '../../src/config/env.schema.js';
import { createLogger } from '../../src/common/logging/logger.js';
import { PrismaService } from '../../src/prisma/prisma.service.js';

interface TestPg {
  adminUrl: string;
  template: string;
  urlPattern: string;
}

export interface TestApp {
  app: NestFastifyApplication;
  prisma: PrismaService;
  http: () => ReturnType<typeof request>;
  databaseUrl: string;
  close(): Promise<void>;
}

function testPg(): TestPg {
  const raw = process.env.CORSPLANE_TEST_PG;
  if (!raw)
    throw new Error('CORSPLANE_TEST_PG is missing: run the e2e suites through jest (global setup)');
  return JSON.parse(raw) as TestPg;
}

async function withAdmin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testPg().adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh database cloned from the migrated template (for tests that start API processes themselves). */
export async function createTestDatabase(): Promise<{
  databaseUrl: string;
  adminUrl: string;
  drop(): Promise<void>;
}> {
  const info = testPg();
  const dbName = `t_${randomUUID().replaceAll('-', '')}`;
  await withAdmin(async (c) => {
    for (let attempt = 0; ; attempt++) {
      try {
        await c.query(`CREATE DATABASE "${dbName}" TEMPLATE "${info.template}"`);
        return;
      } catch (e) {
        // Two suites cloning the template at the same instant: retry.
        if (attempt >= 20 || !String((e as Error).message).includes('being accessed')) throw e;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  });
  return {
    databaseUrl: info.urlPattern.replace('__DB__', dbName),
    adminUrl: info.adminUrl,
    drop: async () => {
      await withAdmin((c) => c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`));
    },
  };
}

/**
 * A fresh database cloned from the migrated template, and the real Nest app (Fastify) on it; or,
 * with `replicaOf`, a second app on that app's database (the database stays until the first app
 * closes).
 */
export async function createTestApp(
  env: Record<string, string> = {},
  { replicaOf }: { replicaOf?: TestApp } = {},
): Promise<TestApp> {
  const db = replicaOf
    ? { databaseUrl: replicaOf.databaseUrl, drop: async () => {} }
    : await createTestDatabase();
  const databaseUrl = db.databaseUrl;
  const config = loadEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    MIGRATE_ON_START: 'false',
    ...env,
    DATABASE_URL: databaseUrl,
  });
  const logger = createLogger(config.LOG_LEVEL);
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.register(config, logger)],
  }).compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(
    createFastifyAdapter(config, logger),
    { ...NEST_APP_OPTIONS, logger: false },
  );
  await configureApp(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    prisma: app.get(PrismaService),
    http: () => request(app.getHttpServer()),
    databaseUrl,
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
