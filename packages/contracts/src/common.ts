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
