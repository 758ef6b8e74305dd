import { STATUS_CODES } from 'node:http';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { policyChangeEventSchema, revokedEventSchema } from '@corsplane/contracts';
import { openApiSchema } from '../../common/openapi/api-json.decorator.js';
import type { ResolveKey } from './key-cache.service.js';
import { ResolveChangesService } from './resolve-changes.service.js';
import {
  errorResponse,
  keyErrorResponses,
  stringHeader,
  tenantParameter,
} from './resolve-openapi.js';
import { sendFailure } from './resolve-policy.route.js';
import {
  fail,
  RETRY_AFTER_SECONDS,
  ResolveService,
  type ResolveFailure,
} from './resolve.service.js';
import { SseStream } from './sse-stream.js';

export const RESOLVE_CHANGES_PATH = '/resolve/changes';
/** Most tenants one platform-key stream may name (SPEC §5); more is a 400. */
export const MAX_STREAM_TENANTS = 1000;

const AT_CAPACITY: ResolveFailure = {
  status: 503,
  body: {
    statusCode: 503,
    error: STATUS_CODES[503] as string,
    message: 'This server holds as many change streams as it may: retry after a few seconds',
  },
  retryAfter: RETRY_AFTER_SECONDS,
};

/**
 * `GET /resolve/changes[?tenant=<slug>,…]` (SPEC §5): server-sent events telling SDKs when to refetch a policy.
 * Authorisation as `GET /resolve` (ResolveService: 401, then the tenant rule for each named tenant: 400, 403,
 * 404; 503 when PostgreSQL cannot answer), all decided before the stream opens; then the subscription is
 * registered and only then the head written (ResolveChangesService has the events). A Fastify route that hijacks
 * the reply: SseStream writes everything after the head.
 */
@Injectable()
export class ResolveChangesRoute implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly resolver: ResolveService,
    private readonly changes: ResolveChangesService,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.route({
      method: 'GET',
      url: RESOLVE_CHANGES_PATH,
      logLevel: 'warn',
      handler: (req, reply) => this.open(req, reply),
    });
  }

  private async open(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> {
    const authorization = req.headers.authorization;
    const key = await this.resolver.authenticate(authorization, req.ip);
    if ('status' in key) return sendFailure(reply, key);
    const tenants = await this.tenantsOf(
      key,
      (req.query as Record<string, string | string[] | undefined>).tenant,
    );
    if (tenants !== null && 'status' in tenants) return sendFailure(reply, tenants);
    if (!this.changes.accepting) {
      this.changes.refused();
      // At capacity: do not keep the connection either (it is a socket held for nothing).
      return sendFailure(reply.header('connection', 'close'), AT_CAPACITY);
    }
    reply.hijack();
    const stream = new SseStream(reply.raw);
    this.changes.subscribe({
      stream,
      key,
      authorization: authorization as string,
      tenants,
    });
    stream.open(req.id);
  }

  /**
   * The tenants the stream follows (id → slug): a tenant key its own (`tenant=` may name only it); a platform
   * key those named, comma-separated, or every tenant (null). Each name goes through the tenant rule of /resolve.
   */
  private async tenantsOf(
    key: ResolveKey,
    query: string | string[] | undefined,
  ): Promise<Map<string, string> | null | ResolveFailure> {
    if (typeof query === 'object') return fail(400, 'tenant must be given once, comma-separated');
    if (query === undefined) {
      if (key.tenantId === null) return null;
      return new Map([[key.tenantId, key.tenantSlug as string]]);
    }
    const names = query.split(',');
    if (names.length > MAX_STREAM_TENANTS)
      return fail(400, `tenant names at most ${MAX_STREAM_TENANTS} tenants`);
    const tenants = new Map<string, string>();
    for (const name of names) {
      const id = await this.resolver.tenantFor(key, name);
      if (typeof id !== 'string') return id;
      tenants.set(id, name);
    }
    return tenants;
  }
}

/** The OpenAPI path item of `GET /resolve/changes` (a Fastify route: /docs gets it from here). */
export function resolveChangesOpenApiPath(): Record<string, unknown> {
  return {
    get: {
      tags: ['resolve'],
      summary:
        'Server-sent events: a tenant\u2019s policy changed (refetch GET /resolve/policy), or the key or tenant was revoked',
      description: [
        'text/event-stream. `event: policy` with `data: {"tenant","version"}` when a followed tenant\u2019s policy changes;',
        '`event: revoked` with `data: {}` when the key is revoked or (tenant key) its tenant deleted, and the stream',
        'ends; with a platform key, `data: {"tenant"}` when a followed tenant is deleted, and the stream goes on.',
        `A \`: ping\` comment at least every 15 s. At most ${MAX_STREAM_TENANTS} tenants per stream. The service ends`,
        'every stream when it may have missed changes (its LISTEN connection was re-established) and at shutdown:',
        'reconnect, then revalidate the policies held by ETag. See docs/deploy.md, "Live policy sync (SSE)".',
      ].join(' '),
      security: [{ bearer: [] }],
      parameters: [
        tenantParameter(
          'Comma-separated tenant slugs (platform key; none: every tenant). A tenant key may name only its own tenant',
        ),
      ],
      responses: {
        200: {
          description: 'The event stream (Cache-Control: no-cache, X-Accel-Buffering: no)',
          content: {
            'text/event-stream': {
              schema: {
                oneOf: [openApiSchema(policyChangeEventSchema), openApiSchema(revokedEventSchema)],
              },
            },
          },
        },
        400: errorResponse(
          `A platform key naming an invalid slug, or more than ${MAX_STREAM_TENANTS} tenants`,
        ),
        403: errorResponse('A tenant key named another tenant'),
        404: errorResponse('A named tenant does not exist'),
        ...keyErrorResponses(),
        503: errorResponse(
          'The database is unreachable and this key or tenant is not cached, or this server holds RESOLVE_STREAM_MAX_CONNECTIONS streams',
          { 'Retry-After': stringHeader('seconds') },
        ),
      },
    },
  };
}
