import { z } from 'zod';
import { changeNoteSchema, issueSchema, versionNumberSchema } from './common.js';

/**
 * Shape of one allow-list entry. Only the shape is checked here: pattern grammar, expiry format and the
 * other semantic rules belong to `validatePolicy` of `@corsplane/policy`, which reports every problem.
 */
export const originEntrySchema = z.strictObject({
  pattern: z.string().max(4096),
  note: z.string().max(1000).nullable().optional(),
  expiresAt: z.string().max(64).nullable().optional(),
});
export type OriginEntryInput = z.infer<typeof originEntrySchema>;

const nameListSchema = z.array(z.string().max(256)).max(256);

/**
 * Shape of one per-route rule (SPEC §2.1): `path` (exact, or a prefix ending in `/*`) and any policy
 * field it overrides; the fields it leaves out are inherited from the default. Path syntax, the
 * 100-route bound and the merged rules are checked by `validatePolicy`.
 */
export const routeRuleSchema = z.strictObject({
  path: z.string().max(4096),
  mode: z.enum(['enforce', 'report-only']).optional(),
  origins: z.array(originEntrySchema).optional(),
  allowedMethods: nameListSchema.optional(),
  allowedHeaders: nameListSchema.optional(),
  exposedHeaders: nameListSchema.optional(),
  allowCredentials: z.boolean().optional(),
  maxAgeSeconds: z.number().nullable().optional(),
  allowPrivateNetwork: z.boolean().optional(),
});
export type RouteRuleInput = z.infer<typeof routeRuleSchema>;

/** Shape of a policy document (SPEC §2) as PUT by clients. `version` is read-only and ignored when sent. */
export const policySchema = z.strictObject({
  mode: z.enum(['enforce', 'report-only']),
  // No count here: the engine refuses more than MAX_POLICY_ORIGINS (100,000) with a 422 naming the
  // limit (SPEC §2.3); the body limit of the policy routes bounds the list before it is parsed.
  origins: z.array(originEntrySchema),
  allowedMethods: nameListSchema,
  allowedHeaders: nameListSchema,
  exposedHeaders: nameListSchema,
  allowCredentials: z.boolean(),
  maxAgeSeconds: z.number().nullable(),
  allowPrivateNetwork: z.boolean(),
  // No count here either: the engine refuses more than MAX_POLICY_ROUTES (100) with a 422.
  routes: z.array(routeRuleSchema).optional(),
  version: z.number().int().optional(),
});
export type PolicyInput = z.infer<typeof policySchema>;

/** `PUT …/policy` body: the document plus an optional change note (SPEC §4.1), not part of the policy. */
export const policyWriteSchema = policySchema.extend({
  note: changeNoteSchema.optional(),
});
export type PolicyWriteInput = z.infer<typeof policyWriteSchema>;

/** `POST …/policy/versions/:v/restore` body (optional): a change note. */
export const restoreBodySchema = z.strictObject({
  note: changeNoteSchema.optional(),
});
export type RestoreBody = z.infer<typeof restoreBodySchema>;

/** A stored policy as answered by `GET /v1/tenants/:slug/policy` (ETag: `"<version>"`). */
export const policyResponseSchema = policySchema.extend({ version: z.number().int().min(1) });
export type Policy = z.infer<typeof policyResponseSchema>;

/** `POST /v1/tenants/:slug/policy/validate`: the engine's verdict; nothing is saved. */
export const policyValidationResponseSchema = z.object({
  ok: z.boolean(),
  errors: z.array(issueSchema),
  warnings: z.array(issueSchema),
  policy: policySchema.omit({ version: true }).optional(),
});
export type PolicyValidationResponse = z.infer<typeof policyValidationResponseSchema>;

/**
 * One version in `GET …/policy/versions`: its record and number of origins, not its document (a page of a
 * 100,000-origin tenant's documents would be hundreds of megabytes); `GET …/policy/versions/:v` has it.
 */
export const policyVersionSummarySchema = z.object({
  version: z.number().int(),
  createdAt: z.string(),
  actor: z.string(),
  source: z.enum(['create', 'update', 'restore', 'promote']),
  restoredFromVersion: z.number().int().nullable(),
  /** The writer's change note (SPEC §4.1), or null. */
  note: z.string().nullable(),
  originCount: z.number().int().min(0),
});
export type PolicyVersionSummary = z.infer<typeof policyVersionSummarySchema>;

/** `GET /v1/tenants/:slug/policy/versions/:v`: one version with its whole policy. */
export const policyVersionSchema = policyVersionSummarySchema.extend({
  policy: policyResponseSchema,
});
export type PolicyVersion = z.infer<typeof policyVersionSchema>;

export const policyVersionListSchema = z.object({ items: z.array(policyVersionSummarySchema) });
export type PolicyVersionList = z.infer<typeof policyVersionListSchema>;

export const policyVersionsQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: versionNumberSchema.optional(),
});
export type PolicyVersionsQuery = z.infer<typeof policyVersionsQuerySchema>;
