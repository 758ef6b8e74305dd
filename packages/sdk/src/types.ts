/** Why the service allowed or refused a request (SPEC §4 `reason`), plus the SDK's own `service-unavailable`. */
export type ResolveReason =
  | 'exact-match'
  | 'wildcard-match'
  | 'any-origin'
  | 'no-origin'
  | 'malformed-origin'
  | 'origin-not-allowed'
  | 'method-not-allowed'
  | 'header-not-allowed'
  | 'private-network-not-allowed'
  | 'expired'
  | 'service-unavailable';

/** The body of `GET /resolve` (SPEC §4): the decision and exactly the headers to add. */
export interface CorsDecision {
  allowed: boolean;
  reason: ResolveReason;
  matchedPattern: string | null;
  tenant?: string;
  mode?: 'enforce' | 'report-only';
  policyVersion?: number;
  preflight: boolean;
  /** Status of a preflight response. */
  status?: number;
  /** Lower-case header names and their values, to add to the response as they are. */
  headers: Record<string, string>;
  /** How long the service says this answer may be reused. */
  cacheTtlSeconds?: number;
  /** True when the policy is report-only and would have refused. */
  reportOnly?: boolean;
}

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
