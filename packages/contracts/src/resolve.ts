import { z } from 'zod';
import { policySchema } from './policy.js';

export const decisionReasonSchema = z.enum([
  'exact-match',
  'wildcard-match',
  'any-origin',
  'no-origin',
  'malformed-origin',
  'origin-not-allowed',
  'method-not-allowed',
  'header-not-allowed',
  'private-network-not-allowed',
  'expired',
]);

/** SPEC §2.1: the longest request path `/resolve?path=` and simulate accept (bytes). */
export const MAX_REQUEST_PATH_LENGTH = 8192;

/**
 * A request path as a gateway or the console sends it: starts with "/", at most
 * MAX_REQUEST_PATH_LENGTH characters, no control characters (the query string may follow).
 */
export const requestPathSchema = z
  .string()
  .max(MAX_REQUEST_PATH_LENGTH)
  .superRefine((path, ctx) => {
    const problem = requestPathProblem(path);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });

/**
 * Why a request path cannot be used, or null. The hot path (`/resolve`) calls this directly: a loop over
 * character codes, no regular expression over input.
 */
export function requestPathProblem(path: string): string | null {
  if (path.length > MAX_REQUEST_PATH_LENGTH)
    return `path is longer than ${MAX_REQUEST_PATH_LENGTH} characters`;
  if (path.charCodeAt(0) !== 47)
    return 'path starts with "/" (the request path, such as /api/items)';
  for (let i = 0; i < path.length; i++) {
    const code = path.charCodeAt(i);
    if (code <= 32 || code === 127) return 'path holds a space or a control character';
  }
  return null;
}

/** `shadow` of a `/resolve` body while a candidate exists: the candidate's verdict (never sent as headers). */
export const shadowVerdictSchema = z.object({
  allowed: z.boolean(),
  reason: decisionReasonSchema,
});
export type ShadowVerdict = z.infer<typeof shadowVerdictSchema>;

/** Where a candidate's decision differs from the live policy's (SPEC §3, shadow evaluation). */
export const shadowDirectionSchema = z.enum(['would-block', 'would-allow']);
export type ShadowDirection = z.infer<typeof shadowDirectionSchema>;

/** The body of `GET /resolve` and of `POST /v1/tenants/:slug/simulate` (SPEC §4). */
export const resolveResponseSchema = z.object({
  allowed: z.boolean(),
  reason: decisionReasonSchema,
  matchedPattern: z.string().nullable(),
  /** Which list `matchedPattern` is in (SPEC §2.2): the tenant's own or the platform baseline; null when none. */
  matchedSource: z.enum(['tenant', 'baseline']).nullable(),
  tenant: z.string(),
  mode: z.enum(['enforce', 'report-only']),
  policyVersion: z.number().int(),
  preflight: z.boolean(),
  status: z.number().int().optional(),
  headers: z.record(z.string(), z.string()),
  cacheTtlSeconds: z.number().int(),
  /** Present (true) when the policy is report-only and the request would have been refused. */
  reportOnly: z.boolean().optional(),
  /** The `path` of the route that decided (SPEC §2.1), or null when the policy's default did. */
  route: z.string().nullable(),
  /** While the tenant has a candidate policy (SPEC §3): what the candidate would decide. */
  shadow: shadowVerdictSchema.optional(),
});
export type ResolveResponse = z.infer<typeof resolveResponseSchema>;

/**
 * `POST /v1/tenants/:slug/simulate`: the same inputs as `GET /resolve` (`method` is the
 * Access-Control-Request-Method, so a method makes it a preflight unless `preflight: false`),
 * against the stored policy or an unsaved draft `policy`.
 */
export const simulateRequestSchema = z.strictObject({
  origin: z.string(),
  /** Any value, as the browser sent it: an empty, non-token or oversized one is refused by the engine. */
  method: z.string().optional(),
  /** Any value: over 8 KiB or 64 names it is refused by the engine (`header-not-allowed`). */
  headers: z.string().optional(),
  privateNetwork: z.boolean().optional(),
  preflight: z.boolean().optional(),
  /** The request's path, to pick the route (SPEC §2.1); the query string is ignored. */
  path: requestPathSchema.optional(),
  policy: policySchema.optional(),
});
export type SimulateRequest = z.infer<typeof simulateRequestSchema>;

