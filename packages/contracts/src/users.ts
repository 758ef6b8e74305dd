import { z } from 'zod';
import { slugSchema } from './common.js';
import { membershipSchema, platformRoleSchema, tenantRoleSchema } from './auth.js';

const membershipInputSchema = z.strictObject({ tenant: slugSchema, role: tenantRoleSchema });

export const createUserSchema = z.strictObject({
  email: z.email().max(320),
  name: z.string().trim().min(1).max(200).nullable().optional(),
  password: z.string().min(12).max(1024),
  platformRole: platformRoleSchema.nullable().optional(),
  memberships: z.array(membershipInputSchema).max(1000).optional(),
});
export type CreateUser = z.infer<typeof createUserSchema>;

/** `memberships`, when present, replaces the user's memberships. */
export const updateUserSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).nullable().optional(),
  password: z.string().min(12).max(1024).optional(),
  platformRole: platformRoleSchema.nullable().optional(),
  memberships: z.array(membershipInputSchema).max(1000).optional(),
  disabled: z.boolean().optional(),
});
export type UpdateUser = z.infer<typeof updateUserSchema>;

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  platformRole: platformRoleSchema.nullable(),
  memberships: z.array(membershipSchema),
  disabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type User = z.infer<typeof userSchema>;

export const userListSchema = z.object({ items: z.array(userSchema) });
