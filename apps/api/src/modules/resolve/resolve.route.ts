import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import querystring from 'node:querystring';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { LOGGER, type Logger } from '../../common/logging/logger.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { resolveQuerySchema, resolveResponseSchema } from '@corsplane/contracts';
import { openApiSchema } from '../../common/openapi/api-json.decorator.js';
import { ResolveHeadersRoute, isResolveHeadersUrl } from './resolve-headers.route.js';
import { errorResponse, keyErrorResponses } from './resolve-openapi.js';
import { sendFailure } from './resolve-policy.route.js';
import { ResolveService } from './resolve.service.js';
import { clientAddressOf } from '../../common/http/proxy-trust.js';
import { requestId } from './request-id.js';

// fast-json-stringify schemas of the two bodies (kept in step with contracts' resolveResponseSchema and
// errorBodySchema by resolve.route.spec.ts).
const errorJson = {
  type: 'object',
  properties: {
    statusCode: { type: 'integer' },
    error: { type: 'string' },
    message: { type: 'string' },
  },
  required: ['statusCode', 'error', 'message'],
} as const;
export const RESOLVE_RESPONSE_JSON = {
  type: 'object',
  properties: {
    allowed: { type: 'boolean' },
    reason: { type: 'string' },
    matchedPattern: { type: 'string', nullable: true },
    matchedSource: { type: 'string', nullable: true },
    tenant: { type: 'string' },
    mode: { type: 'string' },
    policyVersion: { type: 'integer' },
    preflight: { type: 'boolean' },
    status: { type: 'integer' },
    headers: { type: 'object', additionalProperties: { type: 'string' } },
    cacheTtlSeconds: { type: 'integer' },
    reportOnly: { type: 'boolean' },
    route: { type: 'string', nullable: true },
  },
  required: [
    'allowed',
    'reason',
    'matchedPattern',
    'matchedSource',
    'tenant',
    'mode',
    'policyVersion',
    'preflight',
    'headers',
    'cacheTtlSeconds',
    'route',
  ],
} as const;

/** `/resolve` or `/resolve?…` (byte comparison; any other path goes to Fastify). */
function isResolveUrl(url: string | undefined): url is string {
  return (
    url !== undefined &&
    url.startsWith('/resolve') &&
    (url.length === 8 || url.charCodeAt(8) === 63)
  );
}

/**
 * `GET /resolve` bypasses Nest AND Fastify's request pipeline: a deliberate, measured exception to the house
 * style for the hot path (see `npm run bench:resolve`). With the full Nest pipeline, and still as a plain
 * Fastify route, the framework's per-request work (routing, Nest's middleware hook, cookie hooks, a child
 * logger, reply hooks) cost more than the decision itself and kept /resolve under half of a bare node:http
 * server's throughput. So the HTTP server's `request` event is wrapped: GET /resolve is answered here, with
 * node:http only, by the same ResolveService (key cache, policy cache, `decide`, blocked log, metrics); every
 * other request goes to Fastify untouched. What the pipeline did for other routes is done here by hand:
 * `x-request-id`, the error body `{statusCode, error, message}`, a 500 that never leaks. The same handler is
 * also a Fastify route (for `inject()`, HEAD) and /docs gets the route from resolveOpenApiPath().
 * `POST /resolve/events` stays a normal Nest route.
 */
