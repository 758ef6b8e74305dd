import type { IncomingMessage, ServerResponse } from 'node:http';
import querystring from 'node:querystring';
import { Inject, Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CorsRequest } from '@corsplane/policy';
import { LOGGER, type Logger } from '../../common/logging/logger.js';
import {
  errorResponse,
  keyErrorResponses,
  stringHeader,
  tenantParameter,
} from './resolve-openapi.js';
import { checkRequestPath, ResolveService } from './resolve.service.js';
import { clientAddressOf } from '../../common/http/proxy-trust.js';
import { requestId } from './request-id.js';

/** The path of the gateway-shaped resolve; Envoy's ext_authz appends the original path to it. */
export const RESOLVE_HEADERS_PATH = '/resolve/headers';
const PATH_LENGTH = RESOLVE_HEADERS_PATH.length;

/** `/resolve/headers`, `/resolve/headers?…` or `/resolve/headers/…` (Envoy: path_prefix + original path). */
export function isResolveHeadersUrl(url: string | undefined): url is string {
  if (url === undefined || !url.startsWith(RESOLVE_HEADERS_PATH)) return false;
  if (url.length === PATH_LENGTH) return true;
  const c = url.charCodeAt(PATH_LENGTH);
  return c === 47 /* / */ || c === 63; /* ? */
}

/**
 * The forwarded request's path (SPEC §2.1): X-Forwarded-Uri (Caddy forward_auth, Traefik), else
 * X-Original-URI (the nginx auth_request convention), else what follows /resolve/headers in this
 * request's own path (Envoy ext_authz appends the original path to path_prefix). Undefined: none,
 * the default applies.
 */
function forwardedPathOf(req: IncomingMessage): string | string[] | undefined {
  const forwarded = req.headers['x-forwarded-uri'] ?? req.headers['x-original-uri'];
  if (forwarded !== undefined) return forwarded;
  const url = req.url as string;
  return url.charCodeAt(PATH_LENGTH) === 47 ? url.slice(PATH_LENGTH) : undefined;
}

/** The request headers the engine reads (nothing else of the forwarded request reaches it). */
const CORS_INPUTS = [
  'origin',
  'access-control-request-method',
  'access-control-request-headers',
  'access-control-request-private-network',
] as const;

const ERROR_TENANT_TWICE =
  '{"statusCode":400,"error":"Bad Request","message":"The tenant query parameter and X-Corsplane-Tenant disagree"}';
const ERROR_500 =
  '{"statusCode":500,"error":"Internal Server Error","message":"Internal server error"}';

/**
 * `/resolve/headers` (any method): the decision of `GET /resolve` for the request a gateway is forwarding,
 * read from that request's own headers and answered as status + response headers with an empty body, so that
 * nginx `auth_request` and Envoy `ext_authz` (which look at nothing else) use it without a script. The contract
 * is in docs/deploy.md ("Gateways") and in resolveHeadersOpenApiPath():
 *
 * - actual request (allowed, refused, or no Origin): 200 + the decision's CORS headers (a refusal has only Vary);
 * - preflight (OPTIONS + Origin + Access-Control-Request-Method): the preflight response itself: 204 + headers
 *   when allowed, 403 + Vary when refused;
 * - every decision also carries X-Corsplane-Decision (allowed|refused), X-Corsplane-Reason and
 *   X-Corsplane-Policy-Version (and X-Corsplane-Report-Only: true on a report-only would-be refusal,
 *   X-Corsplane-Route: the route's path when a route decided);
 * - errors as /resolve, JSON body: 400, 401 (+ WWW-Authenticate: Bearer), 403, 404, 503 (+ Retry-After).
 *
 * The original method is X-Forwarded-Method when sent (nginx), else this request's own method (Envoy's check
 * request keeps the original method). Same ResolveService as `GET /resolve`: key cache, policy cache, `decide`,
 * blocked-origin log, metrics. Answered from the node:http `request` listener of ResolveRoute, like /resolve.
 */
