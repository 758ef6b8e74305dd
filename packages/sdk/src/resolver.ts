// The SDK's resolver: asks corsplane's `GET /resolve` and caches the answers (SPEC §5).
// A cache hit is a synchronous map lookup, so the middleware adds no network hop and no
// microtask to requests from origins it has seen; concurrent misses share one call.
import { compilePolicy, decide, emptyPolicy } from '@corsplane/policy';
import { LRUCache } from 'lru-cache';
import { BlockedEventBatcher } from './blocked-events.js';
import type { BlockedEventReason } from './blocked-events.js';
import type {
  CorsDecision,
  CorsResolverOptions,
  IncomingCorsRequest,
  ResolveReason,
} from './types.js';

interface CachedDecision {
  decision: CorsDecision;
  /** Until then the entry is served without asking the service (ms since the epoch). */
  freshUntil: number;
  /** Until then the entry may still be served while the service is unreachable. */
  staleUntil: number;
}

/** A `cors`/`@fastify/cors` `origin` option: callback form, or a Promise when no callback is given. */
export interface OriginOption {
  (
    origin: string | undefined,
    callback: (error: Error | null, allow?: boolean | string) => void,
  ): void;
  (origin: string | undefined): Promise<boolean | string>;
}

export interface ResolverStats {
  hits: number;
  misses: number;
  serviceCalls: number;
  serviceErrors: number;
  staleServed: number;
  unavailable: number;
}

export interface CorsResolver {
  /** The decision for a request, from the cache or the service; never rejects. */
  resolve(request: IncomingCorsRequest): Promise<CorsDecision>;
  /** The cached decision when a fresh one exists, else undefined. Synchronous; counts as a hit. */
  lookup(request: IncomingCorsRequest): CorsDecision | undefined;
  /** Drop-in for the `origin` option of the `cors` and `@fastify/cors` packages. */
  readonly origin: OriginOption;
  /** Whether an origin may connect, for WebSocket handshakes (which CORS does not cover). */
  isAllowed(origin: string | undefined): Promise<boolean>;
  /** Forgets the cached decisions for one origin, or all of them. */
  invalidate(origin?: string): void;
  /** Counts since creation. */
  stats(): ResolverStats;
  /** Sends pending blocked-decision counts and stops the flush timer. */
  close(): Promise<void>;
}

const NO_ORIGIN: CorsDecision = Object.freeze({
  allowed: true,
  reason: 'no-origin',
  matchedPattern: null,
  preflight: false,
  // The answer for a cross-origin request would differ, so caches must key on Origin.
  headers: Object.freeze({ vary: 'Origin' }) as Record<string, string>,
});

/** How long an answer made up while the service is down is kept before asking again. */
const UNAVAILABLE_RETRY_MS = 1_000;

