import { z } from 'zod';
import { slugSchema } from './common.js';

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

export const tenantSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Tenant = z.infer<typeof tenantSchema>;

export const tenantListSchema = z.object({ items: z.array(tenantSchema) });
export type TenantList = z.infer<typeof tenantListSchema>;
