import type { ResolveResponse, SimulateRequest } from '@corsplane/contracts';
import type { CorsRequest, Decision, PolicyMode } from '@corsplane/policy';

/**
 * The request `decide` sees for the inputs of `GET /resolve` and `simulate`: a `method` is the
 * Access-Control-Request-Method of a preflight (Fetch §3.2.2: OPTIONS + Origin + ACRM), unless
 * `preflight: false` makes it the method of an actual request.
 */
export function corsRequestOf(
  q: Pick<SimulateRequest, 'origin' | 'method' | 'headers' | 'privateNetwork' | 'preflight'>,
): CorsRequest {
  const headers: Record<string, string> = {};
  if (q.origin !== '') headers.origin = q.origin;
  const preflight = q.preflight ?? q.method !== undefined;
  if (!preflight) return { method: q.method ?? 'GET', headers };
  headers['access-control-request-method'] = q.method ?? 'GET';
  if (q.headers) headers['access-control-request-headers'] = q.headers;
  if (q.privateNetwork) headers['access-control-request-private-network'] = 'true';
  return { method: 'OPTIONS', headers };
}

/** The body shared by `GET /resolve` and `POST /v1/tenants/:slug/simulate` (SPEC §4). */
export function toResolveResponse(
  decision: Decision,
  ctx: { tenant: string; mode: PolicyMode; policyVersion: number; cacheTtlSeconds: number },
): ResolveResponse {
  return {
    allowed: decision.allowed,
    reason: decision.reason,
    matchedPattern: decision.matchedPattern,
    tenant: ctx.tenant,
    mode: ctx.mode,
    policyVersion: ctx.policyVersion,
    preflight: decision.preflight,
    ...(decision.status !== undefined ? { status: decision.status } : {}),
    headers: decision.headers,
    cacheTtlSeconds: ctx.cacheTtlSeconds,
    ...(decision.reportOnly ? { reportOnly: true } : {}),
  };
}
