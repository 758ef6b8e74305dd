/** How a policy treats a refused request: `enforce` refuses it, `report-only` logs it but allows it. */
export type PolicyMode = 'enforce' | 'report-only';

/** One allow-list entry as the user writes it. */
export interface OriginEntry {
  pattern: string;
  note?: string | null;
  /** ISO 8601 instant after which the entry no longer matches; null or absent: never expires. */
  expiresAt?: string | null;
  /**
   * Where an effective policy's entry comes from (SPEC §2.2): absent or `tenant` for the tenant's own,
   * `baseline` for the platform baseline. Tenants' documents never carry it.
   */
  source?: MatchedSource;
}

/** Which list an allowed origin matched: the tenant's own entries or the platform baseline. */
export type MatchedSource = 'tenant' | 'baseline';

/** A tenant's CORS policy document (SPEC §2). `version` is read-only and ignored by the engine. */
export interface PolicyDocument {
  mode: PolicyMode;
  origins: OriginEntry[];
  allowedMethods: string[];
  allowedHeaders: string[];
  exposedHeaders: string[];
  allowCredentials: boolean;
  maxAgeSeconds: number | null;
  allowPrivateNetwork: boolean;
  /** Per-route rules (SPEC §2.1); absent or empty: the fields above apply to every path. */
  routes?: RouteRule[];
  version?: number;
}

/** The fields a route may set: any policy field but `routes` and `version`. */
export type RouteFields = Omit<PolicyDocument, 'routes' | 'version'>;

/**
 * One per-route rule (SPEC §2.1): `path` is an exact path or a prefix ending in `/*`; the fields it
 * sets replace the default's, the fields it leaves out are inherited.
 */
export type RouteRule = { path: string } & Partial<RouteFields>;

/** Why validation refused (error) or flagged (warning) a value. */
export type IssueReason =
  | 'invalid-type'
  | 'unknown-field'
  | 'invalid-mode'
  | 'invalid-note'
  | 'empty-pattern'
  | 'invalid-origin'
  | 'invalid-scheme'
  | 'invalid-host'
  | 'invalid-port'
  | 'has-path'
  | 'has-query'
  | 'has-fragment'
  | 'has-userinfo'
  | 'trailing-slash'
  | 'public-suffix-wildcard'
  | 'invalid-wildcard'
  | 'duplicate'
  | 'invalid-expiry'
  | 'wildcard-with-credentials'
  | 'private-network-with-any-origin'
  | 'too-many-origins'
  | 'forbidden-method'
  | 'invalid-method'
  | 'forbidden-header'
  | 'cors-header-in-allowed-headers'
  | 'unexposable-header'
  | 'invalid-header'
  | 'negative-max-age'
  | 'invalid-max-age'
  | 'null-origin'
  | 'insecure-origin-with-credentials'
  | 'report-only-with-credentials'
  | 'max-age-above-browser-cap'
  | 'expired-entry'
  | 'invalid-route-path'
  | 'too-many-routes'
  | 'invalid-source'
  | 'baseline-any-origin'
  | 'invalid-tenant-placeholder'
  | 'invalid-for-tenant';

/** One validation problem, located by a JSON-ish path such as `origins[2].pattern`. */
export interface Issue {
  path: string;
  value: unknown;
  reason: IssueReason;
  message: string;
}

export interface ValidationResult {
  ok: boolean;
  errors: Issue[];
  warnings: Issue[];
  /** The normalised policy, present when `ok`. */
  policy?: PolicyDocument;
}

/** Why `decide` allowed or refused a request (SPEC §4 `reason`). */
export type DecisionReason =
  | 'exact-match'
  | 'wildcard-match'
  | 'any-origin'
  | 'no-origin'
  | 'malformed-origin'
  | 'origin-not-allowed'
  | 'method-not-allowed'
  | 'header-not-allowed'
  | 'private-network-not-allowed'
  | 'expired';

/**
 * A request as the engine sees it: the method and the request headers with lower-case names,
 * repeated lines already joined with ", " (as Node's http module hands them over).
 */
export interface CorsRequest {
  method: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /**
   * The request's path (SPEC §2.1), to pick the route; a query string is ignored. Absent: the
   * policy's default applies.
   */
  path?: string;
}

export interface Decision {
  /** True when the caller should let the browser see the response (always true in report-only). */
  allowed: boolean;
  /** The reason of the evaluation; in report-only mode this is the would-be refusal reason. */
  reason: DecisionReason;
  /** The allow-list pattern that matched the origin, or null. */
  matchedPattern: string | null;
  /** Whether the matched pattern is the tenant's own or the platform baseline's; null when none matched. */
  matchedSource: MatchedSource | null;
  /** True when the request is a CORS preflight (OPTIONS + Origin + Access-Control-Request-Method). */
  preflight: boolean;
  /** The status a preflight response should carry; absent for actual requests. */
  status?: number;
  /** Exactly the headers the caller must add to its response (lower-case names). */
  headers: Record<string, string>;
  /** True when the policy would have refused but is in report-only mode. */
  reportOnly?: boolean;
  /** The `path` of the route that decided (SPEC §2.1); absent when the policy's default decided. */
  route?: string;
}

export interface DecideOptions {
  /** Current time in ms since the epoch, for `expiresAt`; defaults to Date.now(). */
  now?: number;
}
