import { z } from 'zod';
import type { CorsRequest, Decision, PolicyMode } from '@corsplane/policy';
import { originEntrySchema, policySchema } from './policy.js';
import type { ResolveResponse } from './resolve.js';

/** An entry of an effective policy: `source: 'baseline'` marks the platform baseline's (SPEC §2.2). */
export const effectiveOriginEntrySchema = originEntrySchema.extend({
  source: z.enum(['tenant', 'baseline']).optional(),
});

/** A tenant's effective policy: its own document with the expanded baseline's entries among its origins. */
export const effectivePolicySchema = policySchema
  .omit({ version: true })
  .extend({ origins: z.array(effectiveOriginEntrySchema) });

/**
 * `GET /resolve/policy[?tenant=<slug>]` (SPEC §5): the tenant's effective policy, normalised, as the SDK
 * compiles it. `ETag: "<version>"`, or `"<version>.<candidateVersion>"` while a candidate exists (so the
 * ETag changes when the candidate does); `If-None-Match` with that value answers 304.
 */
export const resolvePolicyResponseSchema = z.object({
  tenant: z.string(),
  /**
   * The effective version: the tenant policy's version plus the baseline's (0 before any baseline). Both only
   * grow, so the sum grows with every change of either and names one (tenant, baseline) pair.
   */
  version: z.number().int().min(1),
  tenantVersion: z.number().int().min(1),
  baselineVersion: z.number().int().min(0),
  /** The effective policy: the tenant's own merged with the platform baseline expanded for it. */
  policy: effectivePolicySchema,
  /**
   * The candidate policy under shadow evaluation (SPEC §3, §4.1), effective like `policy` (the baseline's
   * entries included), or null. The SDK decides with `policy` and also with this, and reports differences.
   */
  candidate: effectivePolicySchema.nullable(),
  /** The candidate's version (0 before any candidate was saved): it moves the ETag and `policy` events. */
  candidateVersion: z.number().int().min(0).optional(),
});
export type ResolvePolicyResponse = z.infer<typeof resolvePolicyResponseSchema>;

/** `event: policy` of `GET /resolve/changes`: a tenant's effective policy changed (refetch by ETag). */
export const policyChangeEventSchema = z.object({
  tenant: z.string(),
  version: z.number().int(),
  /** The candidate's version: a candidate change keeps `version` and moves this (refetch by ETag). */
  candidateVersion: z.number().int().optional(),
  /** The new effective policy itself, when the service chose to send it (small policies). */
  policy: effectivePolicySchema.optional(),
});
export type PolicyChangeEvent = z.infer<typeof policyChangeEventSchema>;

/**
 * `event: revoked` of `GET /resolve/changes`: `{}` when the key itself is revoked (or a tenant key's tenant
 * was deleted): the stream ends and every decision of the key is refused. `{tenant}` on a platform key's
 * stream: that tenant was deleted, its requests are refused; the stream goes on.
 */
export const revokedEventSchema = z.object({ tenant: z.string().optional() });
export type RevokedEvent = z.infer<typeof revokedEventSchema>;

/**
 * The request `decide` sees for the inputs of `GET /resolve` and `simulate`: a `method` is the
 * Access-Control-Request-Method of a preflight (Fetch §3.2.2: OPTIONS + Origin + ACRM), unless
 * `preflight: false` makes it the method of an actual request.
 */
export function corsRequestOf(q: {
  origin: string;
  method?: string | undefined;
  headers?: string | undefined;
  privateNetwork?: boolean | undefined;
  preflight?: boolean | undefined;
  path?: string | undefined;
}): CorsRequest {
  const headers: Record<string, string> = {};
  if (q.origin !== '') headers.origin = q.origin;
  // SPEC §2.1: the path picks the route; without one the default applies.
  const path = q.path === undefined ? {} : { path: q.path };
  const preflight = q.preflight ?? q.method !== undefined;
  if (!preflight) return { method: q.method ?? 'GET', headers, ...path };
  headers['access-control-request-method'] = q.method ?? 'GET';
  if (q.headers) headers['access-control-request-headers'] = q.headers;
  if (q.privateNetwork) headers['access-control-request-private-network'] = 'true';
  return { method: 'OPTIONS', headers, ...path };
}

/**
 * The body of `GET /resolve` and `POST /v1/tenants/:slug/simulate` (SPEC §4) for a decision; the SDK builds
 * the same body from its local decision, so both paths answer alike for the same policy version.
 */
export function toResolveResponse(
  decision: Decision,
  ctx: { tenant: string; mode: PolicyMode; policyVersion: number; cacheTtlSeconds: number },
): ResolveResponse {
  return {
    allowed: decision.allowed,
    reason: decision.reason,
    matchedPattern: decision.matchedPattern,
    matchedSource: decision.matchedSource,
    tenant: ctx.tenant,
    mode: ctx.mode,
    policyVersion: ctx.policyVersion,
    preflight: decision.preflight,
    ...(decision.status !== undefined ? { status: decision.status } : {}),
    headers: decision.headers,
    cacheTtlSeconds: ctx.cacheTtlSeconds,
    ...(decision.reportOnly ? { reportOnly: true } : {}),
    route: decision.route ?? null,
  };
}
