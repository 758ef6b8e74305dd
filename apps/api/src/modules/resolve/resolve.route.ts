import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBodySchema, resolveQuerySchema, resolveResponseSchema } from '@corsplane/contracts';
import { openApiSchema } from '../../common/openapi/api-json.decorator.js';
import { ResolveService } from './resolve.service.js';

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
    tenant: { type: 'string' },
    mode: { type: 'string' },
    policyVersion: { type: 'integer' },
    preflight: { type: 'boolean' },
    status: { type: 'integer' },
    headers: { type: 'object', additionalProperties: { type: 'string' } },
    cacheTtlSeconds: { type: 'integer' },
    reportOnly: { type: 'boolean' },
  },
  required: [
    'allowed',
    'reason',
    'matchedPattern',
    'tenant',
    'mode',
    'policyVersion',
    'preflight',
    'headers',
    'cacheTtlSeconds',
  ],
} as const;

/**
 * `GET /resolve` is registered on Fastify directly, not as a Nest controller: a deliberate exception to the
 * house style for the hot path. Nest's per-request pipeline (global guard, interceptors, pipes, exception
 * filter) cost about half the throughput (see the bench: `npm run bench:resolve`); here the handler reads
 * the query and the Authorization header itself and calls the same services (key cache, policy cache,
 * `decide`, blocked log, metrics). The answers keep the API's error body `{statusCode, error, message}`;
 * bodies are serialised by fast-json-stringify from the schemas above; request logging is off for this
 * route (a log line per call would cost more than the decision). The route is added to /docs by hand
 * (resolveOpenApiPath). `POST /resolve/events` stays a normal Nest route.
 */
@Injectable()
export class ResolveRoute implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly resolver: ResolveService,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const cacheControl = `private, max-age=${this.resolver.cacheTtlSeconds}`;
    fastify.route({
      method: 'GET',
      url: '/resolve',
      logLevel: 'warn',
      schema: { response: { 200: RESOLVE_RESPONSE_JSON, '4xx': errorJson } },
      handler: async (req: FastifyRequest, reply: FastifyReply) => {
        const out = await this.resolver.resolve(
          req.headers.authorization,
          req.query as Record<string, string | string[] | undefined>,
        );
        if (out.status !== 200) {
          if (out.status === 401) void reply.header('www-authenticate', 'Bearer');
          return reply.code(out.status).send(out.body);
        }
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
    origin: 'The request\'s Origin header value (required; malformed values are refused, never echoed)',
    method: 'Access-Control-Request-Method: its presence makes the request a preflight',
    headers: 'Access-Control-Request-Headers of the preflight',
    privateNetwork: 'true when the preflight carries Access-Control-Request-Private-Network: true',
    tenant: 'Tenant slug: required with a platform key; with a tenant key it must be that tenant',
  };
  const error = openApiSchema(errorBodySchema);
  const err = (description: string) => ({
    description,
    content: { 'application/json': { schema: error } },
  });
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
        400: err('Missing origin or a malformed parameter'),
        401: err('Missing, unknown or revoked key'),
        403: err('A tenant key asked for another tenant'),
        404: err('Unknown tenant'),
      },
    },
  };
}
