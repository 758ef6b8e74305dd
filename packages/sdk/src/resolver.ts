// The SDK's resolver (SPEC §5): holds each tenant's effective policy, compiled by
// @corsplane/policy, and decides every request locally with the engine `/resolve` uses. The
// service pushes changes over `GET /resolve/changes`; a policy is fetched once per tenant and
// revalidated by ETag, so a request (from any origin, seen or not) costs no network call.
import { toResolveResponse } from '@corsplane/contracts';
import {
  compilePolicy,
  decide,
  emptyPolicy,
  shadowDirection,
  type CompiledPolicy,
  type Decision,
  type PolicyMode,
} from '@corsplane/policy';
import { LRUCache } from 'lru-cache';
import { BlockedEventBatcher, type BlockedEventReason } from './blocked-events.js';
import { ChangeStream } from './change-stream.js';
import { ServiceRefusal, serviceClient } from './service-client.js';
import type { CorsDecision, CorsResolverOptions, IncomingCorsRequest } from './types.js';

/** A `cors`/`@fastify/cors` `origin` option: callback form, or a Promise when no callback is given. */
export interface OriginOption {
  (
    origin: string | undefined,
    callback: (error: Error | null, allow?: boolean | string) => void,
  ): void;
  (origin: string | undefined): Promise<boolean | string>;
}

export interface ResolverStats {
  /** Decisions made (every request with or without Origin). */
  decisions: number;
  /** Decisions answered at once from a held policy. */
  hits: number;
  /** Decisions that waited for a policy fetch. */
  misses: number;
  /** Calls made to answer decisions: `GET /resolve/policy` (200, 304 or failed). */
  serviceCalls: number;
  /** The same calls, by their name in the SPEC. */
  policyFetches: number;
  serviceErrors: number;
  /** Change streams opened, and reopened after one was lost. */
  streamConnects: number;
  streamReconnects: number;
  streamConnected: boolean;
  /** Decisions made with a held policy that no open stream has confirmed since it was lost. */
  staleServed: number;
  /** Decisions made without a policy, by `onUnavailable`. */
  unavailable: number;
  /** Tenants whose policy is held. */
  tenants: number;
  /** Milliseconds since the service last confirmed the oldest held policy (fetch or 304), or null. */
  oldestPolicyAgeMs: number | null;
  /** `POST /resolve/events` batches sent. */
  eventPosts: number;
}

export interface CorsResolver<Req extends IncomingCorsRequest = IncomingCorsRequest> {
  /** The decision for a request: local when the tenant's policy is held, else after one fetch. Never rejects. */
  resolve(request: Req): Promise<CorsDecision>;
  /** The decision when the tenant's policy is held (synchronous), else undefined. */
  lookup(request: Req): CorsDecision | undefined;
  /** Drop-in for the `origin` option of the `cors` and `@fastify/cors` packages (fixed tenant only). */
  readonly origin: OriginOption;
  /** Whether an origin may connect, for WebSocket handshakes (which CORS does not cover). */
  isAllowed(origin: string | undefined, request?: Req): Promise<boolean>;
  /** Revalidates every held policy by ETag now (the stream does this by itself after a reconnect). */
  refresh(): Promise<void>;
  /** Counts since creation. */
  stats(): ResolverStats;
  /** Sends pending refusal counts, closes the change stream and stops every timer. */
  close(): Promise<void>;
}

/** A tenant's policy as held: compiled once, decided many times. */
interface HeldPolicy {
  kind: 'policy';
  tenant: string;
  version: number;
  etag: string;
  mode: PolicyMode;
  compiled: CompiledPolicy;
  /**
   * The tenant's candidate policy under shadow evaluation (SPEC §3), compiled beside the live one: every
   * decision is also made with it and differences are counted; only the live answer is used.
   */
  candidate: CompiledPolicy | undefined;
  /** The candidate's version (0: none was ever saved): a `policy` event naming a newer one is refetched. */
  candidateVersion: number;
  /** When the service last confirmed this version (200 or 304). */
  confirmedAt: number;
  /** Response bodies of the engine's prebuilt (frozen) decisions, so a hit allocates nothing. */
  bodies: WeakMap<Decision, CorsDecision>;
}

