import { STATUS_CODES } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Inject, Injectable } from '@nestjs/common';
import { decide, refusedName, type CorsRequest, type Decision } from '@corsplane/policy';
import { ENV, type Env } from '../../config/env.schema.js';
import { proxyTrust, type ProxyTrust } from '../../common/http/proxy-trust.js';
import { isDatabaseUnavailable } from '../../common/errors/database-unavailable.js';
import { MetricsService } from '../metrics/metrics.service.js';
import type { HotCounter } from '../metrics/hot-metrics.js';

import {
  corsRequestOf,
  requestPathProblem,
  toResolveResponse,
  type ResolveResponse,
  type ShadowVerdict,
} from '@corsplane/contracts';
import { BlockedLogService } from './blocked-log.service.js';
import { KeyCacheService, type ClientOf, type ResolveKey } from './key-cache.service.js';
import { UnknownKeysThrottledError } from './unknown-key-throttle.js';
import { PolicyCacheService, type PolicyEntry } from './policy-cache.service.js';
import { evaluateShadow } from './shadow.js';

/** Seconds a caller should wait before asking again after a 503 (the database is retried every second). */
export const RETRY_AFTER_SECONDS = 5;

/**
 * The answer to a decision, built once per decision object (see ResolveService.answerOf): the body, its
 * serialised bytes and its ETag. It is the 200 outcome itself, so a hit returns it as it is.
 */
export interface ResolveAnswer {
  status: 200;
  body: ResolveResponse;
  /**
   * The serialised body, kept as a string: node:http joins a string body to the head in one chunk, while a
   * Buffer body is a chunk of its own. Both go out in one writev; the Buffer counted about 2% more
   * instructions per request (callgrind).
   */
  json: string;
  /** Its length in bytes (Content-Length). */
  length: string;
  etag: string;
  /** The policy entry it was built for (a decision object belongs to one compiled policy of one entry). */
  entry: PolicyEntry;
  /** The candidate's verdict it carries (SPEC §3), when the tenant has a candidate. */
  shadow: ShadowVerdict | undefined;
}

/** What the HTTP layer sends: a status, a body and the extra headers of a 200 (or the Retry-After of a 503). */
export type ResolveOutcome =
  | ResolveAnswer
  | {
      status: 400 | 401 | 403 | 404 | 429 | 503;
      body: { statusCode: number; error: string; message: string };
      retryAfter?: number;
    };

type QueryValue = string | string[] | undefined;

/** The query parameters of `GET /resolve` as received (a repeated parameter is an array). */
export interface ResolveQuery {
  origin?: QueryValue;
  method?: QueryValue;
  headers?: QueryValue;
  privateNetwork?: QueryValue;
  tenant?: QueryValue;
  path?: QueryValue;
}

/** A decision made (status undefined tells it from an error outcome), with the policy entry it came from. */
export interface DecidedRequest {
  status: undefined;
  entry: PolicyEntry;
  decision: Decision;
  /** While the tenant has a candidate (SPEC §3): the candidate's verdict (never sent as CORS headers). */
  shadow?: ShadowVerdict;
}

/** An answer `resolve` may give again, and what it needs to know that it still holds. */
interface RememberedAnswer {
  /** The Authorization header it was given for (compared as text: no hash, no lookup). */
  authorization: string;
  answer: ResolveAnswer;
  /** keys.changes + policies.changes when it was worked out: both only grow, so the sum moves with either. */
  cacheChanges: number;
  /** performance.now() past which the cached key, policy or slug it came from is reloaded. */
  freshUntil: number;
  /** Whether the tenant came from the slug cache (a platform key), for the hit counts. */
  viaSlug: boolean;
  decisionCounter: HotCounter;
}

/** An answer without a decision: a bad call, an unknown key or tenant, or the database unreachable. */
export type ResolveFailure = Exclude<ResolveOutcome, { status: 200 }>;

/** A `GET /resolve` query shaped once: the tenant asked for and the request to decide, or the query's 400. */
export type ShapedQuery = DecidableQuery | ResolveFailure;
type DecidableQuery = { status: undefined; tenant: string | undefined; request: CorsRequest };

