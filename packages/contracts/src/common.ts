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

/** `?limit=` for list endpoints (1–500, default 100). */
export const limitSchema = z.coerce.number().int().min(1).max(500).default(100);
