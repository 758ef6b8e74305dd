import { z } from 'zod';
import { pagedSearchQuerySchema, slugSchema } from './common.js';

export const createTenantSchema = z.strictObject({
  slug: slugSchema,
  name: z.string().trim().min(1).max(200),
});
export type CreateTenant = z.infer<typeof createTenantSchema>;

/** The slug is the tenant's stable identifier (keys and gateways use it); only the name changes. */
export const updateTenantSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
});
export type UpdateTenant = z.infer<typeof updateTenantSchema>;

/**
 * A tenant with a summary of its current policy (one query for a whole list: the console's tenant table
 * needs no request per tenant).
 */
export const tenantSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Allow-list entries of the current policy (expired entries included: they are still listed). */
  originCount: z.number().int(),
  /** Mode of the current policy. */
  mode: z.enum(['enforce', 'report-only']),
  /** Version of the current policy (the `ETag` of `GET …/policy`). */
  policyVersion: z.number().int(),
  /** When the current policy version was created (ISO 8601). */
  lastChangedAt: z.string(),
  /** Actor label (user e-mail, key prefix or `system`) of the current policy version; null if its version row is missing. */
  lastChangedBy: z.string().nullable(),
});
export type Tenant = z.infer<typeof tenantSchema>;

/** `GET /v1/tenants`: pages in slug order; `q` searches slug and name (case-insensitive substring). */
export const tenantListQuerySchema = pagedSearchQuerySchema;
export type TenantListQuery = z.infer<typeof tenantListQuerySchema>;

export const tenantListSchema = z.object({
  items: z.array(tenantSchema),
  nextCursor: z.string().nullable(),
});
export type TenantList = z.infer<typeof tenantListSchema>;