export const fail = (status: 400 | 401 | 403 | 404, message: string): ResolveFailure => ({
  status,
  body: { statusCode: status, error: STATUS_CODES[status] as string, message },
});

const INVALID_KEY: ResolveFailure = Object.freeze(
  fail(401, 'Send a valid /resolve key: Authorization: Bearer cpk_live_…'),
);
const invalidKey = (): ResolveFailure => INVALID_KEY;

/**
 * Runs a lookup; a database outage the caches could not hide becomes 503, never a 500, and a client throttled
 * for presenting unknown keys gets 429.
 */
async function unlessUnavailable<T>(lookup: () => Promise<T>): Promise<T | ResolveFailure> {
  try {
    return await lookup();
  } catch (err) {
    if (isDatabaseUnavailable(err)) return UNAVAILABLE;
    if (err instanceof UnknownKeysThrottledError) return throttled(err.retryAfterSeconds);
    throw err;
  }
}

/** SPEC §4 error body of a client that presented too many unknown keys (no lookup was made). */
export function throttled(retryAfter: number): ResolveFailure {
  return {
    status: 429,
    body: {
      statusCode: 429,
      error: 'Too Many Requests',
      message: 'Too many unknown keys from this client: retry later with a valid key',
    },
    retryAfter,
  };
}

/** The database is unreachable and the answer is not cached: no decision is made up (SPEC §4 error body). */
export const UNAVAILABLE: ResolveFailure = Object.freeze({
  status: 503,
  body: Object.freeze({
    statusCode: 503,
    error: 'Service Unavailable',
    message:
      'The policy store is unreachable and this key or tenant is not cached: retry after a few seconds',
  }),
  retryAfter: RETRY_AFTER_SECONDS,
}) as ResolveFailure;

/** `Bearer <secret>` without a regular expression: scheme case-insensitive, surrounding spaces ignored. */
export function bearerSecret(header: string | undefined): string | null {
  if (header === undefined || header.length < 8 || header.length > 300) return null;
  if (header.slice(0, 7).toLowerCase() !== 'bearer ') return null;
  const secret = header.slice(7).trim();
  return secret.length === 0 || secret.includes(' ') ? null : secret;
}

/**
 * Whether a request may go on to read its body (POST /resolve/events): null when the bearer key verifies,
 * else the failure to answer (401 unknown key, 429 throttled client, 503 database unreachable).
 */
export async function refuseUnverifiedKey(
  keys: KeyCacheService,
  authorization: string | undefined,
  client: string | ClientOf,
): Promise<ResolveFailure | null> {
  const outcome = await unlessUnavailable(async () => {
    const secret = bearerSecret(authorization);
    return secret === null ? null : keys.verify(secret, client);
  });
  if (outcome === null) return invalidKey();
  return 'status' in outcome ? outcome : null;
}

/**
 * The 400 of a request path that cannot be used (SPEC §2.1: `path=` on /resolve, X-Forwarded-Uri or
 * X-Original-URI on /resolve/headers), or null when it is absent or usable.
 */
export function checkRequestPath(path: QueryValue): ResolveFailure | null {
  if (path === undefined) return null;
  if (typeof path !== 'string') return fail(400, 'path must be one request path');
  const problem = requestPathProblem(path);
  return problem === null ? null : fail(400, problem);
}

/** Slug syntax check by character codes (the hot path runs no regular expression over input). */
export function isSlug(s: string): boolean {
  if (s.length === 0 || s.length > 63 || s[0] === '-' || s[s.length - 1] === '-') return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45)) return false;
  }
  return true;
}

