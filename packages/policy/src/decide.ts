// The CORS decision for one request (SPEC §3, Fetch §3.2 "CORS protocol"). No I/O, no regular
// expressions, no scan over the allow-list: hash lookups and one pass over each header value.
import type { CompiledEntry, CompiledPolicy, RefusalReason } from './compile.js';
import { PREFLIGHT_SUCCESS_STATUS, VARY_ACTUAL, VARY_PREFLIGHT } from './compile.js';
import { isSafelistedMethod, isToken } from './http-tokens.js';
import { checkRequestHeaders } from './request-headers.js';
import { MAX_ORIGIN_LENGTH, readRequestOrigin } from './request-origin.js';
import { findRoute } from './route-table.js';
import { matchWildcard } from './wildcard-table.js';
import type { CorsRequest, DecideOptions, Decision, DecisionReason } from './types.js';

/** An exact entry is represented by its prebuilt answer to an actual request. */
export type Matched = CompiledEntry | Decision;
export type OriginMatch = Matched | 'malformed-origin' | 'origin-not-allowed' | 'expired';

export function decide(
  compiled: CompiledPolicy,
  request: CorsRequest,
  options?: DecideOptions,
): Decision {
  const policy = ruleFor(compiled, request);
  const { headers } = request;
  const origin = headers.origin;
  // Fetch §3.2.1: without Origin this is not a CORS request.
  if (origin === undefined) return policy.noOrigin;
  // Fetch §3.2.2: a CORS-preflight request is OPTIONS with Access-Control-Request-Method.
  const preflight =
    request.method === 'OPTIONS' && headers['access-control-request-method'] !== undefined;
  // Several Origin lines arrive as an array (or joined with ", ", caught by the parser).
  const match: OriginMatch =
    typeof origin === 'string'
      ? matchOrigin(policy, origin, policy.hasExpiringEntries ? (options?.now ?? Date.now()) : 0)
      : 'malformed-origin';
  if (preflight) return decidePreflight(policy, request, origin as string, match);
  if (typeof match !== 'string') {
    if (policy.answersPrebuilt) {
      if ('allowed' in match) return match;
      if (match.actual !== null) return match.actual;
    }
    return allowedActual(policy, match, origin as string, null);
  }
  // A malformed origin is never reflected, not even in report-only mode.
  if (!policy.reportOnly || match === 'malformed-origin') return policy.refusals[match].actual;
  return allowedActual(policy, null, origin as string, match);
}

/** SPEC §2.1: the longest matching route decides, else the default. */
export function ruleFor(compiled: CompiledPolicy, request: CorsRequest): CompiledPolicy {
  return compiled.routes === null || request.path === undefined
    ? compiled
    : (findRoute(compiled.routes, request.path) ?? compiled);
}

/** The entry the origin matches at `now` (ms), or why none does. Shared with explain(). */
export function matchOrigin(policy: CompiledPolicy, origin: string, now: number): OriginMatch {
  // SPEC §3: bounded before anything reads it, not even the hash of the exact lookup.
  if (origin.length > MAX_ORIGIN_LENGTH) return 'malformed-origin';
  let expired = false;
  const any = policy.anyOrigin;
  if (any !== null) {
    if (now < any.expiresAt)
      return readRequestOrigin(origin) !== null || origin === 'null' ? any : 'malformed-origin';
    expired = true;
  }
  // Byte-exact lookup of the raw value: stored keys are serialised origins, so a hit is well-formed.
  const answer = policy.exact.get(origin);
  if (answer !== undefined) {
    if (!policy.hasExpiringEntries || now < (policy.exactExpiry.get(origin) ?? Infinity))
      return answer;
    expired = true;
  }
  if (origin === 'null') {
    const entry = policy.nullOrigin;
    if (entry !== null && now >= entry.expiresAt) return 'expired';
    return entry ?? (expired ? 'expired' : 'origin-not-allowed');
  }
  const parsed = readRequestOrigin(origin);
  if (parsed === null) return 'malformed-origin';
  if (policy.anyPort.size > 0) {
    const entry = policy.anyPort.get(origin.slice(0, parsed.hostEnd));
    if (entry !== undefined) {
      if (now < entry.expiresAt) return entry;
      expired = true;
    }
  }
  if (policy.hasWildcards) {
    const entry = matchWildcard(
      policy.wildcards,
      origin,
      parsed.hostStart,
      parsed.hostEnd,
      parsed.scheme,
      parsed.port,
      now,
    );
    if (entry === 'expired') expired = true;
    else if (entry !== null) return entry;
  }
  return expired ? 'expired' : 'origin-not-allowed';
}