/**
 * The query of `GET /resolve` (SPEC §4). `method` is the Access-Control-Request-Method (its presence makes the
 * request a preflight), `headers` the Access-Control-Request-Headers; `tenant` is needed with a platform key.
 * The service reads these values itself on its hot path; this schema documents them (and serves clients).
 */
export const resolveQuerySchema = z.object({
  origin: z.string(),
  /** Any value, as the browser sent it: an empty, non-token or oversized one is refused by the engine. */
  method: z.string().optional(),
  /** Any value: over 8 KiB or 64 names it is refused by the engine (`header-not-allowed`). */
  headers: z.string().optional(),
  privateNetwork: z.enum(['true', 'false']).optional(),
  tenant: z.string().min(1).max(63).optional(),
  /** The request's path, to pick the route (SPEC §2.1); the query string is ignored. Absent: the default. */
  path: requestPathSchema.optional(),
});
export type ResolveQuery = z.infer<typeof resolveQuerySchema>;

/** Reasons an SDK may report in `POST /resolve/events`: the engine's refusals plus its own `service-unavailable`. */
export const blockedEventReasonSchema = z.enum([
  'malformed-origin',
  'origin-not-allowed',
  'method-not-allowed',
  'header-not-allowed',
  'private-network-not-allowed',
  'expired',
  'service-unavailable',
]);

/** Most events one `POST /resolve/events` may carry. */
export const MAX_BLOCKED_EVENTS_PER_BATCH = 10_000;

/** One counted refusal (or report-only would-be refusal) an SDK served from its own cache. */
export const blockedEventSchema = z.strictObject({
  origin: z.string().max(2048),
  reason: blockedEventReasonSchema,
  count: z.number().int().min(1).max(1_000_000_000),
  firstSeen: z.iso.datetime({ offset: true }),
  lastSeen: z.iso.datetime({ offset: true }),
});
export type BlockedEventInput = z.infer<typeof blockedEventSchema>;

/**
 * One counted shadow difference an SDK saw (SPEC §3): requests of `origin` that the tenant's candidate policy
 * would answer otherwise than the live one, with the candidate's reason.
 */
export const shadowEventSchema = z.strictObject({
  origin: z.string().max(2048),
  direction: shadowDirectionSchema,
  reason: decisionReasonSchema,
  count: z.number().int().min(1).max(1_000_000_000),
  firstSeen: z.iso.datetime({ offset: true }),
  lastSeen: z.iso.datetime({ offset: true }),
});
export type ShadowEventInput = z.infer<typeof shadowEventSchema>;

/**
 * `POST /resolve/events`: batched blocked-origin counts from SDKs (answered with 202), and, while the tenant
 * has a candidate, the shadow differences (optional: older SDKs send none). Each list holds at most
 * MAX_BLOCKED_EVENTS_PER_BATCH entries (and the body at most RESOLVE_EVENTS_BODY_LIMIT_BYTES).
 */
export const blockedEventsBatchSchema = z.strictObject({
  tenant: z.string().min(1).max(63).optional(),
  events: z.array(blockedEventSchema).max(MAX_BLOCKED_EVENTS_PER_BATCH),
  shadow: z.array(shadowEventSchema).max(MAX_BLOCKED_EVENTS_PER_BATCH).optional(),
  /** Refusals the SDK counted but could not itemise (its own distinct-key cap). */
  overflow: z.number().int().min(0).max(1_000_000_000).default(0),
});
export type BlockedEventsBatch = z.infer<typeof blockedEventsBatchSchema>;

export const blockedEventsAcceptedSchema = z.object({
  accepted: z.number().int(),
  overflow: z.number().int(),
});
export type BlockedEventsAccepted = z.infer<typeof blockedEventsAcceptedSchema>;