/** FNV-1a over the parts of the answer that vary within one policy version (for the ETag). */
function fnv1a(s: string, h = 0x811c9dc5): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function etagOf(version: number, d: Decision, shadow?: ShadowVerdict): string {
  let h = fnv1a(d.reason, d.allowed ? 1 : 2);
  if (d.matchedPattern !== null) h = fnv1a(d.matchedPattern, h);
  // Two routes may answer with the same headers; the body still names the route.
  if (d.route !== undefined) h = fnv1a(d.route, h);
  for (const name in d.headers) h = fnv1a(d.headers[name] as string, fnv1a(name, h));
  // The body's `shadow` (SPEC §3) changes with the candidate while the live answer does not.
  if (shadow !== undefined) h = fnv1a(shadow.reason, Math.imul(h, shadow.allowed ? 3 : 5));
  return `"${version}-${h.toString(36)}"`;
}

/**
 * The request `decide()` sees for a `GET /resolve` query, or the 400 of a query that cannot be one. The
 * shaping itself is contracts' corsRequestOf, the one rule `simulate` uses too. Empty, oversized or repeated
 * method/headers values are not errors of the call: they are the request's own (hostile) header values,
 * which the engine refuses with a reason (SPEC §3); repeated `origin` parameters reach the engine as an
 * array: several origins are malformed (Fetch).
 */
export function requestOfQuery(query: ResolveQuery): CorsRequest | ResolveFailure {
  const { origin, method, headers, privateNetwork, path } = query;
  if (origin === undefined) return fail(400, 'The origin query parameter is required');
  if (privateNetwork !== undefined && privateNetwork !== 'true' && privateNetwork !== 'false')
    return fail(400, 'privateNetwork must be true or false');
  const pathProblem = checkRequestPath(path);
  if (pathProblem !== null) return pathProblem;
  return corsRequestOf({
    origin,
    method,
    headers: method === undefined ? undefined : headers,
    privateNetwork: privateNetwork === 'true',
    path: path as string | undefined,
  });
}

/**
 * A `GET /resolve` query as the decision core takes it: a pure function of the query, so the edge keeps its
 * results (query-memo.ts). The request it gives is shared and never mutated.
 */
export function shapeQuery(query: ResolveQuery): ShapedQuery {
  const { tenant } = query;
  if (typeof tenant === 'object') return fail(400, 'tenant must be one slug');
  const request = requestOfQuery(query);
  return 'status' in request ? request : { status: undefined, tenant, request };
}

/**
 * Every rule of the resolve API (SPEC §4), framework-free: key (cached) → tenant rule → compiled policy
 * (cached) → `decide` → blocked log → answer. The node:http edge (resolve-edge.ts), `GET /resolve/policy`,
 * `GET /resolve/changes` and `POST /resolve/events` all go through it. No database work on a cache hit, no
 * promise either (the caches answer synchronously when they can), no regular expression over input, no scan
 * over the tenant's origins (the compiled policy's lookup tables do the matching).
 */
@Injectable()
export class ResolveService {
  private readonly decisions = new Map<string, HotCounter>();
  /** Answers by decision object: exact matches and refusals are prebuilt by the compiled policy, so a hit reuses its bytes. */
  private readonly answers = new WeakMap<Decision, ResolveAnswer>();
  /**
   * The last answer of each shaped query (see `resolve`). Weak: the edge's QueryMemo holds the shaped queries
   * (at most MEMO_MAX_QUERIES), so this holds at most one answer for each of them.
   */
  private readonly remembered = new WeakMap<ShapedQuery, RememberedAnswer>();
  readonly cacheTtlSeconds: number;
  /** Which proxies' X-Forwarded-For to believe (TRUST_PROXY), for the node:http routes' client address. */
  readonly proxyTrust: ProxyTrust;

  constructor(
    private readonly keys: KeyCacheService,
    private readonly policies: PolicyCacheService,
    private readonly blocked: BlockedLogService,
    private readonly metrics: MetricsService,
    @Inject(ENV) env: Env,
  ) {
    this.cacheTtlSeconds = env.RESOLVE_CACHE_TTL_SECONDS;
    this.proxyTrust = proxyTrust(env.TRUST_PROXY);
  }

