import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CorsRequest, Decision } from '@corsplane/policy';
import type { PolicyEntry } from './policy-cache.service.js';
import { LOGGER, type Logger } from '../../common/logging/logger.js';
import { clientAddressOf } from '../../common/http/proxy-trust.js';
import { parseParams } from './query-params.js';
import { requestId } from './request-id.js';
import { QueryMemo } from './query-memo.js';
import {
  checkRequestPath,
  fail,
  ResolveService,
  shapeQuery,
  type DecidedRequest,
  type ResolveFailure,
  type ResolveOutcome,
} from './resolve.service.js';

/** The path of the gateway-shaped resolve; Envoy's ext_authz appends the original path to it. */
export const RESOLVE_HEADERS_PATH = '/resolve/headers';
const HEADERS_PATH_LENGTH = RESOLVE_HEADERS_PATH.length;
const RESOLVE_PATH_LENGTH = '/resolve'.length;

/** `/resolve` or `/resolve?…` (byte comparison; any other path goes to Fastify). */
function isResolveUrl(url: string): boolean {
  return (
    url.startsWith('/resolve') &&
    (url.length === RESOLVE_PATH_LENGTH || url.charCodeAt(RESOLVE_PATH_LENGTH) === 63)
  );
}

/** `/resolve/headers`, `/resolve/headers?…` or `/resolve/headers/…` (Envoy: path_prefix + original path). */
export function isResolveHeadersUrl(url: string): boolean {
  if (!url.startsWith(RESOLVE_HEADERS_PATH)) return false;
  if (url.length === HEADERS_PATH_LENGTH) return true;
  const c = url.charCodeAt(HEADERS_PATH_LENGTH);
  return c === 47 /* / */ || c === 63; /* ? */
}

const RESOLVE_PARAMS: ReadonlySet<string> = new Set([
  'origin',
  'method',
  'headers',
  'privateNetwork',
  'tenant',
  'path',
]);
const HEADERS_PARAMS: ReadonlySet<string> = new Set(['tenant']);
/** A query without `tenant` (a memo keeps no undefined). */
const NO_TENANT = Symbol('no tenant');

/** The request headers the engine reads on /resolve/headers (nothing else of the forwarded request reaches it). */
const CORS_INPUTS = [
  'origin',
  'access-control-request-method',
  'access-control-request-headers',
  'access-control-request-private-network',
] as const;

/** A `/resolve/headers` answer but its request id: status and header lines (name, value, name, …). */
interface HeadersAnswer {
  entry: PolicyEntry;
  status: number;
  headers: string[];
}

const JSON_TYPE = 'application/json; charset=utf-8';
const ERROR_500 =
  '{"statusCode":500,"error":"Internal Server Error","message":"Internal server error"}';
const TENANT_TWICE = fail(400, 'The tenant query parameter and X-Corsplane-Tenant disagree');

/**
 * The node:http edge of the resolve API: `GET|HEAD /resolve` and `/resolve/headers` (any method) bypass
 * Nest AND Fastify's request pipeline, a deliberate, measured exception to the house style for the hot path
 * (`npm run bench:resolve`): the framework's per-request work (routing, Nest's middleware hook, cookie hooks,
 * a child logger, reply hooks) cost more than the decision itself. The HTTP server's `request` event is
 * wrapped: these two routes are answered here, by ResolveService (every rule: key, tenant, request shaping,
 * decision, answer); every other request goes to Fastify untouched. What the pipeline did for other routes is
 * done here, once, for every outcome (the `write*` functions below are the one table):
 *
 * | outcome                        | status            | headers                                          |
 * | ------------------------------ | ----------------- | ------------------------------------------------ |
 * | /resolve decision              | 200               | Cache-Control, ETag, JSON body                   |
 * | /resolve, If-None-Match hit    | 304               | Cache-Control, ETag                              |
 * | /resolve/headers decision      | 200, 204 or 403   | the decision's CORS headers + X-Corsplane-*      |
 * | refused call                   | 400/401/403/404/429/503 | SPEC error body; WWW-Authenticate on 401, Retry-After on 429/503 |
 * | a bug                          | 500               | SPEC error body (never the error itself)         |
 *
 * Every response carries X-Request-Id and Content-Length (never chunked) and its body as a string (node:http
 * joins it to the head: see ResolveAnswer.json); HEAD gets the headers of GET. `POST /resolve/events`, `GET /resolve/policy` and `/resolve/changes` stay Fastify routes.
 * /docs documents these two from resolve-openapi.ts.
 */
