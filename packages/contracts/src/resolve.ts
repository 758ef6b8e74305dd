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

/** The allow-list entry that matched the origin (for `expired`, the expired one), as the policy spells it. */
export const matchedEntrySchema = z.object({
  pattern: z.string(),
  source: z.enum(['tenant', 'baseline']),
  expiresAt: z.string().nullable(),
  note: z.string().nullable(),
});
export type MatchedEntry = z.infer<typeof matchedEntrySchema>;

/**
 * The body of `POST /v1/tenants/:slug/simulate`: `/resolve`'s, plus what the engine's explain() adds
 * so a person can act: the refused method or header names, and the entry that matched for every reason.
 */
export const simulateResponseSchema = resolveResponseSchema.extend({
  /** `method-not-allowed`: the method; `header-not-allowed`: the refused names, lower-case, ", "-joined. */
  refusedName: z.string().nullable(),
  /** The entry that matched the origin, or null when none did. */
  matchedEntry: matchedEntrySchema.nullable(),
});
export type SimulateResponse = z.infer<typeof simulateResponseSchema>;

/**
 * `POST /v1/tenants/:slug/simulate`: the same inputs as `GET /resolve` (`method` is the
 * Access-Control-Request-Method, so a method makes it a preflight unless `preflight: false`),
 * against the stored policy, an unsaved draft `policy`, or the stored candidate (`candidate: true`).
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
  /**
   * Decide with the tenant's stored candidate (SPEC §4.1) instead of the live policy (404 when it has none;
   * 400 with `policy` too): the console's side-by-side test, without sending the candidate's document.
   */
  candidate: z.boolean().optional(),
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

/**
 * Longest `refusedName` stored or accepted: whole names are kept up to it (a request may refuse up to 64
 * header names; see refusedNameWithin).
 */
export const MAX_REFUSED_NAME_LENGTH = 256;

/** Whether `value` is a method or a ", "-joined list of header names (token characters only). */
export function isRefusedNameList(value: string): boolean {
  if (value.length === 0 || value.length > MAX_REFUSED_NAME_LENGTH) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    // RFC 9110 §5.6.2 tchar, plus the ", " separator.
    const tchar =
      (c >= 0x30 && c <= 0x39) ||
      (c >= 0x41 && c <= 0x5a) ||
      (c >= 0x61 && c <= 0x7a) ||
      "!#$%&'*+-.^_`|~".includes(value[i] as string);
    if (
      !tchar &&
      !(c === 0x2c && value.charCodeAt(i + 1) === 0x20) &&
      !(c === 0x20 && value.charCodeAt(i - 1) === 0x2c)
    )
      return false;
  }
  return true;
}

/** The whole names of a ", "-joined list that fit MAX_REFUSED_NAME_LENGTH (null when none does). */
export function refusedNameWithin(value: string | null): string | null {
  if (value === null || value.length <= MAX_REFUSED_NAME_LENGTH) return value;
  const cut = value.lastIndexOf(', ', MAX_REFUSED_NAME_LENGTH);
  return cut > 0 ? value.slice(0, cut) : null;
}

/** One counted refusal (or report-only would-be refusal) an SDK served from its own cache. */
export const blockedEventSchema = z.strictObject({
  origin: z.string().max(2048),
  reason: blockedEventReasonSchema,
  /**
   * The refused method, or the refused header names joined with ", " (explain()'s refusedName); optional, so
   * SDKs that predate it keep working.
   */
  refusedName: z
    .string()
    .refine(isRefusedNameList, 'refusedName is a method or header names joined with ", "')
    .optional(),
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