  /**
   * `GET /resolve`: the answer for one query (shaped by shapeQuery). Synchronous on a cache hit; a lookup the caches cannot serve
   * while PostgreSQL is unreachable gives 503 + Retry-After (cached keys and tenants keep their answers: see
   * StaleIfErrorCache).
   *
   * Gateways ask the same query with the same key again and again, so an answer that has no effect but to be
   * counted is remembered with the shaped query (the same object for the same query text: the edge's
   * QueryMemo) and given again without the lookups and `decide`, while it is still true: same Authorization,
   * no change in the key and policy caches since (their `changes`), and not past the moment the cached key,
   * policy or slug it came from would have been reloaded. A remembered answer is counted like one worked
   * out (cache hits, decision, duration).
   */
  resolve(
    authorization: string | undefined,
    shaped: ShapedQuery,
    client: ClientOf | string = '',
  ): ResolveOutcome | Promise<ResolveOutcome> {
    if (shaped.status !== undefined) {
      // The key is checked first: an unauthenticated caller learns nothing about the query rules.
      const key = this.keyOrPromise(authorization, client);
      if (key === null) return invalidKey();
      return key instanceof Promise
        ? unlessUnavailable(async () => ((await key) === null ? invalidKey() : shaped))
        : shaped;
    }
    const t0 = performance.now();
    const known = this.remembered.get(shaped);
    if (
      known !== undefined &&
      known.authorization === authorization &&
      known.cacheChanges === this.keys.changes + this.policies.changes &&
      t0 < known.freshUntil
    ) {
      this.keys.countHit();
      this.policies.countHits(known.viaSlug);
      known.decisionCounter.inc();
      this.metrics.resolveDuration.observe((performance.now() - t0) / 1000);
      return known.answer;
    }
    const out = this.resolveRequest(authorization, shaped.tenant, shaped.request, client, t0);
    if (out instanceof Promise) return out.then((o) => this.outcomeOf(o));
    const outcome = this.outcomeOf(out);
    if (out.status === undefined)
      this.remember(shaped, authorization, out, outcome as ResolveAnswer, t0);
    return outcome;
  }

  /**
   * Remembers the answer of a decision made from the caches alone (see `resolve`) when giving it again has no
   * effect to repeat: an allowed origin (a refusal or a report-only pass is logged each time), no candidate
   * (each request is shadow-evaluated and counted) and no expiring entry in the policy (the answer depends on
   * the clock).
   */
  private remember(
    shaped: DecidableQuery,
    authorization: string | undefined,
    out: DecidedRequest,
    answer: ResolveAnswer,
    now: number,
  ) {
    const { entry, decision } = out;
    if (!decision.allowed || decision.reportOnly === true || out.shadow !== undefined) return;
    if (entry.compiled === undefined || entry.compiled.hasExpiringEntries) return;
    const secret = bearerSecret(authorization);
    if (authorization === undefined || secret === null) return;
    const key = this.keys.cached(secret, false);
    if (key === null || key === undefined) return;
    const viaSlug = key.tenantId === null;
    const freshForMs = Math.min(
      this.keys.freshForMs(secret),
      this.policies.freshForMs(entry.tenantId, viaSlug ? shaped.tenant : undefined),
    );
    if (freshForMs <= 0) return;
    this.remembered.set(shaped, {
      authorization,
      answer,
      cacheChanges: this.keys.changes + this.policies.changes,
      freshUntil: now + freshForMs,
      viaSlug,
      decisionCounter: this.decisionCounter(decision),
    });
  }

  private outcomeOf(out: ResolveFailure | DecidedRequest): ResolveOutcome {
    if (out.status !== undefined) return out;
    return this.answerOf(out.entry, out.decision, out.shadow);
  }

