import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { configureApp, createFastifyAdapter, NEST_APP_OPTIONS } from './app.setup.js';
import type { Env } from './config/env.schema.js';
import { NestPinoLogger, type Logger } from './common/logging/logger.js';

/** The configured (not yet listening) application for a resolved Env. */
export async function createApp(env: Env, logger: Logger): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(env, logger),
    createFastifyAdapter(env, logger),
    {
      ...NEST_APP_OPTIONS,
      logger: new NestPinoLogger(logger),
    },
  );
  await configureApp(app);
  return app;
}