/** The service refused the key or the tenant: every request of that scope is refused until `retryAt`. */
interface HeldRefusal {
  kind: 'refusal';
  reason: 'revoked' | 'unknown-tenant';
  retryAt: number;
}

type Held = HeldPolicy | HeldRefusal;

/** A refused tenant (unknown, deleted, invalid slug) is asked about again after this long. */
const REFUSAL_RETRY_MS = 60_000;
/** After a failed fetch, decisions that need the service answer by onUnavailable for this long. */
const UNAVAILABLE_RETRY_MS = 1_000;
/** How many held policies are revalidated at once after a reconnect. */
const REVALIDATE_CONCURRENCY = 8;
/** The held-policy key of a tenant key's own tenant (its slug is learned from the first answer). */
const OWN_TENANT = '';

/** Creates a resolver backed by the corsplane service. */
export function createCorsResolver<Req extends IncomingCorsRequest = IncomingCorsRequest>(
  options: CorsResolverOptions<Req>,
): CorsResolver<Req> {
  const staleIfErrorMs = options.staleIfErrorMs ?? 300_000;
  const failOpen = options.onUnavailable === 'allow';
  const onError = options.onError ?? rateLimitedWarning();
  const tenantOption = options.tenant;
  const client = serviceClient({
    serviceUrl: options.serviceUrl,
    apiKey: options.apiKey,
    timeoutMs: options.timeoutMs ?? 2_000,
    fetch: options.fetch ?? globalThis.fetch,
  });
  const stats = {
    decisions: 0,
    hits: 0,
    misses: 0,
    policyFetches: 0,
    serviceErrors: 0,
    streamConnects: 0,
    streamReconnects: 0,
    staleServed: 0,
    unavailable: 0,
    eventPosts: 0,
  };

  let keyRevoked = false;
  let streamConnected = false;
  /** When the last stream was lost (held policies are then trusted for staleIfErrorMs more). */
  let streamLostAt = Date.now();
  /** Counts stream openings: a fetch begun under an older one is revalidated once it lands. */
  let streamGeneration = 0;
  /** Until then, a decision that needs the service does not ask it (it just failed). */
  let serviceDownUntil = 0;

  /** Batches of refusal counts, one per tenant (a tenant key's batch names no tenant). */
  const batchers = new Map<string, BlockedEventBatcher>();
  const batcherFor = (key: string, tenant: string | undefined): BlockedEventBatcher => {
    let batcher = batchers.get(key);
    if (batcher === undefined) {
      batcher = new BlockedEventBatcher({
        send: (body) => {
          stats.eventPosts++;
          return client.postEvents(body);
        },
        intervalMs: options.eventsFlushIntervalMs ?? 5_000,
        maxKeys: options.eventsMaxKeys ?? 10_000,
        tenant,
        onError,
        retryable: (error) => !(error instanceof ServiceRefusal),
      });
      batchers.set(key, batcher);
    }
    return batcher;
  };

  const policies = new LRUCache<string, Held>({
    max: options.maxTenants ?? 1_000,
    // A failed revalidation keeps the held policy: whether it may still serve is decided per request.
    noDeleteOnFetchRejection: true,
    fetchMethod: async (key, stale) => {
      stats.policyFetches++;
      const generation = streamGeneration;
      const etag = stale?.kind === 'policy' ? stale.etag : undefined;
      try {
        const answer = await client.policy(key === OWN_TENANT ? undefined : key, etag);
        serviceDownUntil = 0;
        if (answer.status === 'unchanged' && stale?.kind === 'policy') {
          stale.confirmedAt = Date.now();
          return stale;
        }
        if (answer.status === 'unchanged')
          throw new Error('corsplane answered 304 to a first fetch');
        const { body } = answer;
        // Asked before the current stream opened: a change may have landed unannounced in between.
        if (generation !== streamGeneration) queueMicrotask(() => revalidate(key));
        return held(body.tenant, body.version, answer.etag, body.policy, {
          document: body.candidate ?? null,
          version: body.candidateVersion ?? 0,
        });
      } catch (error) {
        if (error instanceof ServiceRefusal) {
          return {
            kind: 'refusal',
            reason: error.status === 404 || error.status === 400 ? 'unknown-tenant' : 'revoked',
            retryAt: Date.now() + REFUSAL_RETRY_MS,
          };
        }
        serviceDownUntil = Date.now() + UNAVAILABLE_RETRY_MS;
        throw error;
      }
    },
  });

  function held(
    tenant: string,
    version: number,
    etag: string,
    document: object,
    candidate: { document: object | null; version: number } = { document: null, version: 0 },
  ): HeldPolicy {
    let compiled: CompiledPolicy;
    try {
      compiled = compilePolicy(document);
    } catch (error) {
      // The service serves only policies it validated; if this engine refuses one, fail closed and say so.
      onError(error as Error);
      compiled = FAIL_CLOSED;
    }
    let compiledCandidate: CompiledPolicy | undefined;
    if (candidate.document !== null) {
      try {
        compiledCandidate = compilePolicy(candidate.document);
      } catch (error) {
        // No shadow answer rather than a made-up one; the live policy decides as ever.
        onError(error as Error);
      }
    }
    return {
      kind: 'policy',
      tenant,
      version,
      etag,
      mode: (document as { mode?: PolicyMode }).mode ?? 'enforce',
      compiled,
      candidate: compiledCandidate,
      candidateVersion: candidate.version,
      confirmedAt: Date.now(),
      bodies: new WeakMap(),
    };
  }

  /** The held-policy key for a request, or null when it names no tenant (refused). */
  function keyOf(request: Req): string | null {
    if (tenantOption === undefined) return OWN_TENANT;
    if (typeof tenantOption === 'string') return tenantOption;
    let tenant: string | undefined;
    try {
      tenant = tenantOption(request);
    } catch (error) {
      // The user's function failed on this request: refuse it (resolve never rejects), and say why.
      onError(error as Error);
      return null;
    }
    return typeof tenant === 'string' && isSlug(tenant) ? tenant : null;
  }

  /** A held policy may decide while the stream is open, and for staleIfErrorMs after it was last confirmed. */
  function usable(policy: HeldPolicy, now: number): boolean {
    return streamConnected || now < Math.max(policy.confirmedAt, streamLostAt) + staleIfErrorMs;
  }

  function decideWith(policy: HeldPolicy, key: string, request: Req): CorsDecision {
    stats.decisions++;
    // Stale: no stream since this version was last confirmed, so a change may have been missed.
    if (!streamConnected && policy.confirmedAt <= streamLostAt) stats.staleServed++;
    // Expiry is evaluated here, at decision time (decide reads the clock).
    // SPEC §2.1: the request's own path picks the route (decide ignores the query string).
    const path = request.originalUrl ?? request.url;
    const corsRequest = {
      method: request.method ?? 'GET',
      headers: request.headers,
      ...(path === undefined ? {} : { path }),
    };
    const decision = decide(policy.compiled, corsRequest);
    const origin = request.headers.origin;
    if ((!decision.allowed || decision.reportOnly === true) && origin !== undefined) {
      batcherFor(key, key === OWN_TENANT ? undefined : policy.tenant).record(
        typeof origin === 'string' ? origin : origin.join(', '),
        decision.reason as BlockedEventReason,
      );
    }
    // Shadow evaluation (SPEC §3): the same request against the candidate, counted where they differ and
    // reported with the refusal batches; the answer stays the live one.
    if (policy.candidate !== undefined && origin !== undefined) {
      const shadow = decide(policy.candidate, corsRequest);
      const direction = shadowDirection(decision, shadow);
      if (direction !== null) {
        batcherFor(key, key === OWN_TENANT ? undefined : policy.tenant).recordShadow(
          typeof origin === 'string' ? origin : origin.join(', '),
          direction,
          shadow.reason,
        );
      }
    }
    let body = policy.bodies.get(decision);
    if (body === undefined) {
      body = bodyOf(decision, policy);
      if (Object.isFrozen(decision)) policy.bodies.set(decision, body);
    }
    return body;
  }

  function lookup(request: Req): CorsDecision | undefined {
    if (keyRevoked) return refusal(request, 'revoked');
    const key = keyOf(request);
    if (key === null) return refusal(request, 'unknown-tenant');
    const entry = policies.get(key);
    const now = Date.now();
    if (entry?.kind === 'refusal') {
      return now < entry.retryAt ? refusal(request, entry.reason) : undefined;
    }
    if (entry !== undefined && usable(entry, now)) {
      stats.hits++;
      return decideWith(entry, key, request);
    }
    // Not a CORS request, and no policy to say more: never make it wait for the service.
    if (request.headers.origin === undefined) return NO_ORIGIN;
    if (now < serviceDownUntil) return unavailable(request);
    return undefined;
  }

  async function resolve(request: Req): Promise<CorsDecision> {
    const hit = lookup(request);
    if (hit !== undefined) return hit;
    const key = keyOf(request) as string;
    stats.misses++;
    try {
      const entry = await policies.fetch(key, { forceRefresh: policies.has(key) });
      if (entry?.kind === 'refusal') return refusal(request, entry.reason);
      if (entry !== undefined && usable(entry, Date.now())) return decideWith(entry, key, request);
    } catch (error) {
      stats.serviceErrors++;
      onError(error as Error);
      const stale = policies.get(key);
      if (stale?.kind === 'policy' && usable(stale, Date.now()))
        return decideWith(stale, key, request);
    }
    // A revocation that arrived meanwhile (it aborts fetches in flight) refuses; anything else is an outage.
    return keyRevoked ? refusal(request, 'revoked') : unavailable(request);
  }

  function refusal(request: Req, reason: 'revoked' | 'unknown-tenant'): CorsDecision {
    stats.decisions++;
    return {
      ...decide(FAIL_CLOSED, { method: request.method ?? 'GET', headers: request.headers }),
      reason,
    };
  }

  function unavailable(request: Req): CorsDecision {
    stats.decisions++;
    stats.unavailable++;
    const { reportOnly: _reportOnly, ...decision } = decide(failOpen ? FAIL_OPEN : FAIL_CLOSED, {
      method: request.method ?? 'GET',
      headers: request.headers,
    });
    // No policy of the tenant's was consulted: nothing matched any of its lists.
    return { ...decision, reason: 'service-unavailable', matchedSource: null };
  }

  /** Revalidates one held policy by ETag (a 304 when nothing changed). */
  function revalidate(key: string): Promise<unknown> {
    return policies.fetch(key, { forceRefresh: true }).catch((error: unknown) => {
      stats.serviceErrors++;
      onError(error as Error);
    });
  }

  /** Revalidates every held policy by ETag, a few at a time. */
  async function refresh(): Promise<void> {
    const keys = [...policies.keys()];
    const next = async (): Promise<void> => {
      for (let key = keys.pop(); key !== undefined; key = keys.pop()) await revalidate(key);
    };
    await Promise.all(Array.from({ length: REVALIDATE_CONCURRENCY }, next));
  }

  function onPolicyEvent(data: string): void {
    let event: {
      tenant?: unknown;
      version?: unknown;
      candidateVersion?: unknown;
      policy?: unknown;
    };
    try {
      event = JSON.parse(data) as typeof event;
    } catch {
      return;
    }
    if (typeof event.tenant !== 'string' || typeof event.version !== 'number') return;
    const key = typeof tenantOption === 'undefined' ? OWN_TENANT : event.tenant;
    const current = policies.peek(key);
    // Only tenants in use are followed; the next request fetches any other.
    if (current === undefined) return;
    // A candidate change (SPEC §3) keeps `version` and moves `candidateVersion`: either newer means refetch.
    const candidateVersion =
      typeof event.candidateVersion === 'number' ? event.candidateVersion : 0;
    if (
      current.kind === 'policy' &&
      (current.version > event.version ||
        (current.version === event.version && current.candidateVersion >= candidateVersion))
    )
      return;
    if (typeof event.policy === 'object' && event.policy !== null && candidateVersion === 0) {
      policies.set(key, held(event.tenant, event.version, `"${event.version}"`, event.policy));
      return;
    }
    void revalidate(key);
  }

  function onRevokedEvent(data: string): void {
    let event: { tenant?: unknown } = {};
    try {
      event = JSON.parse(data) as typeof event;
    } catch {
      // an unreadable revocation still revokes the whole key: fail closed
    }
    if (typeof event.tenant === 'string' && tenantOption !== undefined) {
      policies.set(event.tenant, {
        kind: 'refusal',
        reason: 'unknown-tenant',
        retryAt: Date.now() + REFUSAL_RETRY_MS,
      });
      return;
    }
    keyRevoked = true;
    policies.clear();
    stream.stop();
  }

  const stream = new ChangeStream({
    client,
    tenant: typeof tenantOption === 'string' ? tenantOption : undefined,
    ...(options.stream ?? {}),
    handlers: {
      onOpen() {
        streamConnected = true;
        streamGeneration++;
        if (stats.streamConnects++ > 0) stats.streamReconnects++;
        // Whatever changed before the stream was open is caught up by ETag (304s when nothing did).
        void refresh();
      },
      onLost(error) {
        if (streamConnected) streamLostAt = Date.now();
        streamConnected = false;
        if (error instanceof ServiceRefusal && error.status === 401) {
          keyRevoked = true;
          policies.clear();
        }
        onError(error);
      },
      onEvent(event, data) {
        if (event === 'policy') onPolicyEvent(data);
        else if (event === 'revoked') onRevokedEvent(data);
      },
    },
  });
  stream.start();

  const origin = ((
    value: string | undefined,
    callback?: (error: Error | null, allow?: boolean | string) => void,
  ) => {
    const answer =
      typeof tenantOption === 'function'
        ? Promise.reject(
            new Error(
              'resolver.origin needs a fixed tenant: with a tenant function use the adapters',
            ),
          )
        : resolve({
            method: 'GET',
            headers: value === undefined ? {} : { origin: value },
          } as Req).then((decision) => {
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
    async isAllowed(value, request) {
      if (value === undefined) return false;
      // Inherit from the request rather than copy it: a tenant function may read getters on its prototype
      // (Express's `req.hostname`), which a spread would drop.
      const handshake = Object.assign(Object.create(request ?? null) as Req, {
        method: 'GET',
        headers: { ...request?.headers, origin: value },
      });
      return (await resolve(handshake)).allowed;
    },
    refresh,
    stats() {
      const now = Date.now();
      let oldest: number | null = null;
      for (const entry of policies.values()) {
        if (entry.kind === 'policy' && (oldest === null || entry.confirmedAt < oldest))
          oldest = entry.confirmedAt;
      }
      return {
        ...stats,
        serviceCalls: stats.policyFetches,
        streamConnected,
        tenants: policies.size,
        oldestPolicyAgeMs: oldest === null ? null : now - oldest,
      };
    },
    async close() {
      stream.stop();
      await Promise.all([...batchers.values()].map((batcher) => batcher.close()));
    },
  };
}

/** The SPEC §4 body for a local decision (the same as `/resolve`'s, without the gateway cache TTL). */
function bodyOf(decision: Decision, policy: HeldPolicy): CorsDecision {
  const { cacheTtlSeconds: _ttl, ...body } = toResolveResponse(decision, {
    tenant: policy.tenant,
    mode: policy.mode,
    policyVersion: policy.version,
    cacheTtlSeconds: 0,
  });
  return body;
}

const NO_ORIGIN: CorsDecision = Object.freeze({
  allowed: true,
  reason: 'no-origin',
  matchedPattern: null,
  matchedSource: null,
  preflight: false,
  // The answer for a cross-origin request would differ, so caches must key on Origin.
  headers: Object.freeze({ vary: 'Origin' }) as Record<string, string>,
});

// With no policy and no service, the engine answers as for an empty policy: refusing everything
// (fail closed), or, in report-only mode, allowing well-formed requests without credentials while
// still refusing malformed values (fail open, when configured).
const FAIL_CLOSED = compilePolicy(emptyPolicy());
const FAIL_OPEN = compilePolicy({ ...emptyPolicy(), mode: 'report-only' });

/** Slug syntax (SPEC tenants): a tenant function's answer is checked before it reaches the service. */
function isSlug(s: string): boolean {
  if (s.length === 0 || s.length > 63 || s[0] === '-' || s[s.length - 1] === '-') return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45)) return false;
  }
  return true;
}

function rateLimitedWarning(): (error: Error) => void {
  let last = 0;
  return (error) => {
    const now = Date.now();
    if (now - last < 60_000) return;
    last = now;
    console.warn(`[corsplane] ${error.message}`);
  };
}
