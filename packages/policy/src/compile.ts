// Compile once, decide many times (jub0bs/cors): everything that depends only on the policy is
// computed here, so decide() does hash lookups proportional to the origin's length, whatever
// the number of origins, and returns prebuilt answers where the answer cannot vary.
import { PolicyValidationError } from './errors.js';
import { isIgnoredAllowedHeader, isIgnoredExposedHeader } from './http-tokens.js';
import type { OriginPattern } from './origin-pattern.js';
import type { HeaderAllowList } from './request-headers.js';
import { buildRouteTable } from './route-table.js';
import type { RouteTable } from './route-table.js';
import { buildWildcardTable } from './wildcard-table.js';
import type { WildcardRule, WildcardTable } from './wildcard-table.js';
import type {
  Decision,
  DecisionReason,
  MatchedSource,
  OriginEntry,
  PolicyDocument,
  PolicyMode,
} from './types.js';
import { analysePolicy } from './validate.js';

export const VARY_ACTUAL = 'Origin';
// Fetch §3.2.6 (CORS protocol and HTTP caches): a preflight's answer depends on all of these.
export const VARY_PREFLIGHT =
  'Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network';
export const PREFLIGHT_SUCCESS_STATUS = 204;
export const PREFLIGHT_FAILURE_STATUS = 403;

export type MatchReason = 'exact-match' | 'wildcard-match' | 'any-origin';
export type RefusalReason = Exclude<DecisionReason, MatchReason | 'no-origin'>;

export interface CompiledEntry {
  readonly matchedPattern: string;
  readonly matchedSource: MatchedSource;
  readonly reason: MatchReason;
  /** ms since the epoch; Infinity when the entry never expires. */
  readonly expiresAt: number;
  /** The whole answer to an actual request, when it cannot depend on the origin's spelling. */
  readonly actual: Decision | null;
}

/** The lookup tables of one origin list; a route that inherits the default's origins shares them. */
interface OriginTables {
  readonly hasExpiringEntries: boolean;
  readonly anyOrigin: CompiledEntry | null;
  readonly nullOrigin: CompiledEntry | null;
  /**
   * Serialised origin → the prebuilt answer to an actual request from it, looked up with the raw
   * `Origin` value (byte-exact). The answer stands for the entry (it carries the reason and the
   * matched pattern): one object less to load per request, which counts when a large policy's
   * entries are out of the CPU caches.
   */
  readonly exact: ReadonlyMap<string, Decision>;
  /** Expiry (ms since the epoch) of the exact entries that have one. */
  readonly exactExpiry: ReadonlyMap<string, number>;
  /** `scheme://host` → entry for `scheme://host:*`. */
  readonly anyPort: ReadonlyMap<string, CompiledEntry>;
  readonly wildcards: WildcardTable;
  readonly hasWildcards: boolean;
}

export interface CompiledPolicy extends OriginTables {
  /**
   * The normalised policy document it was compiled from; for a route, the default with the
   * route's fields over it (SPEC §2.1).
   */
  readonly policy: PolicyDocument;
  /** The route's `path`; null for the policy's default. */
  readonly route: string | null;
  /** The routes' compiled rules by path (SPEC §2.1); null without routes, and on a route itself. */
  readonly routes: RouteTable<CompiledPolicy> | null;
  /**
   * False on a route that shares the default's origin tables: their prebuilt answers are the
   * default's (its headers, no `route`), so decide() builds this route's answer instead.
   */
  readonly answersPrebuilt: boolean;
  readonly mode: PolicyMode;
  readonly version: number | null;
  readonly reportOnly: boolean;
  readonly credentials: boolean;
  readonly methods: ReadonlySet<string>;
  readonly anyMethod: boolean;
  /** `Access-Control-Allow-Methods` value, or null to echo the requested method. */
  readonly allowMethodsValue: string | null;
  readonly requestHeaders: HeaderAllowList;
  readonly exposeHeadersValue: string | null;
  readonly maxAgeValue: string | null;
  readonly privateNetwork: boolean;
  readonly noOrigin: Decision;
  readonly refusals: Readonly<Record<RefusalReason, { actual: Decision; preflight: Decision }>>;
}