@Injectable()
export class ResolveEdge implements OnModuleInit {
  private readonly cacheControl: string;
  /** `GET /resolve` queries, shaped (SPEC §4: parameters → the request to decide, or the query's 400). */
  private readonly resolveQueries = new QueryMemo((q: string) =>
    shapeQuery(parseParams(q, RESOLVE_PARAMS)),
  );
  /** The `tenant` parameter of `/resolve/headers` queries (the only one it reads). */
  private readonly headersTenants = new QueryMemo(
    (q: string) => parseParams(q, HEADERS_PARAMS).tenant ?? NO_TENANT,
  );
  private readonly heads = new WeakMap<Decision, HeadersAnswer>();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly resolver: ResolveService,
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
      if (!this.handle(req, res))
        for (const handler of fastifyHandlers) handler.call(server, req, res);
    });
    // The same handler as Fastify routes, for `inject()` (real traffic never reaches them).
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const handler = async (req: FastifyRequest, reply: FastifyReply) => {
      reply.hijack();
      this.handle(req.raw, reply.raw);
    };
    const any = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
    fastify.route({ method: ['GET', 'HEAD'], url: '/resolve', logLevel: 'warn', handler });
    fastify.route({ method: any, url: RESOLVE_HEADERS_PATH, logLevel: 'warn', handler });
    fastify.route({ method: any, url: `${RESOLVE_HEADERS_PATH}/*`, logLevel: 'warn', handler });
  }

  /** Answers the request when it is one of the edge's routes (true), else leaves it (false). */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url ?? '';
    const method = req.method;
    // Gateways' check requests (nginx auth_request, Envoy ext_authz): any method, any path below.
    const route = isResolveHeadersUrl(url)
      ? 'headers'
      : (method === 'GET' || method === 'HEAD') && isResolveUrl(url)
        ? 'resolve'
        : null;
    if (route === null) return false;
    const id = requestId(req.headers['x-request-id']);
    try {
      if (route === 'resolve') {
        const out = this.resolver.resolve(
          req.headers.authorization,
          this.resolveQueries.of(url.slice(RESOLVE_PATH_LENGTH + 1)),
          () => clientAddressOf(req, this.resolver.proxyTrust),
        );
        if (out instanceof Promise)
          out.then(
            (o) => this.writeResolve(req, res, id, o),
            (err: unknown) => this.writeBug(res, id, err),
          );
        else this.writeResolve(req, res, id, out);
      } else {
        const out = this.resolveHeaders(req, url);
        if (out instanceof Promise)
          out.then(
            (o) => this.writeHeaders(res, id, o),
            (err: unknown) => this.writeBug(res, id, err),
          );
        else this.writeHeaders(res, id, out);
      }
    } catch (err) {
      this.writeBug(res, id, err);
    }
    return true;
  }

  /**
   * `/resolve/headers`: the decision of `GET /resolve` for the request a gateway is forwarding, read from that
   * request's own headers (docs/deploy.md, "Gateways"). The original method is X-Forwarded-Method when sent
   * (nginx), else this request's own method (Envoy's check request keeps the original method).
   */
  private resolveHeaders(
    req: IncomingMessage,
    url: string,
  ): ResolveFailure | DecidedRequest | Promise<ResolveFailure | DecidedRequest> {
    let tenant = req.headers['x-corsplane-tenant'] as string | undefined;
    // The query is read on the exact path only: below it (Envoy), the query is the browser's own.
    if (url.length > HEADERS_PATH_LENGTH + 1 && url.charCodeAt(HEADERS_PATH_LENGTH) === 63) {
      const q = this.headersTenants.of(url.slice(HEADERS_PATH_LENGTH + 1));
      if (q !== NO_TENANT) {
        if (typeof q !== 'string' || (tenant !== undefined && tenant !== q)) return TENANT_TWICE;
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
    const path = forwardedPathOf(req, url);
    const pathProblem = checkRequestPath(path);
    if (pathProblem !== null) return pathProblem;
    if (path !== undefined) request.path = path as string;
    return this.resolver.resolveRequest(req.headers.authorization, tenant, request, () =>
      clientAddressOf(req, this.resolver.proxyTrust),
    );
  }

  private writeResolve(req: IncomingMessage, res: ServerResponse, id: string, out: ResolveOutcome) {
    if (out.status !== 200) return this.writeFailure(res, id, out, req.method === 'HEAD');
    if (req.headers['if-none-match'] === out.etag) {
      res.writeHead(304, [
        'etag',
        out.etag,
        'cache-control',
        this.cacheControl,
        'x-request-id',
        id,
      ]);
      res.end();
      return;
    }
    res.writeHead(200, [
      'content-type',
      JSON_TYPE,
      'content-length',
      out.length,
      'cache-control',
      this.cacheControl,
      'etag',
      out.etag,
      'x-request-id',
      id,
    ]);
    if (req.method === 'HEAD') res.end();
    else res.end(out.json);
  }

  private writeHeaders(res: ServerResponse, id: string, out: ResolveFailure | DecidedRequest) {
    if (out.status !== undefined) return this.writeFailure(res, id, out, false);
    const head = this.headOf(out.entry, out.decision);
    res.writeHead(head.status, [...head.headers, 'x-request-id', id]);
    res.end();
  }

  /**
   * The status and headers of a `/resolve/headers` answer but its request id, built once per decision object
   * and policy entry (exact matches and refusals are prebuilt decisions: a hit reuses them).
   */
  private headOf(entry: PolicyEntry, d: Decision): HeadersAnswer {
    const known = this.heads.get(d);
    if (known !== undefined && known.entry === entry) return known;
    const headers: string[] = [];
    for (const name in d.headers) headers.push(name, d.headers[name] as string);
    headers.push('x-corsplane-decision', d.allowed ? 'allowed' : 'refused');
    headers.push('x-corsplane-reason', d.reason);
    headers.push('x-corsplane-policy-version', String(entry.version));
    if (d.reportOnly === true) headers.push('x-corsplane-report-only', 'true');
    if (d.route !== undefined) headers.push('x-corsplane-route', d.route);
    headers.push('content-length', '0');
    const status = d.preflight ? (d.status ?? (d.allowed ? 204 : 403)) : 200;
    const head = { entry, status, headers };
    this.heads.set(d, head);
    return head;
  }

  /** The SPEC §4 error body; WWW-Authenticate on 401, Retry-After on 429 and 503. */
  private writeFailure(res: ServerResponse, id: string, out: ResolveFailure, head: boolean) {
    const body = JSON.stringify(out.body);
    const headers = [
      'content-type',
      JSON_TYPE,
      'content-length',
      String(Buffer.byteLength(body)),
      'x-request-id',
      id,
    ];
    if (out.status === 401) headers.push('www-authenticate', 'Bearer');
    if (out.retryAfter !== undefined) headers.push('retry-after', String(out.retryAfter));
    res.writeHead(out.status, headers);
    if (head) res.end();
    else res.end(body);
  }

  /** A bug: logged with the request id, answered with the SPEC 500 body that says nothing about it. */
  private writeBug(res: ServerResponse, id: string, err: unknown) {
    this.logger.error({ err, reqId: id }, 'unhandled error in the /resolve edge');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(500, [
      'content-type',
      JSON_TYPE,
      'content-length',
      String(Buffer.byteLength(ERROR_500)),
      'x-request-id',
      id,
    ]);
    res.end(ERROR_500);
  }
}

/**
 * The forwarded request's path (SPEC §2.1): X-Forwarded-Uri (Caddy forward_auth, Traefik), else
 * X-Original-URI (the nginx auth_request convention), else what follows /resolve/headers in this
 * request's own path (Envoy ext_authz appends the original path to path_prefix). Undefined: none,
 * the default applies.
 */
function forwardedPathOf(req: IncomingMessage, url: string): string | string[] | undefined {
  const forwarded = req.headers['x-forwarded-uri'] ?? req.headers['x-original-uri'];
  if (forwarded !== undefined) return forwarded;
  return url.charCodeAt(HEADERS_PATH_LENGTH) === 47 ? url.slice(HEADERS_PATH_LENGTH) : undefined;
}
