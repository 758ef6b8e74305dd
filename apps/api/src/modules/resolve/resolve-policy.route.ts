import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { resolvePolicyResponseSchema, type ResolvePolicyResponse } from '@corsplane/contracts';
import { openApiSchema } from '../../common/openapi/api-json.decorator.js';
import type { PolicyEntry } from './policy-cache.service.js';
import {
  errorResponse,
  keyErrorResponses,
  stringHeader,
  tenantParameter,
} from './resolve-openapi.js';
import { fail, ResolveService, type ResolveFailure } from './resolve.service.js';

export const RESOLVE_POLICY_PATH = '/resolve/policy';

/** Longest If-None-Match worth reading: a handful of ETags (Node refuses headers over 16 KiB anyway). */
const MAX_IF_NONE_MATCH_LENGTH = 1024;

/**
 * The entity tag of an entry's `GET /resolve/policy` body (without quotes): the effective version, and while a
 * candidate exists `<version>.<candidateVersion>`, so the tag changes when the candidate does (SPEC §5). With no
 * candidate it is the bare version, as before candidates existed.
 */
export function policyTagOf(
  entry: Pick<PolicyEntry, 'version' | 'candidate' | 'candidateVersion'>,
) {
  return entry.candidate === undefined
    ? String(entry.version)
    : `${entry.version}.${entry.candidateVersion}`;
}

/**
 * True when If-None-Match names this tag (RFC 9110 §13.1.2: `*`, or a list of entity tags compared
 * weakly, so `W/"7"` matches `"7"`); the bare tag is accepted too, as for the admin API's If-Match.
 * Split by commas, no regular expression over the header.
 */
export function ifNoneMatchHits(header: string | undefined, tag: number | string): boolean {
  if (header === undefined || header.length > MAX_IF_NONE_MATCH_LENGTH) return false;
  const bare = String(tag);
  for (const raw of header.split(',')) {
    let tag = raw.trim();
    if (tag === '*') return true;
    if (tag.startsWith('W/')) tag = tag.slice(2);
    if (tag.length >= 2 && tag.startsWith('"') && tag.endsWith('"')) tag = tag.slice(1, -1);
    if (tag === bare) return true;
  }
  return false;
}

/**
 * The 200 body of an entry, serialised once per cached version: `policy` is the effective document /resolve
 * compiles (as stored, normalised when it was saved): the tenant's origins as {pattern, expiresAt}, then the
 * expanded baseline's with `source: 'baseline'` (notes are not served: the SDK decides without them). It is
 * not compiled for this: the SDK compiles it, exactly as /resolve does. `candidate` is the candidate under
 * shadow evaluation (SPEC §3), effective and served the same way, or null.
 */
export function policyBodyOf(entry: PolicyEntry): Buffer {
  if (entry.policyBody === undefined) {
    const body: ResolvePolicyResponse = {
      tenant: entry.slug,
      version: entry.version,
      tenantVersion: entry.tenantVersion,
      baselineVersion: entry.baselineVersion,
      policy: served(entry.document),
      candidate: entry.candidate === undefined ? null : served(entry.candidate),
      // Absent until a candidate was first saved (the body is then as it was before candidates existed).
      ...(entry.candidateVersion > 0 ? { candidateVersion: entry.candidateVersion } : {}),
    };
    entry.policyBody = Buffer.from(JSON.stringify(body));
  }
  return entry.policyBody;
}

/** The engine reads no notes: none are served. Baseline entries say so, for the SDK's matchedSource. */
function served(doc: PolicyEntry['document']): ResolvePolicyResponse['policy'] {
  const { version: _ignored, origins, ...rest } = doc;
  return {
    ...rest,
    origins: origins.map(({ pattern, expiresAt = null, source }) =>
      source === 'baseline' ? { pattern, expiresAt, source } : { pattern, expiresAt },
    ),
  };
}

/**
 * `GET /resolve/policy[?tenant=<slug>]` (SPEC §5): the tenant's effective policy for the SDK to compile and
 * decide with locally. Same key and tenant rule, error bodies and statuses as `GET /resolve`
 * (ResolveService.policyOf), served from the same PolicyCacheService entry: a hit costs no query, and after a
 * change every SDK's refetch shares one load per process. `ETag: "<version>"` (`"<version>.<candidateVersion>"`
 * while a candidate exists: policyTagOf), `Cache-Control: no-cache` (a
 * cache in between must revalidate: the change stream, not a TTL, says when to refetch). Not the hot path, so a
 * plain Fastify route (hooks, request id, metrics) outside Nest's pipeline, like `GET /resolve`'s fallback.
 */
@Injectable()
export class ResolvePolicyRoute implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly resolver: ResolveService,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.route({
      method: 'GET',
      url: RESOLVE_POLICY_PATH,
      logLevel: 'warn',
      handler: (req, reply) => this.answer(req, reply),
    });
  }

  private async answer(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const tenant = (req.query as Record<string, string | string[] | undefined>).tenant;
    const out =
      typeof tenant === 'object'
        ? fail(400, 'tenant must be one slug')
        : await this.resolver.policyOf(req.headers.authorization, req.ip, tenant);
    if ('status' in out) return sendFailure(reply, out);
    const tag = policyTagOf(out);
    void reply.header('etag', `"${tag}"`).header('cache-control', 'no-cache');
    if (ifNoneMatchHits(req.headers['if-none-match'], tag)) return reply.code(304).send();
    return reply.header('content-type', 'application/json; charset=utf-8').send(policyBodyOf(out));
  }
}

/** A ResolveFailure as Fastify's reply: the SPEC error body, WWW-Authenticate on 401, Retry-After on 503. */
export function sendFailure(reply: FastifyReply, out: ResolveFailure): FastifyReply {
  if (out.status === 401) void reply.header('www-authenticate', 'Bearer');
  if (out.retryAfter !== undefined) void reply.header('retry-after', String(out.retryAfter));
  return reply.code(out.status).send(out.body);
}

/** The OpenAPI path item of `GET /resolve/policy` (a Fastify route: /docs gets it from here). */
export function resolvePolicyOpenApiPath(): Record<string, unknown> {
  return {
    get: {
      tags: ['resolve'],
      summary:
        'The tenant\u2019s effective policy, normalised, for the SDK to compile and decide locally (tenant key, or platform key + tenant)',
      security: [{ bearer: [] }],
      parameters: [
        tenantParameter(
          'Tenant slug: required with a platform key; with a tenant key it must be that tenant',
        ),
        {
          name: 'If-None-Match',
          in: 'header',
          required: false,
          description:
            'The ETag held ("<version>" or "<version>.<candidateVersion>", bare, a list, or *): 304 when current',
          schema: { type: 'string' },
        },
      ],
      responses: {
        200: {
          description: 'The policy; refetch when GET /resolve/changes announces a new version',
          headers: {
            ETag: stringHeader(
              '"<version>", or "<version>.<candidateVersion>" while a candidate exists',
            ),
            'Cache-Control': stringHeader('no-cache'),
          },
          content: { 'application/json': { schema: openApiSchema(resolvePolicyResponseSchema) } },
        },
        304: {
          description: 'If-None-Match named the current version',
          headers: { ETag: stringHeader('"<version>"') },
        },
        400: errorResponse('A platform key without a tenant, or an invalid slug'),
        403: errorResponse('A tenant key asked for another tenant'),
        404: errorResponse('Unknown tenant'),
        ...keyErrorResponses(),
      },
    },
  };
}
