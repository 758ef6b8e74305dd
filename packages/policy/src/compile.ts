// Compile once, decide many times (jub0bs/cors): everything that depends only on the policy is
// computed here, so decide() does hash lookups proportional to the origin's length, whatever
// the number of origins, and returns prebuilt answers where the answer cannot vary.
import { PolicyValidationError } from './errors.js';
import { isIgnoredAllowedHeader, isIgnoredExposedHeader } from './http-tokens.js';
import type { OriginPattern } from './origin-pattern.js';
import type { HeaderAllowList } from './request-headers.js';
import { buildWildcardTable } from './wildcard-table.js';
import type { WildcardRule, WildcardTable } from './wildcard-table.js';
import type {
  Decision,
  DecisionReason,
  MatchedSource,
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

export interface CompiledPolicy {
  /** The normalised policy document it was compiled from. */
  readonly policy: PolicyDocument;
  readonly mode: PolicyMode;
  readonly version: number | null;
  readonly reportOnly: boolean;
  readonly credentials: boolean;
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
  const { result, patterns } = analysePolicy(document);
  if (!result.policy) throw new PolicyValidationError(result.errors);
  const policy = result.policy;
  const credentials = policy.allowCredentials;
  // Entries validation warned about as ignored are kept in the document but have no effect.
  const exposedHeaders = policy.exposedHeaders.filter((name) => !isIgnoredExposedHeader(name));
  const exposeHeadersValue = exposedHeaders.length > 0 ? exposedHeaders.join(', ') : null;

  const actualHeaders = (origin: string): Record<string, string> => {
    const headers: Record<string, string> = { 'access-control-allow-origin': origin };
    if (credentials) headers['access-control-allow-credentials'] = 'true';
    if (exposeHeadersValue !== null) headers['access-control-expose-headers'] = exposeHeadersValue;
    if (origin !== '*') headers.vary = VARY_ACTUAL;
    return headers;
  };

  const exact = new Map<string, Decision>();
  const exactExpiry = new Map<string, number>();
  const anyPort = new Map<string, CompiledEntry>();
  const wildcardRules: WildcardRule[] = [];
  let anyOrigin: CompiledEntry | null = null;
  let nullOrigin: CompiledEntry | null = null;
  let hasExpiringEntries = false;

  for (const [index, entry] of policy.origins.entries()) {
    const pattern = patterns[index] as OriginPattern;
    const expiresAt = entry.expiresAt ? Date.parse(entry.expiresAt) : Number.POSITIVE_INFINITY;
    hasExpiringEntries ||= expiresAt !== Number.POSITIVE_INFINITY;
    const matchedSource: MatchedSource = entry.source ?? 'tenant';
    const decision = (reason: MatchReason, origin: string): Decision =>
      freeze({
        allowed: true,
        reason,
        matchedPattern: pattern.normalised,
        matchedSource,
        preflight: false,
        headers: actualHeaders(origin),
      });

    if (pattern.kind === 'any') {
      // Fetch §3.2.5: without credentials, `*` serves every origin with one cacheable answer.
      anyOrigin = {
        matchedPattern: '*',
        matchedSource,
        reason: 'any-origin',
        expiresAt,
        actual: decision('any-origin', '*'),
      };
    } else if (pattern.kind === 'null') {
      nullOrigin = {
        matchedPattern: 'null',
        matchedSource,
        reason: 'exact-match',
        expiresAt,
        actual: decision('exact-match', 'null'),
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
      exact.set(key, decision('exact-match', pattern.normalised));
      if (expiresAt !== Number.POSITIVE_INFINITY) exactExpiry.set(key, expiresAt);
    }
  }

  const anyMethod = policy.allowedMethods.includes('*');
  const anyHeader = policy.allowedHeaders.includes('*');
  const refusals = {} as Record<RefusalReason, { actual: Decision; preflight: Decision }>;
  for (const reason of REFUSAL_REASONS) {
    refusals[reason] = {
      actual: freeze({
        allowed: false,
        reason,
        matchedPattern: null,
        matchedSource: null,
        preflight: false,
        headers: { vary: VARY_ACTUAL },
      }),
      preflight: freeze({
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
  const noOrigin: Decision =
    anyOrigin !== null && anyOrigin.expiresAt === Number.POSITIVE_INFINITY
      ? freeze({
          ...(anyOrigin.actual as Decision),
          reason: 'no-origin',
          matchedPattern: null,
          matchedSource: null,
        })
      : freeze({
          allowed: true,
          reason: 'no-origin',
          matchedPattern: null,
          matchedSource: null,
          preflight: false,
          headers: { vary: VARY_ACTUAL },
        });

  return {
    policy,
    mode: policy.mode,
    version: policy.version ?? null,
    reportOnly: policy.mode === 'report-only',
    credentials,
    hasExpiringEntries,
    anyOrigin,
    nullOrigin,
    exact,
    exactExpiry,
    anyPort,
    wildcards: buildWildcardTable(wildcardRules),
    hasWildcards: wildcardRules.length > 0,
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
}

/**
 * A string with one flat representation. Normalised patterns are built by concatenation, which
 * V8 keeps as a tree ("cons string"); comparing request values against such keys on every
 * lookup is measurably slower, so table keys are flattened once here.
 */
function flat(value: string): string {
  return JSON.parse(JSON.stringify(value)) as string;
}

function freeze(decision: Decision): Decision {
  Object.freeze(decision.headers);
  return Object.freeze(decision);
}