  /**
   * The `/resolve` answer of a decision: built and serialised once per decision object, policy entry and
   * shadow verdict (the compiled policy prebuilds the decisions of exact matches and refusals, shadow.ts its
   * verdicts; others are built per call). While a candidate makes one decision answer with alternating
   * verdicts, the last one is kept.
   */
  answerOf(entry: PolicyEntry, decision: Decision, shadow?: ShadowVerdict): ResolveAnswer {
    const known = this.answers.get(decision);
    if (known !== undefined && known.entry === entry && known.shadow === shadow) return known;
    const body = toResolveResponse(decision, {
      tenant: entry.slug,
      mode: entry.mode,
      policyVersion: entry.version,
      cacheTtlSeconds: this.cacheTtlSeconds,
    });
    // SPEC §3 shadow evaluation: the candidate's verdict rides along; the answer is the live one.
    if (shadow !== undefined) body.shadow = shadow;
    const json = JSON.stringify(body);
    const answer: ResolveAnswer = {
      status: 200,
      body,
      json,
      length: String(Buffer.byteLength(json)),
      etag: etagOf(entry.version, decision, shadow),
      entry,
      shadow,
    };
    this.answers.set(decision, answer);
    return answer;
  }

  /**
   * The decision for a request given as the browser sent it (method + headers), for `/resolve/headers` and
   * (shaped by requestOfQuery) `GET /resolve`: key, tenant rule, caches, engine, blocked log and metrics. 503
   * when PostgreSQL is unreachable and the key or tenant is not cached. Synchronous on a cache hit. `t0`:
   * when the request's timing started (the duration metric), if the caller already read the clock.
   */
  resolveRequest(
    authorization: string | undefined,
    tenant: string | undefined,
    request: CorsRequest,
    client: ClientOf | string = '',
    t0 = performance.now(),
  ): ResolveFailure | DecidedRequest | Promise<ResolveFailure | DecidedRequest> {
    const key = this.keyOrPromise(authorization, client);
    if (key === null) return invalidKey();
    if (!(key instanceof Promise)) {
      const tenantId = this.cachedTenantOf(key, tenant);
      if (typeof tenantId === 'string') {
        const entry = this.policies.cachedPolicy(tenantId);
        if (entry === null) return fail(404, 'The tenant no longer exists');
        if (entry !== undefined) return this.decideWith(tenantId, entry, request, t0);
      } else if (tenantId !== undefined) return tenantId;
    }
    return unlessUnavailable(async () => {
      const k = await key;
      if (k === null) return invalidKey();
      const tenantId = await this.tenantOf(k, tenant);
      if (typeof tenantId !== 'string') return tenantId;
      const entry = await this.policies.policy(tenantId);
      if (entry === undefined) return fail(404, 'The tenant no longer exists');
      return this.decideWith(tenantId, entry, request, t0);
    });
  }

  /**
   * The decision core: compiled policy → `decide` → shadow evaluation against the candidate, when the
   * tenant has one (same cache entry, no I/O) → blocked and shadow logs → metrics. One function, so that
   * whatever else a decision carries is added in one place.
   */
  private decideWith(
    tenantId: string,
    entry: PolicyEntry,
    request: CorsRequest,
    t0: number,
  ): DecidedRequest {
    const compiled = this.policies.compiledOf(entry);
    const decision = decide(compiled, request);
    // A request without Origin (possible on /resolve/headers only) is not a CORS request: nothing to log.
    const origin = request.headers.origin;
    const originText =
      origin === undefined ? undefined : typeof origin === 'string' ? origin : origin.join(', ');
    if ((!decision.allowed || decision.reportOnly === true) && originText !== undefined) {
      this.blocked.record(
        tenantId,
        originText,
        decision.reason,
        Date.now(),
        // Only method and header refusals name something; the rest skip the work.
        refusedName(compiled, request, decision),
      );
    }
    const candidate = this.policies.candidateOf(entry);
    let shadow: ShadowVerdict | undefined;
    if (candidate !== undefined) {
      const outcome = evaluateShadow(candidate, request, decision);
      shadow = outcome.verdict;
      if (outcome.key !== null && originText !== undefined)
        this.blocked.recordShadowKey(tenantId, originText, outcome.key);
    }
    this.countDecision(decision);
    this.metrics.resolveDuration.observe((performance.now() - t0) / 1000);
    return shadow === undefined
      ? { status: undefined, entry, decision }
      : { status: undefined, entry, decision, shadow };
  }

