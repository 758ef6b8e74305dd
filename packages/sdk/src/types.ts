import type { ResolveResponse } from '@corsplane/contracts';

/**
 * Why a request was allowed or refused: the engine's reasons (SPEC §4 `reason`), plus the SDK's own:
 * `service-unavailable` (no policy held and the service unreachable: `onUnavailable` decided),
 * `revoked` (the service refused the key, or revoked it on the change stream) and `unknown-tenant`
 * (the tenant does not exist, was deleted, or the tenant function named none).
 */
export type ResolveReason =
  ResolveResponse['reason'] | 'service-unavailable' | 'revoked' | 'unknown-tenant';

/**
 * A decision in the body of `GET /resolve` (SPEC §4): exactly the headers to add. Decisions made with a
 * tenant's policy carry its tenant, mode and version; those the SDK makes without one do not.
 */
export type CorsDecision = Omit<
  ResolveResponse,
  'reason' | 'tenant' | 'mode' | 'policyVersion' | 'cacheTtlSeconds' | 'route'
> &
  Partial<
    Pick<ResolveResponse, 'tenant' | 'mode' | 'policyVersion' | 'cacheTtlSeconds' | 'route'>
  > & {
    reason: ResolveReason;
  };

/**
 * The parts of an incoming request the resolver reads: method, lower-case headers and the request target
 * (its path picks the policy's route, SPEC §2.1; the query string is ignored). The adapters pass the
 * framework's own request object, so a tenant function can read anything else on it (`hostname`…).
 */
export interface IncomingCorsRequest {
  method?: string | undefined;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The request target as received (node:http, Fastify); below an Express mount point, its rest. */
  url?: string | undefined;
  /** Express: the whole request target, whatever router the middleware is mounted on. */
  originalUrl?: string | undefined;
}

export interface CorsResolverOptions<Req extends IncomingCorsRequest = IncomingCorsRequest> {
  /** Base URL of the corsplane service, e.g. `http://corsplane:3000`. */
  serviceUrl: string;
  /** A tenant key, or a platform key together with `tenant`. */
  apiKey: string;
  /**
   * With a platform key: the tenant's slug, or a function of the request giving it (e.g.
   * `(req) => req.hostname.split('.')[0]`), so one resolver serves every tenant. A function that
   * returns nothing or no valid slug, or throws, refuses the request (`unknown-tenant`).
   */
  tenant?: string | ((request: Req) => string | undefined);
  /** Most tenants whose policy is held (LRU). Default 1,000. */
  maxTenants?: number;
  /**
   * How long a held policy keeps deciding after the change stream was lost and the service cannot
   * confirm it. Default 300,000 ms.
   */
  staleIfErrorMs?: number;
  /** With no policy held and no service: refuse (default, fail closed) or allow without credentials. */
  onUnavailable?: 'deny' | 'allow';
  /** Timeout of one policy fetch or refusal batch. Default 2,000 ms. */
  timeoutMs?: number;
  /** Reconnection of the change stream: first delay (doubling, full jitter) and the longest. */
  stream?: {
    /** Default 250 ms. */
    minBackoffMs?: number;
    /** Default 30,000 ms. */
    maxBackoffMs?: number;
    /** A stream silent this long is reopened (the service sends a comment every 15 s). Default 45,000 ms. */
    idleTimeoutMs?: number;
  };
  /** How often refusal counts are sent to `POST /resolve/events`. Default 5,000 ms. */
  eventsFlushIntervalMs?: number;
  /** Most distinct (origin, reason) pairs held between flushes, per tenant; more count as overflow. Default 10,000. */
  eventsMaxKeys?: number;
  /** Called when the service cannot be reached or refuses the key; defaults to a console warning at most once a minute. */
  onError?: (error: Error) => void;
  /** The fetch implementation, for environments without a global one. */
  fetch?: typeof fetch;
}