@Injectable()
export class ResolveHeadersRoute {
  constructor(
    private readonly resolver: ResolveService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const id = requestId(req.headers['x-request-id']);
    try {
      const url = req.url as string;
      let tenant = req.headers['x-corsplane-tenant'] as string | undefined;
      // The query is read on the exact path only: below it (Envoy), the query is the browser's own.
      if (url.length > PATH_LENGTH + 1 && url.charCodeAt(PATH_LENGTH) === 63) {
        const q = querystring.parse(url.slice(PATH_LENGTH + 1), '&', '=', { maxKeys: 32 }).tenant;
        if (q !== undefined) {
          if (typeof q !== 'string' || (tenant !== undefined && tenant !== q)) {
            res
              .writeHead(400, {
                'content-type': 'application/json; charset=utf-8',
                'x-request-id': id,
              })
              .end(ERROR_TENANT_TWICE);
            return;
          }
          tenant = q;
        }
      }
      const forwarded = req.headers['x-forwarded-method'];
      const headers: Record<string, string> = {};
      for (const name of CORS_INPUTS) {
        const v = req.headers[name];
        if (v !== undefined) headers[name] = v as string;
      }
      const request: CorsRequest = {
        method:
          typeof forwarded === 'string' && forwarded !== '' ? forwarded : (req.method as string),
        headers,
      };
      const path = forwardedPathOf(req);
      const pathProblem = checkRequestPath(path);
      if (pathProblem !== null) {
        res
          .writeHead(400, { 'content-type': 'application/json; charset=utf-8', 'x-request-id': id })
          .end(JSON.stringify(pathProblem.body));
        return;
      }
      if (path !== undefined) request.path = path as string;

      const out = await this.resolver.resolveRequest(
        req.headers.authorization,
        tenant,
        request,
        clientAddressOf(req, this.resolver.proxyTrust),
      );
      if (out.status !== undefined) {
        const errHeaders: Record<string, string> = {
          'content-type': 'application/json; charset=utf-8',
          'x-request-id': id,
        };
        if (out.status === 401) errHeaders['www-authenticate'] = 'Bearer';
        if (out.retryAfter !== undefined) errHeaders['retry-after'] = String(out.retryAfter);
        res.writeHead(out.status, errHeaders).end(JSON.stringify(out.body));
        return;
      }
      const d = out.decision;
      const reply: Record<string, string> = { ...d.headers };
      reply['x-corsplane-decision'] = d.allowed ? 'allowed' : 'refused';
      reply['x-corsplane-reason'] = d.reason;
      reply['x-corsplane-policy-version'] = String(out.entry.version);
      if (d.reportOnly === true) reply['x-corsplane-report-only'] = 'true';
      if (d.route !== undefined) reply['x-corsplane-route'] = d.route;
      reply['x-request-id'] = id;
      reply['content-length'] = '0';
      const status = d.preflight ? (d.status ?? (d.allowed ? 204 : 403)) : 200;
      res.writeHead(status, reply).end();
    } catch (err) {
      this.logger.error({ err, reqId: id }, 'unhandled error in /resolve/headers');
      if (!res.headersSent)
        res
          .writeHead(500, { 'content-type': 'application/json; charset=utf-8', 'x-request-id': id })
          .end(ERROR_500);
      else res.destroy();
    }
  }

  /** The same handler as Fastify routes (for `inject()`); real traffic never reaches them. */
  registerFastifyRoutes(fastify: FastifyInstance): void {
    const handler = async (req: FastifyRequest, reply: FastifyReply) => {
      reply.hijack();
      await this.answer(req.raw, reply.raw);
    };
    const method = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
    fastify.route({ method, url: RESOLVE_HEADERS_PATH, logLevel: 'warn', handler });
    fastify.route({ method, url: `${RESOLVE_HEADERS_PATH}/*`, logLevel: 'warn', handler });
  }
}

