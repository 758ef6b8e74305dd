// Why decide() answered as it did, in terms a person can act on: which method or header names were
// refused, and which allow-list entry matched the origin (also for `expired`, and for method, header
// and private-network refusals, whose prebuilt answers carry no pattern). Off the hot path: the
// console's "test an origin", the blocked log's refused names and the simulate API call it; /resolve
// and the SDK answer with decide() alone.
import type { CompiledPolicy } from './compile.js';
import { decide, matchOrigin, ruleFor } from './decide.js';
import { isSafelistedMethod, isToken } from './http-tokens.js';
import { refusedHeaderNames } from './request-headers.js';
import type { CorsRequest, DecideOptions, Decision, MatchedSource, OriginEntry } from './types.js';

/** The allow-list entry that matched the origin, as the policy document spells it. */
export interface ExplainedEntry {
  pattern: string;
  source: MatchedSource;
  /** ISO 8601 instant, or null when the entry never expires. */
  expiresAt: string | null;
  note: string | null;
}

export interface Explanation {
  decision: Decision;
  /**
   * `method-not-allowed`: the requested method; `header-not-allowed`: the refused header names
   * (lower-case, joined with ", "); null for every other reason, and when the value was malformed.
   */
  refusedName: string | null;
  /**
   * The entry that matched the origin: the live one, or for `expired` the expired one; null when
   * no entry matched (`origin-not-allowed`, `malformed-origin`, `no-origin`).
   */
  entry: ExplainedEntry | null;
}

/**
 * decide() plus its explanation. `refusedName` is filled for a would-be refusal in report-only
 * mode too, since the decision's reason names it.
 */
export function explain(
  compiled: CompiledPolicy,
  request: CorsRequest,
  options?: DecideOptions,
): Explanation {
  const decision = decide(compiled, request, options);
  return {
    decision,
    refusedName: refusedName(compiled, request, decision),
    entry: matchedEntry(compiled, request, decision, options?.now ?? Date.now()),
  };
}

/**
 * The method or header names behind a `method-not-allowed` or `header-not-allowed` decision, else
 * null. Cheap enough for a refusal on /resolve: one pass over the request's header list.
 */
export function refusedName(
  compiled: CompiledPolicy,
  request: CorsRequest,
  decision: Pick<Decision, 'reason'>,
): string | null {
  const headers = request.headers;
  if (decision.reason === 'method-not-allowed') {
    const method = headers['access-control-request-method'];
    // A malformed method is refused as not allowed but is no name to add (nor to store).
    return typeof method === 'string' && isToken(method) && !isSafelistedMethod(method)
      ? method
      : null;
  }
  if (decision.reason === 'header-not-allowed') {
    const value = headers['access-control-request-headers'];
    if (typeof value !== 'string') return null;
    const names = refusedHeaderNames(value, ruleFor(compiled, request).requestHeaders);
    return names.length > 0 ? names.join(', ') : null;
  }
  return null;
}

function matchedEntry(
  compiled: CompiledPolicy,
  request: CorsRequest,
  decision: Decision,
  now: number,
): ExplainedEntry | null {
  const origin = request.headers.origin;
  if (typeof origin !== 'string') return null;
  const rule = ruleFor(compiled, request);
  // `expired`: every matching entry has expired; matching as if before all expiries finds one.
  const at = decision.reason === 'expired' ? Number.NEGATIVE_INFINITY : now;
  // The decision names its entry, except refusals decided after the match (method, header, private
  // network, expired): those match again.
  const named = namedEntry(decision) ?? namedEntry(matchOrigin(rule, origin, at));
  if (named === null) return null;
  const { pattern: matchedPattern, source } = named;
  const found = rule.policy.origins.find(
    (e: OriginEntry) => e.pattern === matchedPattern && (e.source ?? 'tenant') === source,
  );
  return {
    pattern: matchedPattern,
    source,
    expiresAt: found?.expiresAt ?? null,
    note: found?.note ?? null,
  };
}

/** The pattern and source a match or decision names, or null (no entry matched, or none named). */
function namedEntry(
  m: string | Pick<Decision, 'matchedPattern' | 'matchedSource'>,
): { pattern: string; source: MatchedSource } | null {
  if (typeof m === 'string' || m.matchedPattern === null) return null;
  // A match that names its pattern names its source too (compile.ts builds both from the entry).
  return { pattern: m.matchedPattern, source: m.matchedSource as MatchedSource };
}
