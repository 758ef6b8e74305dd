import { z } from 'zod';

/** Tenant slugs: DNS-label-like, lower-case, 1–63 characters, no leading/trailing hyphen. */
export const slugSchema = z
  .string()
  .min(1)
  .max(63)
  .regex(
    /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
    'must be 1-63 lower-case letters, digits or hyphens, not starting or ending with a hyphen',
  );

/** A UUID path or body parameter. */
export const idSchema = z.uuid();

/** A problem with one input value, located by a JSON-ish path (`origins[2].pattern`). */
export const issueSchema = z.object({
  path: z.string(),
  value: z.unknown().optional(),
  reason: z.string(),
  message: z.string(),
});
export type ApiIssue = z.infer<typeof issueSchema>;

/** The error body of every non-2xx answer (SPEC §4). */
export const errorBodySchema = z.object({
  statusCode: z.number().int(),
  error: z.string(),
  message: z.string(),
  details: z.array(issueSchema).optional(),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** Largest PostgreSQL `integer`: a bigger number reaching a query overflows there (a 500), so it is a 400 here. */
export const POSTGRES_INT_MAX = 2_147_483_647;
const POSTGRES_BIGINT_MAX = 9_223_372_036_854_775_807n;

/** A policy version number from a query or path: 1 to the largest `integer`. */
export const versionNumberSchema = z.coerce.number().int().min(1).max(POSTGRES_INT_MAX);

/** A `bigint` row id in decimal (the audit log's cursor): 1 to 2^63 − 1. */
export const bigintIdSchema = z
  .string()
  .regex(/^\d{1,19}$/, 'must be a positive whole number')
  .refine((s) => {
    const n = BigInt(s);
    return n >= 1n && n <= POSTGRES_BIGINT_MAX;
  }, `must be between 1 and ${POSTGRES_BIGINT_MAX}`);

/** `?limit=` for list endpoints (1–500, default 100). */
export const limitSchema = z.coerce.number().int().min(1).max(500).default(100);

/** A change note (SPEC §4.1): kept with the version a write makes and with its audit row. */
export const changeNoteSchema = z.string().trim().min(1).max(1000);
export const CHANGE_NOTE_HEADER = 'x-change-note';

/**
 * An opaque page cursor: the `nextCursor` of the previous page, passed back unchanged. Bounded so a forged
 * one costs nothing to refuse.
 */
export const cursorSchema = z
  .string()
  .max(400)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be the nextCursor of a previous page');

/** `?q=` of the paged lists: a case-insensitive substring, not a pattern. */
export const searchSchema = z.string().max(200);

/** `?q=&limit=&cursor=` of the paged, searchable lists (tenants, a policy's origins). */
export const pagedSearchQuerySchema = z.strictObject({
  q: searchSchema.optional(),
  limit: limitSchema,
  cursor: cursorSchema.optional(),
});

const DAY_MS = 86_400_000;

/**
 * The check of a `since`/`until` query window (until defaults to now): since before until, and the
 * window at most `maxDays` long. Bounds what one report may make the service scan.
 */
export function timeWindowCheck(maxDays: number) {
  return (v: { since?: string; until?: string }, ctx: z.RefinementCtx): void => {
    const until = v.until ? Date.parse(v.until) : Date.now();
    if (v.since === undefined) return;
    const since = Date.parse(v.since);
    if (since >= until)
      ctx.addIssue({ code: 'custom', path: ['since'], message: 'since must be before until' });
    else if (until - since > maxDays * DAY_MS)
      ctx.addIssue({
        code: 'custom',
        path: ['since'],
        message: `the window from since to until is at most ${maxDays} days`,
      });
  };
}
