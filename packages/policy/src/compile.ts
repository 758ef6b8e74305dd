// Compile once, decide many times (jub0bs/cors): everything that depends only on the policy is
// computed here, so decide() does hash lookups proportional to the origin's length, whatever
// the number of origins, and returns prebuilt answers where the answer cannot vary.
import { PolicyValidationError } from './errors.js';
import type { HostPattern, OriginPattern } from './origin-pattern.js';
import type { HeaderAllowList } from './request-headers.js';
import { childFor, createLabelNode } from './label-trie.js';
import type { LabelNode } from './label-trie.js';
import type { Decision, DecisionReason, PolicyDocument, PolicyMode } from './types.js';
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
  readonly pattern: string;
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
  /** Serialised origin → entry, looked up with the raw `Origin` value (byte-exact). */
  readonly exact: ReadonlyMap<string, CompiledEntry>;
  /** `scheme://host` → entry for `scheme://host:*`. */
  readonly anyPort: ReadonlyMap<string, CompiledEntry>;
  readonly wildcards: LabelNode;
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
  const exposeHeadersValue =
    policy.exposedHeaders.length > 0 ? policy.exposedHeaders.join(', ') : null;

  const actualHeaders = (origin: string): Record<string, string> => {
    const headers: Record<string, string> = { 'access-control-allow-origin': origin };
    if (credentials) headers['access-control-allow-credentials'] = 'true';
    if (exposeHeadersValue !== null) headers['access-control-expose-headers'] = exposeHeadersValue;
    if (origin !== '*') headers.vary = VARY_ACTUAL;
    return headers;
  };

  const exact = new Map<string, CompiledEntry>();
  const anyPort = new Map<string, CompiledEntry>();
  const wildcards = createLabelNode('');
  let anyOrigin: CompiledEntry | null = null;
  let nullOrigin: CompiledEntry | null = null;
  let hasExpiringEntries = false;
  let hasWildcards = false;

  for (const [index, entry] of policy.origins.entries()) {
    const pattern = patterns[index] as OriginPattern;
    const expiresAt = entry.expiresAt ? Date.parse(entry.expiresAt) : Number.POSITIVE_INFINITY;
    hasExpiringEntries ||= expiresAt !== Number.POSITIVE_INFINITY;
    const decision = (reason: MatchReason, origin: string): Decision =>
      freeze({
        allowed: true,
        reason,
        matchedPattern: pattern.normalised,
        preflight: false,
        headers: actualHeaders(origin),
      });

    if (pattern.kind === 'any') {
      // Fetch §3.2.5: without credentials, `*` serves every origin with one cacheable answer.
      anyOrigin = {
        pattern: '*',
        reason: 'any-origin',
        expiresAt,
        actual: decision('any-origin', '*'),
      };
    } else if (pattern.kind === 'null') {
      nullOrigin = {
        pattern: 'null',
        reason: 'exact-match',
        expiresAt,
        actual: decision('exact-match', 'null'),
      };
    } else if (pattern.subdomains) {
      hasWildcards = true;
      addWildcard(wildcards, pattern, {
        pattern: pattern.normalised,
        reason: 'wildcard-match',
        expiresAt,
        actual: null,
      });
    } else if (pattern.port === '*') {
      anyPort.set(flat(`${pattern.scheme}://${pattern.host}`), {
        pattern: pattern.normalised,
        reason: 'wildcard-match',
        expiresAt,
        actual: null,
      });
    } else {
      exact.set(flat(pattern.normalised), {
        pattern: pattern.normalised,
        reason: 'exact-match',
        expiresAt,
        actual: decision('exact-match', pattern.normalised),
      });
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
        preflight: false,
        headers: { vary: VARY_ACTUAL },
      }),
      preflight: freeze({
        allowed: false,
        reason,
        matchedPattern: null,
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
      ? freeze({ ...(anyOrigin.actual as Decision), reason: 'no-origin', matchedPattern: null })
      : freeze({
          allowed: true,
          reason: 'no-origin',
          matchedPattern: null,
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
    anyPort,
    wildcards,
    hasWildcards,
    methods: new Set(policy.allowedMethods),
    anyMethod,
    allowMethodsValue:
      anyMethod || policy.allowedMethods.length === 0 ? null : policy.allowedMethods.join(', '),
    requestHeaders: {
      names: new Set(policy.allowedHeaders.filter((name) => name !== '*')),
      any: anyHeader,
    },
    exposeHeadersValue,
    maxAgeValue: policy.maxAgeSeconds === null ? null : String(policy.maxAgeSeconds),
    privateNetwork: policy.allowPrivateNetwork,
    noOrigin,
    refusals,
  };
}

function addWildcard(root: LabelNode, pattern: HostPattern, entry: CompiledEntry): void {
  let node = root;
  const labels = pattern.host.split('.');
  for (let i = labels.length - 1; i >= 0; i--) node = childFor(node, labels[i] as string);
  node.entries ??= new Map();
  let schemeEntries = node.entries.get(pattern.scheme);
  if (schemeEntries === undefined) {
    schemeEntries = { byPort: new Map(), anyPort: null };
    node.entries.set(pattern.scheme, schemeEntries);
  }
  if (pattern.port === '*') schemeEntries.anyPort = entry;
  else schemeEntries.byPort.set(pattern.port === null ? '' : String(pattern.port), entry);
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