const REFUSAL_REASONS: readonly RefusalReason[] = [
  'malformed-origin',
  'origin-not-allowed',
  'method-not-allowed',
  'header-not-allowed',
  'private-network-not-allowed',
  'expired',
];

/** Validates, normalises and compiles a policy; throws PolicyValidationError when invalid. */
export function compilePolicy(document: unknown): CompiledPolicy {
  const { result, patterns, routes } = analysePolicy(document);
  if (!result.policy) throw new PolicyValidationError(result.errors);
  const policy = result.policy;
  const { compiled, tables } = compileRule(policy, null, { patterns });
  if (routes.length === 0) return compiled;
  const table = buildRouteTable(
    routes.map(({ route, segments, prefix, patterns: own }) => {
      const { path, ...fields } = route;
      const merged: PolicyDocument = { ...policy, ...fields };
      delete merged.routes;
      // A route that inherits the default's origins shares its lookup tables (not its answers).
      const origins = own === null ? { shared: tables } : { patterns: own };
      return { segments, prefix, value: compileRule(merged, path, origins).compiled };
    }),
  );
  return { ...compiled, routes: table };
}

/**
 * One rule: the default, or a route's merged document. Its origin tables are built from the
 * parsed `patterns` of its origins, or `shared` with the default's.
 */
function compileRule(
  policy: PolicyDocument,
  route: string | null,
  origins: { patterns: readonly OriginPattern[] } | { shared: OriginTables },
): { compiled: CompiledPolicy; tables: OriginTables } {
  const credentials = policy.allowCredentials;
  // Entries validation warned about as ignored are kept in the document but have no effect.
  const exposedHeaders = policy.exposedHeaders.filter((name) => !isIgnoredExposedHeader(name));
  const exposeHeadersValue = exposedHeaders.length > 0 ? exposedHeaders.join(', ') : null;
  const named = (decision: Decision): Decision =>
    freeze(route === null ? decision : { ...decision, route });

  const actualHeaders = (origin: string): Record<string, string> => {
    const headers: Record<string, string> = { 'access-control-allow-origin': origin };
    if (credentials) headers['access-control-allow-credentials'] = 'true';
    if (exposeHeadersValue !== null) headers['access-control-expose-headers'] = exposeHeadersValue;
    if (origin !== '*') headers.vary = VARY_ACTUAL;
    return headers;
  };

  const tables =
    'shared' in origins
      ? origins.shared
      : buildOriginTables(
          policy.origins,
          origins.patterns,
          (reason, matchedPattern, origin, matchedSource) =>
            named({
              allowed: true,
              reason,
              matchedPattern,
              matchedSource,
              preflight: false,
              headers: actualHeaders(origin),
            }),
        );

  const anyMethod = policy.allowedMethods.includes('*');
  const anyHeader = policy.allowedHeaders.includes('*');
  const refusals = {} as Record<RefusalReason, { actual: Decision; preflight: Decision }>;
  for (const reason of REFUSAL_REASONS) {
    refusals[reason] = {
      actual: named({
        allowed: false,
        reason,
        matchedPattern: null,
        matchedSource: null,
        preflight: false,
        headers: { vary: VARY_ACTUAL },
      }),
      preflight: named({
        allowed: false,
        reason,
        matchedPattern: null,
        matchedSource: null,
        preflight: true,
        status: PREFLIGHT_FAILURE_STATUS,
        headers: { vary: VARY_PREFLIGHT },
      }),
    };
  }

  // Fetch §3.2.6: a `*` answer is the same for every origin, so it is sent without Origin too
  // and carries no Vary; any other answer depends on Origin, so even non-CORS responses vary.
  const anyForever = policy.origins.some((entry) => entry.pattern === '*' && !entry.expiresAt);
  const noOrigin: Decision = named({
    allowed: true,
    reason: 'no-origin',
    matchedPattern: null,
    matchedSource: null,
    preflight: false,
    headers: anyForever ? actualHeaders('*') : { vary: VARY_ACTUAL },
  });

  const compiled: CompiledPolicy = {
    policy,
    route,
    routes: null,
    answersPrebuilt: !('shared' in origins),
    mode: policy.mode,
    version: policy.version ?? null,
    reportOnly: policy.mode === 'report-only',
    credentials,
    ...tables,
    methods: new Set(policy.allowedMethods),
    anyMethod,
    allowMethodsValue:
      anyMethod || policy.allowedMethods.length === 0 ? null : policy.allowedMethods.join(', '),
    requestHeaders: {
      names: new Set(
        policy.allowedHeaders.filter((name) => name !== '*' && !isIgnoredAllowedHeader(name)),
      ),
      any: anyHeader,
    },
    exposeHeadersValue,
    maxAgeValue: policy.maxAgeSeconds === null ? null : String(policy.maxAgeSeconds),
    privateNetwork: policy.allowPrivateNetwork,
    noOrigin,
    refusals,
  };
  return { compiled, tables };
}

