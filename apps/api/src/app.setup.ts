import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import fastifyCookie from '@fastify/cookie';
import type { INestApplication } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { LogController, type FastifyInstance } from 'fastify';
import { ENV, type Env } from './config/env.schema.js';
import { LOGGER, type Logger } from './common/logging/logger.js';
import { nestedDeeperThan } from './common/http/json-depth.js';
import { installLargeBodyRoutes } from './common/http/large-body-routes.js';
import { installTextBodies } from './common/http/text-bodies.js';
import { replyWithError } from './common/filters/all-exceptions.filter.js';
import { proxyTrust } from './common/http/proxy-trust.js';
import { MetricsService } from './modules/metrics/metrics.service.js';
import { KeyCacheService } from './modules/resolve/key-cache.service.js';
import { refuseUnverifiedKey } from './modules/resolve/resolve.service.js';
import {
  resolveHeadersOpenApiPath,
  resolveOpenApiPath,
} from './modules/resolve/resolve-openapi.js';
import { resolveChangesOpenApiPath } from './modules/resolve/resolve-changes.route.js';
import { resolvePolicyOpenApiPath } from './modules/resolve/resolve-policy.route.js';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Sent on every response the app answers (JSON, errors, /docs, /metrics, the console, which adds its own
 * full CSP): no MIME sniffing, no framing (X-Frame-Options for browsers without CSP frame-ancestors), and
 * HSTS whenever session cookies are Secure, since those only travel over HTTPS anyway.
 */
export function securityHeaders(env: Pick<Env, 'cookieSecure'>): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'content-security-policy': "frame-ancestors 'none'",
    ...(env.cookieSecure ? { 'strict-transport-security': 'max-age=31536000' } : {}),
  };
}

/** Create the app with `bodyParser: false` (no form parser): Fastify's own JSON parser does the work. */
export const NEST_APP_OPTIONS = { bodyParser: false } as const;

/** Fastify with request ids (a sane incoming `x-request-id` is kept), pino logs and the body size limit. */
export function createFastifyAdapter(env: Env, logger: Logger): FastifyAdapter {
  return new FastifyAdapter({
    loggerInstance: logger,
    bodyLimit: env.BODY_LIMIT_BYTES,
    // Logged by the onResponse hook of configureApp instead, at debug: one line per request, not two at info.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: proxyTrust(env.TRUST_PROXY),
    genReqId: (req: IncomingMessage) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming)
        ? incoming
        : crypto.randomUUID();
    },
  });
}

/** Plugins, hooks, error handler and /docs: everything main.ts and the e2e tests share. */
export async function configureApp(app: NestFastifyApplication): Promise<void> {
  const env = app.get<symbol, Env>(ENV);
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyInstance;
  await app.register(fastifyCookie as unknown as Parameters<NestFastifyApplication['register']>[0]);
  // JSON only, but for the origin import's text bodies: form and text bodies are what a cross-site page can
  // send without a preflight.
  installTextBodies(fastify);
  const metrics = app.get(MetricsService);
  // Whole policies are bigger than other bodies: those routes have their own limit.
  installLargeBodyRoutes(fastify, env);
  // SDK batches are bigger than admin bodies, so the key is verified (cache, checksum, unknown-key throttle)
  // before a byte of the body is read: an unauthenticated post costs no buffer and no parse.
  const keys = app.get(KeyCacheService);
  fastify.addHook('onRoute', (route) => {
    if (route.url !== '/resolve/events' || route.method !== 'POST') return;
    route.bodyLimit = env.RESOLVE_EVENTS_BODY_LIMIT_BYTES;
    const existing = route.onRequest ? [route.onRequest].flat() : [];
    route.onRequest = [
      ...existing,
      async (req, reply) => {
        const refusal = await refuseUnverifiedKey(keys, req.headers.authorization, req.ip);
        if (refusal === null) return;
        if (refusal.retryAfter !== undefined)
          void reply.header('retry-after', String(refusal.retryAfter));
        if (refusal.status === 401) void reply.header('www-authenticate', 'Bearer');
        await reply.code(refusal.status).send(refusal.body);
      },
    ];
  });
  // What Fastify refuses before a Nest handler runs (a body over its limit, malformed JSON, an empty JSON body,
  // another content type) never reaches Nest's exception filter: Nest sets its Fastify error handler after the
  // routes have taken the default one, which answers with Fastify's own body (an extra `code`, its wording).
  // Each route gets the one error map instead, so these answer SPEC §4's error body too.
  const errorLogger = app.get<symbol, Logger>(LOGGER);
  fastify.addHook('onRoute', (route) => {
    route.errorHandler ??= (err, req, reply) => replyWithError(err, req, reply, errorLogger);
  });
  // A body nested thousands of levels deep parses fine but overflows whatever walks it recursively later.
  fastify.addHook('preValidation', (req, reply, done) => {
    if (req.body !== null && typeof req.body === 'object' && nestedDeeperThan(req.body)) {
      void reply.code(400).send({
        statusCode: 400,
        error: 'Bad Request',
        message: 'Malformed request: the JSON body is nested too deeply',
      });
      return;
    }
    done();
  });
  // Callback-style hooks: they run on every request Fastify answers (not /resolve and /resolve/headers, which
  // the node:http edge answers before Fastify sees them), where an async hook's promise would show.
  const hardening = securityHeaders(env);
  fastify.addHook('onRequest', (req, reply, done) => {
    void reply.header('x-request-id', req.id).headers(hardening);
    done();
  });
  fastify.addHook('onResponse', (req, reply, done) => {
    req.log.debug(
      {
        method: req.method,
        // The route, not the URL: a query string may carry something no log should keep.
        route: req.routeOptions.url ?? req.url.split('?')[0],
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
    metrics.httpDuration.observe(
      {
        method: req.method,
        route: req.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
    done();
  });
  const config = new DocumentBuilder()
    .setTitle('corsplane API')
    .setDescription(
      'Multi-tenant CORS policy service: admin API (session cookie or admin bearer token), resolve API (tenant or platform keys) and operations.',
    )
    .setVersion('0.1.0')
    .addBearerAuth()
    .addCookieAuth('corsplane_session')
    .build();
  SwaggerModule.setup(
    'docs',
    app as unknown as INestApplication,
    () => {
      const document = SwaggerModule.createDocument(app as unknown as INestApplication, config);
      // The /resolve routes are not Nest controllers (the node:http edge, Fastify routes): documented from
      // resolve-openapi.ts and the routes' modules, built from the contracts' zod schemas.
      document.paths['/resolve'] = resolveOpenApiPath() as (typeof document.paths)[string];
      document.paths['/resolve/headers'] =
        resolveHeadersOpenApiPath() as (typeof document.paths)[string];
      document.paths['/resolve/policy'] =
        resolvePolicyOpenApiPath() as (typeof document.paths)[string];
      document.paths['/resolve/changes'] =
        resolveChangesOpenApiPath() as (typeof document.paths)[string];
      return document;
    },
    {
      jsonDocumentUrl: 'docs-json',
    },
  );
}
