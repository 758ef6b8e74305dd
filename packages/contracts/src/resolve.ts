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

/** The body of `GET /resolve` and of `POST /v1/tenants/:slug/simulate` (SPEC §4). */
export const resolveResponseSchema = z.object({
  allowed: z.boolean(),
  reason: decisionReasonSchema,
  matchedPattern: z.string().nullable(),
  tenant: z.string(),
  mode: z.enum(['enforce', 'report-only']),
  policyVersion: z.number().int(),
  preflight: z.boolean(),
  status: z.number().int().optional(),
  headers: z.record(z.string(), z.string()),
  cacheTtlSeconds: z.number().int(),
});
export type ResolveResponse = z.infer<typeof resolveResponseSchema>;

/**
 * `POST /v1/tenants/:slug/simulate`: the same inputs as `GET /resolve` (`method` is the
 * Access-Control-Request-Method, so a method makes it a preflight unless `preflight: false`),
 * against the stored policy or an unsaved draft `policy`.
 */
export const simulateRequestSchema = z.strictObject({
  origin: z.string().max(8192),
  method: z.string().min(1).max(64).optional(),
  headers: z.string().max(8192).optional(),
  privateNetwork: z.boolean().optional(),
  preflight: z.boolean().optional(),
  policy: policySchema.optional(),
});
export type SimulateRequest = z.infer<typeof simulateRequestSchema>;