  /**
   * The key behind `Authorization: Bearer …`: the key or null (missing, malformed, known unknown) when the
   * cache knows, else the lookup's promise. `client` (the caller's address) is what the unknown-key throttle
   * counts, computed only when a lookup is needed.
   */
  private keyOrPromise(
    authorization: string | undefined,
    client: ClientOf | string | null,
  ): ResolveKey | null | Promise<ResolveKey | null> {
    const secret = bearerSecret(authorization);
    if (secret === null) return null;
    const known = this.keys.cached(secret);
    return known !== undefined ? known : this.keys.verify(secret, client);
  }

  private async keyOf(
    authorization: string | undefined,
    client: ClientOf | string | null,
  ): Promise<ResolveKey | null> {
    return this.keyOrPromise(authorization, client);
  }

  /**
   * `GET /resolve/policy`: the tenant's cached policy entry under the key and tenant rule of `GET /resolve`
   * (401, then `tenantOf`: 400/403/404), 404 when the tenant is gone, 503 when PostgreSQL is unreachable and the
   * key or tenant is not cached.
   */
  policyOf(
    authorization: string | undefined,
    client: string,
    tenant: string | undefined,
  ): Promise<ResolveFailure | PolicyEntry> {
    return unlessUnavailable(async () => {
      const key = await this.keyOf(authorization, client);
      if (key === null) return invalidKey();
      const tenantId = await this.tenantOf(key, tenant);
      if (typeof tenantId !== 'string') return tenantId;
      return (await this.policies.policy(tenantId)) ?? fail(404, 'The tenant no longer exists');
    });
  }

  /** The key behind the header, or its 401/503 (the event stream names its tenants itself). */
  authenticate(
    authorization: string | undefined,
    client: string | null,
  ): Promise<ResolveFailure | ResolveKey> {
    return unlessUnavailable(async () => (await this.keyOf(authorization, client)) ?? invalidKey());
  }

  /** `tenantOf` for a key already authenticated, with 503 when PostgreSQL is unreachable. */
  tenantFor(key: ResolveKey, tenant: string | undefined): Promise<string | ResolveFailure> {
    return unlessUnavailable(() => this.tenantOf(key, tenant));
  }

  /**
   * The tenant rule, from the caches only: the tenant id, its failure, or undefined when a platform key's
   * slug must be looked up (`tenantOf`).
   */
  private cachedTenantOf(
    key: ResolveKey,
    tenant: string | undefined,
  ): string | ResolveFailure | undefined {
    if (key.tenantId !== null) {
      if (tenant !== undefined && tenant !== key.tenantSlug)
        return fail(403, 'This key belongs to another tenant');
      return key.tenantId;
    }
    if (tenant === undefined) return fail(400, 'A platform key needs the tenant query parameter');
    if (!isSlug(tenant)) return fail(400, 'tenant is not a valid tenant slug');
    const id = this.policies.cachedTenantId(tenant);
    return id === null ? fail(404, `Tenant "${tenant}" not found`) : id;
  }

  /** A tenant key resolves for its own tenant only; a platform key names one with `tenant=`. */
  private async tenantOf(
    key: ResolveKey,
    tenant: string | undefined,
  ): Promise<string | ResolveFailure> {
    const known = this.cachedTenantOf(key, tenant);
    if (known !== undefined) return known;
    const id = await this.policies.tenantId(tenant as string);
    return id ?? fail(404, `Tenant "${tenant}" not found`);
  }

  private countDecision(d: Decision): void {
    this.decisionCounter(d).inc();
  }

  private decisionCounter(d: Decision): HotCounter {
    const k = d.allowed ? d.reason : `!${d.reason}`;
    let c = this.decisions.get(k);
    if (c === undefined) {
      c = this.metrics.hotCounter(
        this.metrics.resolveDecisions.labels(d.reason, String(d.allowed)),
      );
      this.decisions.set(k, c);
    }
    return c;
  }
}
