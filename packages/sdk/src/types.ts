import type { ResolveResponse } from '@corsplane/contracts';

/** Why the service allowed or refused a request (SPEC §4 `reason`), plus the SDK's own `service-unavailable`. */
export type ResolveReason = ResolveResponse['reason'] | 'service-unavailable';

/**
 * The body of `GET /resolve` (SPEC §4): the decision and exactly the headers to add. Answers the
 * SDK makes itself (no Origin, service unavailable) carry no tenant, mode, version or TTL.
 */
export type CorsDecision = Omit<
  ResolveResponse,
  'reason' | 'tenant' | 'mode' | 'policyVersion' | 'cacheTtlSeconds'
> &
  Partial<Pick<ResolveResponse, 'tenant' | 'mode' | 'policyVersion' | 'cacheTtlSeconds'>> & {
    reason: ResolveReason;
  };

/** The parts of an incoming request the resolver reads: method and lower-case headers. */
export interface IncomingCorsRequest {
  method?: string | undefined;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

export interface CorsResolverOptions {
  /** Base URL of the corsplane service, e.g. `http://corsplane:3000`. */
  serviceUrl: string;
  /** A tenant key (or a platform key together with `tenant`). */
  apiKey: string;
  /** Tenant slug; needed only with a platform key. */
  tenant?: string;
  cache?: {
    /** Most decisions kept (allowed ones). Default 10,000. */
    max?: number;
    /** Lifetime when the service gives none, in ms. Default 30,000. */
    ttlMs?: number;
    /** Most refused decisions kept, apart from allowed ones so a flood cannot evict them. Default 1,000. */
    maxRefused?: number;
  };
  /** How long an expired decision may still be served while the service is unreachable. Default 300,000 ms. */
  staleIfErrorMs?: number;
  /** What to do with nothing cached and no service: refuse (default, fail closed) or allow (fail open). */
  onUnavailable?: 'deny' | 'allow';
  /** Timeout of one call to the service. Default 2,000 ms. */
  timeoutMs?: number;
  /** How often blocked-decision counts are sent to `POST /resolve/events`. Default 5,000 ms. */
  eventsFlushIntervalMs?: number;
  /** Most distinct (origin, reason) pairs held between flushes; extra ones are counted as overflow. Default 10,000. */
  eventsMaxKeys?: number;
  /** Called when the service cannot be reached; defaults to a console warning at most once a minute. */
  onError?: (error: Error) => void;
  /** The fetch implementation, for environments without a global one. */
  fetch?: typeof fetch;
}