/** The OpenAPI path item of `/resolve/headers` (the route bypasses Nest, so /docs gets it from here). */
export function resolveHeadersOpenApiPath(): Record<string, unknown> {
  const err = errorResponse;
  const str = stringHeader;
  const header = (name: string, description: string) => ({
    name,
    in: 'header',
    required: false,
    description,
    schema: { type: 'string' },
  });
  const decisionHeaders = {
    'Access-Control-Allow-Origin': str(
      'The decision\u2019s headers, exactly as /resolve returns them in `headers`',
    ),
    'Access-Control-Allow-Credentials': str('When allowed and the policy allows credentials'),
    'Access-Control-Expose-Headers': str('Actual requests, when allowed'),
    'Access-Control-Allow-Methods': str('Allowed preflights'),
    'Access-Control-Allow-Headers': str('Allowed preflights'),
    'Access-Control-Max-Age': str('Allowed preflights'),
    'Access-Control-Allow-Private-Network': str('Allowed private-network preflights'),
    Vary: str('Always, unless the policy answers `*` to everyone'),
    'X-Corsplane-Decision': str('allowed | refused'),
    'X-Corsplane-Reason': str(
      'The decision reason (exact-match, origin-not-allowed, no-origin, …)',
    ),
    'X-Corsplane-Policy-Version': str('The policy version decided with'),
    'X-Corsplane-Report-Only': str(
      'true on a report-only would-be refusal (the decision is allowed)',
    ),
    'X-Corsplane-Route': str(
      'The path of the route that decided (SPEC \u00a72.1); absent: the default',
    ),
  };
  return {
    get: {
      tags: ['resolve'],
      summary:
        'Gateway-shaped /resolve: the CORS decision for the forwarded request, as status + response headers (nginx auth_request, Envoy ext_authz)',
      description:
        'Reads the CORS inputs from the request\u2019s own headers as a gateway forwards them. Any method is accepted, and any path below /resolve/headers/ (Envoy appends the original path to path_prefix); the method of the original request is X-Forwarded-Method, or this request\u2019s own method. The body of a decision is empty. See docs/deploy.md, "Gateways".',
      security: [{ bearer: [] }],
      parameters: [
        header(
          'Origin',
          'The browser\u2019s Origin (absent: not a CORS request, 200 with reason no-origin)',
        ),
        header('Access-Control-Request-Method', 'With OPTIONS and Origin: a preflight'),
        header('Access-Control-Request-Headers', 'The preflight\u2019s requested headers'),
        header('Access-Control-Request-Private-Network', 'true: a private-network preflight'),
        header(
          'X-Forwarded-Method',
          'The original request\u2019s method (default: this request\u2019s method)',
        ),
        header(
          'X-Forwarded-Uri',
          'The original request\u2019s path and query, to pick the route (SPEC \u00a72.1); also read from X-Original-URI, else from the path below /resolve/headers/ (Envoy). Absent: the policy\u2019s default',
        ),
        header('X-Original-URI', 'As X-Forwarded-Uri (the nginx auth_request convention)'),
        header(
          'X-Corsplane-Tenant',
          'Tenant slug, with a platform key (or tenant= on the exact path)',
        ),
        tenantParameter('Tenant slug with a platform key; read on the exact path only'),
      ],
      responses: {
        200: {
          description:
            'An actual request (allowed, refused or without Origin): copy the headers onto the response and serve it',
          headers: decisionHeaders,
        },
        204: {
          description:
            'An allowed preflight: answer the browser with exactly this status and these headers',
          headers: decisionHeaders,
        },
        403: {
          description:
            'A refused preflight (X-Corsplane-Decision: refused, Vary, empty body: answer the browser with it), or a tenant key used for another tenant (JSON error body, no X-Corsplane-Decision)',
          headers: decisionHeaders,
        },
        400: err(
          'A platform key without a tenant, an invalid slug, tenant given twice, or a forwarded path that does not start with "/" (or is over 8,192 characters)',
        ),
        404: err('Unknown tenant'),
        ...keyErrorResponses(),
      },
    },
  };
}