/** Headers of an allowed actual request (Fetch §3.2.3); `refusal` set in report-only mode. */
function allowedActual(
  policy: CompiledPolicy,
  entry: Matched | null,
  origin: string,
  refusal: RefusalReason | null,
): Decision {
  // Fetch §3.2.5: `*` (never with credentials, see validate) answers every origin alike.
  const any = entry !== null && entry.reason === 'any-origin';
  const headers: Record<string, string> = { 'access-control-allow-origin': any ? '*' : origin };
  // SPEC §3 report-only: a would-be refusal never grants credentials (Fetch §3.2.5: without
  // Access-Control-Allow-Credentials a credentialed response is blocked), so a report-only
  // policy cannot expose the tenant's signed-in users to a site it does not list.
  if (policy.credentials && refusal === null) headers['access-control-allow-credentials'] = 'true';
  if (policy.exposeHeadersValue !== null)
    headers['access-control-expose-headers'] = policy.exposeHeadersValue;
  if (!any) headers.vary = VARY_ACTUAL;
  return result(
    policy,
    refusal ?? (entry as Matched).reason,
    entry,
    false,
    headers,
    refusal !== null,
  );
}

function decidePreflight(
  policy: CompiledPolicy,
  request: CorsRequest,
  origin: string,
  match: OriginMatch,
): Decision {
  const { headers } = request;
  if (match === 'malformed-origin') return policy.refusals['malformed-origin'].preflight;
  const method = headers['access-control-request-method'];
  // Values that are not even syntactically valid are refused in every mode: they are never echoed.
  if (typeof method !== 'string' || !isToken(method))
    return policy.refusals['method-not-allowed'].preflight;
  const requestedHeaders = headers['access-control-request-headers'];
  let headersAllowed = true;
  if (requestedHeaders !== undefined) {
    const verdict =
      typeof requestedHeaders === 'string'
        ? checkRequestHeaders(requestedHeaders, policy.requestHeaders)
        : 'malformed';
    if (verdict === 'malformed') return policy.refusals['header-not-allowed'].preflight;
    headersAllowed = verdict === 'allowed';
  }
  // Private Network Access §3.3: the preflight asks with this header set to "true".
  const privateNetwork = headers['access-control-request-private-network'] === 'true';
  // Fetch §3.2.3: safelisted methods pass; others must be listed, compared case-sensitively.
  const methodAllowed =
    isSafelistedMethod(method) || policy.anyMethod || policy.methods.has(method);

  let refusal: RefusalReason | null = null;
  if (typeof match === 'string') refusal = match;
  else if (!methodAllowed) refusal = 'method-not-allowed';
  else if (!headersAllowed) refusal = 'header-not-allowed';
  else if (privateNetwork && !policy.privateNetwork) refusal = 'private-network-not-allowed';
  // Fetch §3.2.3: a failed preflight carries no Access-Control-Allow-* header at all.
  if (refusal !== null && !policy.reportOnly) return policy.refusals[refusal].preflight;

  const entry: Matched | null = typeof match === 'string' ? null : match;
  const out: Record<string, string> = {
    'access-control-allow-origin': entry !== null && entry.reason === 'any-origin' ? '*' : origin,
  };
  // SPEC §3 report-only: a would-be refusal is answered like an uncredentialed public request.
  if (policy.credentials && refusal === null) out['access-control-allow-credentials'] = 'true';
  // Fetch §3.2.3: with credentials a browser reads `*` as a literal name, so a `*` policy (and a
  // report-only refusal) answers with the requested method and header names, never `*`.
  out['access-control-allow-methods'] =
    methodAllowed && policy.allowMethodsValue !== null ? policy.allowMethodsValue : method;
  if (requestedHeaders) out['access-control-allow-headers'] = requestedHeaders as string;
  if (policy.maxAgeValue !== null) out['access-control-max-age'] = policy.maxAgeValue;
  // Private Network Access §3.3: granted only when allowed, never by a report-only refusal.
  if (privateNetwork && refusal === null) out['access-control-allow-private-network'] = 'true';
  out.vary = VARY_PREFLIGHT;
  return result(policy, refusal ?? (entry as Matched).reason, entry, true, out, refusal !== null);
}

function result(
  policy: CompiledPolicy,
  reason: DecisionReason,
  entry: Matched | null,
  preflight: boolean,
  headers: Record<string, string>,
  reportOnly: boolean,
): Decision {
  const decision: Decision = preflight
    ? {
        allowed: true,
        reason,
        matchedPattern: entry?.matchedPattern ?? null,
        matchedSource: entry?.matchedSource ?? null,
        preflight,
        status: PREFLIGHT_SUCCESS_STATUS,
        headers,
      }
    : {
        allowed: true,
        reason,
        matchedPattern: entry?.matchedPattern ?? null,
        matchedSource: entry?.matchedSource ?? null,
        preflight,
        headers,
      };
  if (reportOnly) decision.reportOnly = true;
  if (policy.route !== null) decision.route = policy.route;
  return decision;
}
