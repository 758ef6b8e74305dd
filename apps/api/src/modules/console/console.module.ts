import fs from 'node:fs';
import path from 'node:path';
import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { LOGGER, type Logger } from '../../common/logging/logger.js';
import { CONSOLE_DIST_DIR, isConsolePath } from './console-paths.js';

// The console only talks to this origin; Mantine injects its CSS variables in a <style> element.
const CSP =
  "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

function securityHeaders(reply: FastifyReply): void {
  void reply
    .header('content-security-policy', CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin');
}

/**
 * Serves the built web console (apps/admin/dist) at `/`: hashed assets cached for good, index.html never,
 * and index.html for any other GET outside the API's paths so client-side routes survive a reload. Files go
 * out brotli- or gzip-encoded when the browser accepts it, from the copies the build wrote.
 */
@Module({})
export class ConsoleModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    const dist = CONSOLE_DIST_DIR;
    if (!fs.existsSync(path.join(dist, 'index.html'))) {
      this.logger.warn(
        { dist },
        'web console not built: run `npm run build -w apps/admin` (npm start does it) to serve it at /',
      );
      return;
    }
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    await fastify.register(fastifyStatic, {
      root: dist,
      wildcard: false,
      // The console build writes .br and .gz beside each asset (apps/admin/build/precompress.ts).
      preCompressed: true,
      setHeaders: (reply, file) => {
        securityHeaders(reply);
        void reply.header(
          'cache-control',
          file.includes(`${path.sep}assets${path.sep}`)
            ? 'public, max-age=31536000, immutable'
            : 'no-cache',
        );
      },
    });
    fastify.get('/*', (req, reply) => {
      if (!isConsolePath(req.url)) return reply.callNotFound();
      return reply.sendFile('index.html');
    });
    this.logger.info({ dist }, 'web console served at /');
  }
}