function buildOriginTables(
  origins: readonly OriginEntry[],
  patterns: readonly OriginPattern[],
  answer: (
    reason: MatchReason,
    matchedPattern: string,
    origin: string,
    matchedSource: MatchedSource,
  ) => Decision,
): OriginTables {
  const exact = new Map<string, Decision>();
  const exactExpiry = new Map<string, number>();
  const anyPort = new Map<string, CompiledEntry>();
  const wildcardRules: WildcardRule[] = [];
  let anyOrigin: CompiledEntry | null = null;
  let nullOrigin: CompiledEntry | null = null;
  let hasExpiringEntries = false;

  for (const [index, entry] of origins.entries()) {
    const pattern = patterns[index] as OriginPattern;
    const expiresAt = entry.expiresAt ? Date.parse(entry.expiresAt) : Number.POSITIVE_INFINITY;
    hasExpiringEntries ||= expiresAt !== Number.POSITIVE_INFINITY;
    const matchedSource: MatchedSource = entry.source ?? 'tenant';

    if (pattern.kind === 'any') {
      // Fetch §3.2.5: without credentials, `*` serves every origin with one cacheable answer.
      anyOrigin = {
        matchedPattern: '*',
        matchedSource,
        reason: 'any-origin',
        expiresAt,
        actual: answer('any-origin', '*', '*', matchedSource),
      };
    } else if (pattern.kind === 'null') {
      nullOrigin = {
        matchedPattern: 'null',
        matchedSource,
        reason: 'exact-match',
        expiresAt,
        actual: answer('exact-match', 'null', 'null', matchedSource),
      };
    } else if (pattern.subdomains) {
      wildcardRules.push({
        matchedPattern: pattern.normalised,
        matchedSource,
        reason: 'wildcard-match',
        expiresAt,
        actual: null,
        domain: flat(pattern.host),
        scheme: pattern.scheme,
        port: pattern.port === null ? '' : String(pattern.port),
        next: null,
      });
    } else if (pattern.port === '*') {
      anyPort.set(flat(`${pattern.scheme}://${pattern.host}`), {
        matchedPattern: pattern.normalised,
        matchedSource,
        reason: 'wildcard-match',
        expiresAt,
        actual: null,
      });
    } else {
      const key = flat(pattern.normalised);
      exact.set(key, answer('exact-match', pattern.normalised, pattern.normalised, matchedSource));
      if (expiresAt !== Number.POSITIVE_INFINITY) exactExpiry.set(key, expiresAt);
    }
  }
  return {
    hasExpiringEntries,
    anyOrigin,
    nullOrigin,
    exact,
    exactExpiry,
    anyPort,
    wildcards: buildWildcardTable(wildcardRules),
    hasWildcards: wildcardRules.length > 0,
  };
}

/**
 * A string with one flat representation. Normalised patterns are built by concatenation, which
 * V8 keeps as a tree ("cons string"); comparing request values against such keys on every
 * lookup is measurably slower, so table keys are flattened once here.
 */
function flat(value: string): string {
  // V8 answers `normalize()` of a one-byte string with its flat form: a quarter of the cost of a
  // JSON round trip, which counts when a 100,000-origin policy is compiled.
  return value.normalize();
}

function freeze(decision: Decision): Decision {
  Object.freeze(decision.headers);
  return Object.freeze(decision);
}
