import { z } from 'zod';

/**
 * One baseline entry (SPEC §2.2). Only the shape is checked here; the pattern grammar, `{tenant}` and its
 * expansion for every tenant are `validateBaseline`'s of `@corsplane/policy`, which reports every problem.
 */
export const baselineEntrySchema = z.strictObject({
  pattern: z.string().max(4096),
  note: z.string().max(1000).nullable().optional(),
});
export type BaselineEntryInput = z.infer<typeof baselineEntrySchema>;

/**
 * `PUT /v1/platform/policy` (If-Match: the GET's ETag). No count here: the engine refuses more than
 * MAX_BASELINE_ORIGINS (1,000) with a 422; the API's body limit bounds the list before it is parsed.
 */
export const baselineSchema = z.strictObject({
  origins: z.array(baselineEntrySchema),
  /** Read-only, ignored when sent. */
  version: z.number().int().optional(),
});
export type BaselineInput = z.infer<typeof baselineSchema>;

/** `GET /v1/platform/policy` (ETag: `"<version>"`): version 0 is the empty baseline never saved. */
export const baselineResponseSchema = z.object({
  origins: z.array(z.object({ pattern: z.string(), note: z.string().nullable() })),
  version: z.number().int().min(0),
});
export type Baseline = z.infer<typeof baselineResponseSchema>;

export const baselineVersionSchema = z.object({
  version: z.number().int(),
  createdAt: z.string(),
  actor: z.string(),
  baseline: baselineResponseSchema,
});
export type BaselineVersion = z.infer<typeof baselineVersionSchema>;

export const baselineVersionListSchema = z.object({ items: z.array(baselineVersionSchema) });
export type BaselineVersionList = z.infer<typeof baselineVersionListSchema>;

/**
 * `GET /v1/tenants/:slug/policy/baseline`: the baseline as it applies to this tenant, `{tenant}` replaced by
 * its slug (`template` is the entry as the platform wrote it). The console shows these rows read-only.
 */
export const tenantBaselineResponseSchema = z.object({
  version: z.number().int().min(0),
  origins: z.array(
    z.object({ pattern: z.string(), note: z.string().nullable(), template: z.string() }),
  ),
});
export type TenantBaseline = z.infer<typeof tenantBaselineResponseSchema>;