@Injectable()
export class ResolveRoute implements OnModuleInit {
  private readonly cacheControl: string;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly resolver: ResolveService,
    private readonly headers: ResolveHeadersRoute,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.cacheControl = `private, max-age=${resolver.cacheTtlSeconds}`;
  }

  onModuleInit(): void {
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    const fastifyHandlers = server.listeners('request') as Array<
      (req: IncomingMessage, res: ServerResponse) => void
    >;
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (req.method === 'GET' && isResolveUrl(req.url)) {
        void this.answer(req, res);
        return;
      }
      // Gateways' check requests (nginx auth_request, Envoy ext_authz): any method, any path below.
      if (isResolveHeadersUrl(req.url)) {
        void this.headers.answer(req, res);
        return;
      }
      for (const handler of fastifyHandlers) handler.call(server, req, res);
    });
    this.registerFastifyRoute();
    this.headers.registerFastifyRoutes(this.adapterHost.httpAdapter.getInstance<FastifyInstance>());
  }

  /** The hot path: node:http in, node:http out. */
  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const id = requestId(req.headers['x-request-id']);
    try {
      const url = req.url as string;
      const query = (
        url.length > 9 ? querystring.parse(url.slice(9), '&', '=', { maxKeys: 32 }) : {}
      ) as Record<string, string | string[] | undefined>;
      const out = await this.resolver.resolve(
        req.headers.authorization,
        query,
        clientAddressOf(req, this.resolver.proxyTrust),
      );
      if (out.status !== 200) {
        const headers: Record<string, string> = {
          'content-type': 'application/json; charset=utf-8',
          'x-request-id': id,
        };
        if (out.status === 401) headers['www-authenticate'] = 'Bearer';
        if (out.retryAfter !== undefined) headers['retry-after'] = String(out.retryAfter);
        res.writeHead(out.status, headers).end(JSON.stringify(out.body));
        return;
      }
      if (req.headers['if-none-match'] === out.etag) {
        res
          .writeHead(304, {
            etag: out.etag,
            'cache-control': this.cacheControl,
            'x-request-id': id,
          })
          .end();
        return;
      }
      res
        .writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'cache-control': this.cacheControl,
          etag: out.etag,
          'x-request-id': id,
        })
        .end(JSON.stringify(out.body));
    } catch (err) {
      this.logger.error({ err, reqId: id }, 'unhandled error in /resolve');
      if (!res.headersSent)
        res
          .writeHead(500, { 'content-type': 'application/json; charset=utf-8', 'x-request-id': id })
          .end(
            '{"statusCode":500,"error":"Internal Server Error","message":"Internal server error"}',
          );
      else res.destroy();
    }
  }

  private registerFastifyRoute(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const cacheControl = this.cacheControl;
    fastify.route({
      method: 'GET',
      url: '/resolve',
      logLevel: 'warn',
      schema: { response: { 200: RESOLVE_RESPONSE_JSON, '4xx': errorJson, 503: errorJson } },
      handler: async (req: FastifyRequest, reply: FastifyReply) => {
        const out = await this.resolver.resolve(
          req.headers.authorization,
          req.query as Record<string, string | string[] | undefined>,
          req.ip,
        );
        if (out.status !== 200) return sendFailure(reply, out);
        void reply.header('cache-control', cacheControl).header('etag', out.etag);
        if (req.headers['if-none-match'] === out.etag) return reply.code(304).send();
        return reply.send(out.body);
      },
    });
  }
}

/** The OpenAPI path item of `GET /resolve` (the route bypasses Nest, so /docs gets it from here). */
export function resolveOpenApiPath(): Record<string, unknown> {
  const query = openApiSchema(resolveQuerySchema, 'input') as {
    properties: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  const descriptions: Record<string, string> = {
    origin:
      "The request's Origin header value (required; malformed values are refused, never echoed)",
    method: 'Access-Control-Request-Method: its presence makes the request a preflight',
    headers: 'Access-Control-Request-Headers of the preflight',
    privateNetwork: 'true when the preflight carries Access-Control-Request-Private-Network: true',
    tenant: 'Tenant slug: required with a platform key; with a tenant key it must be that tenant',
    path: 'The request path, to pick the route (SPEC §2.1): starts with "/", at most 8,192 characters, the query string is ignored. Absent: the policy default',
  };
  const err = errorResponse;
  return {
    get: {
      tags: ['resolve'],
      summary:
        'The CORS decision and the exact headers to send for one origin (tenant key, or platform key + tenant)',
      security: [{ bearer: [] }],
      parameters: Object.entries(query.properties).map(([name, schema]) => ({
        name,
        in: 'query',
        required: query.required?.includes(name) ?? false,
        description: descriptions[name],
        schema,
      })),
      responses: {
        200: {
          description:
            'The decision (a refused origin is a 200 with allowed: false). Cache-Control: private, max-age=<cacheTtlSeconds>; ETag',
          content: { 'application/json': { schema: openApiSchema(resolveResponseSchema) } },
        },
        304: { description: 'If-None-Match matched the ETag' },
        400: err('Missing origin or a malformed parameter (a path that does not start with "/")'),
        403: err('A tenant key asked for another tenant'),
        404: err('Unknown tenant'),
        ...keyErrorResponses(),
      },
    },
  };
}