/** Creates a resolver backed by the corsplane service. */
export function createCorsResolver(options: CorsResolverOptions): CorsResolver {
  const serviceUrl = options.serviceUrl.replace(/\/+$/, '');
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const defaultTtlMs = options.cache?.ttlMs ?? 30_000;
  const staleIfErrorMs = options.staleIfErrorMs ?? 300_000;
  const timeoutMs = options.timeoutMs ?? 2_000;
  const failOpen = options.onUnavailable === 'allow';
  const onError = options.onError ?? rateLimitedWarning();
  const authorization = `Bearer ${options.apiKey}`;

  // Refused answers live apart, so a flood of made-up origins cannot evict the allowed ones.
  const allowed = new LRUCache<string, CachedDecision>({ max: options.cache?.max ?? 10_000 });
  const refused = new LRUCache<string, CachedDecision>({ max: options.cache?.maxRefused ?? 1_000 });
  const inflight = new Map<string, Promise<CorsDecision>>();
  const stats: ResolverStats = {
    hits: 0,
    misses: 0,
    serviceCalls: 0,
    serviceErrors: 0,
    staleServed: 0,
    unavailable: 0,
  };
  const events = new BlockedEventBatcher({
    send: (body) => post('/resolve/events', body),
    intervalMs: options.eventsFlushIntervalMs ?? 5_000,
    maxKeys: options.eventsMaxKeys ?? 10_000,
    tenant: options.tenant,
    onError,
  });

  function lookup(request: IncomingCorsRequest): CorsDecision | undefined {
    const origin = request.headers.origin;
    if (origin === undefined) return NO_ORIGIN;
    const key = cacheKey(request, origin);
    const entry = allowed.get(key) ?? refused.get(key);
    if (entry === undefined || Date.now() >= entry.freshUntil) return undefined;
    stats.hits++;
    // The service counted this refusal when it answered; repeats served from here are ours to report.
    const blocked = blockedReason(entry.decision);
    if (blocked !== null) events.record(String(origin), blocked);
    return entry.decision;
  }

  function resolve(request: IncomingCorsRequest): Promise<CorsDecision> {
    const hit = lookup(request);
    if (hit !== undefined) return Promise.resolve(hit);
    const origin = request.headers.origin as string | string[];
    const key = cacheKey(request, origin);
    let pending = inflight.get(key);
    if (pending === undefined) {
      stats.misses++;
      pending = refresh(key, request, origin).finally(() => inflight.delete(key));
      inflight.set(key, pending);
    }
    return pending;
  }

  async function refresh(
    key: string,
    request: IncomingCorsRequest,
    origin: string | string[],
  ): Promise<CorsDecision> {
    const now = Date.now();
    try {
      const decision = await ask(request, origin);
      const ttlMs =
        decision.cacheTtlSeconds !== undefined ? decision.cacheTtlSeconds * 1000 : defaultTtlMs;
      const entry = { decision, freshUntil: now + ttlMs, staleUntil: now + ttlMs + staleIfErrorMs };
      (decision.allowed && !decision.reportOnly ? allowed : refused).set(key, entry);
      (decision.allowed && !decision.reportOnly ? refused : allowed).delete(key);
      return decision;
    } catch (error) {
      stats.serviceErrors++;
      onError(error as Error);
      const stale = allowed.get(key) ?? refused.get(key);
      if (stale !== undefined && now < stale.staleUntil) {
        stats.staleServed++;
        // Serve it a little longer, then try the service again.
        stale.freshUntil = Math.min(now + UNAVAILABLE_RETRY_MS, stale.staleUntil);
        return stale.decision;
      }
      stats.unavailable++;
      const decision = unavailableDecision(request, failOpen);
      refused.set(key, {
        decision,
        freshUntil: now + UNAVAILABLE_RETRY_MS,
        staleUntil: now + UNAVAILABLE_RETRY_MS,
      });
      return decision;
    }
  }

  async function ask(
    request: IncomingCorsRequest,
    origin: string | string[],
  ): Promise<CorsDecision> {
    const query = new URLSearchParams({
      origin: Array.isArray(origin) ? origin.join(', ') : origin,
    });
    const headers = request.headers;
    if (isPreflight(request)) {
      query.set('method', String(headers['access-control-request-method']));
      const requested = headers['access-control-request-headers'];
      if (requested !== undefined) query.set('headers', String(requested));
      if (headers['access-control-request-private-network'] === 'true')
        query.set('privateNetwork', 'true');
    }
    if (options.tenant !== undefined) query.set('tenant', options.tenant);
    stats.serviceCalls++;
    const response = await fetchImpl(`${serviceUrl}/resolve?${query}`, {
      headers: { authorization, accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status === 400) {
      // The service declined the request's own values: refuse it, as the engine would with
      // nothing allowed. This is not an outage, so no stale answer or fail-open fallback applies.
      await response.body?.cancel();
      return refusedByService(request);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`corsplane /resolve answered ${response.status}`);
    }
    const body = (await response.json()) as CorsDecision;
    if (
      typeof body?.allowed !== 'boolean' ||
      typeof body.headers !== 'object' ||
      body.headers === null
    ) {
      throw new Error('corsplane /resolve answered with an unexpected body');
    }
    return body;
  }

  async function post(path: string, body: unknown): Promise<void> {
    const response = await fetchImpl(`${serviceUrl}${path}`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`corsplane ${path} answered ${response.status}`);
  }

  const origin = ((
    value: string | undefined,
    callback?: (error: Error | null, allow?: boolean | string) => void,
  ) => {
    const answer = resolve({
      method: 'GET',
      headers: value === undefined ? {} : { origin: value },
    }).then((decision) => {
      if (!decision.allowed) return false;
      return decision.headers['access-control-allow-origin'] === '*' ? '*' : true;
    });
    if (callback === undefined) return answer;
    answer.then((allow) => callback(null, allow), callback);
    return undefined;
  }) as OriginOption;

  return {
    resolve,
    lookup,
    origin,
    isAllowed: async (value) =>
      value !== undefined && (await resolve({ method: 'GET', headers: { origin: value } })).allowed,
    invalidate(value?: string) {
      if (value === undefined) {
        allowed.clear();
        refused.clear();
        return;
      }
      for (const cache of [allowed, refused]) {
        for (const key of [...cache.keys()]) if (originOfKey(key) === value) cache.delete(key);
      }
    },
    stats: () => ({ ...stats }),
    close: () => events.close(),
  };
}

const MATCH_REASONS: ReadonlySet<ResolveReason> = new Set([
  'exact-match',
  'wildcard-match',
  'any-origin',
  'no-origin',
]);

/** The reason to report for a refusal (or a report-only would-be refusal); null for an allowed request. */
function blockedReason(decision: CorsDecision): BlockedEventReason | null {
  if (decision.allowed && !decision.reportOnly) return null;
  return MATCH_REASONS.has(decision.reason) ? null : (decision.reason as BlockedEventReason);
}

/** Fetch §3.2.2: a preflight is OPTIONS with Origin and Access-Control-Request-Method. */
function isPreflight(request: IncomingCorsRequest): boolean {
  return (
    request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined
  );
}

/** Actual requests are keyed by origin alone; preflights also by what they ask for. */
function cacheKey(request: IncomingCorsRequest, origin: string | string[]): string {
  const value = Array.isArray(origin) ? origin.join(', ') : origin;
  if (!isPreflight(request)) return `a\n${value}`;
  const headers = request.headers;
  return `p\n${value}\n${String(headers['access-control-request-method'])}\n${String(headers['access-control-request-headers'] ?? '')}\n${headers['access-control-request-private-network'] === 'true' ? 1 : 0}`;
}

function originOfKey(key: string): string {
  const end = key.indexOf('\n', 2);
  return key.slice(2, end < 0 ? undefined : end);
}

// With nothing cached and no service, the engine answers as for an empty policy: refusing
// everything (fail closed), or, in report-only mode, allowing well-formed requests without
// credentials while still refusing malformed values (fail open, when configured).
const FAIL_CLOSED = compilePolicy(emptyPolicy());
const FAIL_OPEN = compilePolicy({ ...emptyPolicy(), mode: 'report-only' });

function refusedByService(request: IncomingCorsRequest): CorsDecision {
  return decide(FAIL_CLOSED, { method: request.method ?? 'GET', headers: request.headers });
}

function unavailableDecision(request: IncomingCorsRequest, failOpen: boolean): CorsDecision {
  const { reportOnly: _reportOnly, ...decision } = decide(failOpen ? FAIL_OPEN : FAIL_CLOSED, {
    method: request.method ?? 'GET',
    headers: request.headers,
  });
  return { ...decision, reason: 'service-unavailable' };
}

function rateLimitedWarning(): (error: Error) => void {
  let last = 0;
  return (error) => {
    const now = Date.now();
    if (now - last < 60_000) return;
    last = now;
    console.warn(
      `[corsplane] service unreachable, serving cached or fallback decisions: ${error.message}`,
    );
  };
}
