import { z } from 'zod';

export const platformRoleSchema = z.enum(['admin', 'viewer']);
export type PlatformRole = z.infer<typeof platformRoleSchema>;
export const tenantRoleSchema = z.enum(['editor', 'viewer']);
export type TenantRole = z.infer<typeof tenantRoleSchema>;

export const loginSchema = z.strictObject({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024),
});
export type Login = z.infer<typeof loginSchema>;

/** `GET /v1/auth/oidc`: whether the console offers "Sign in with SSO". */
export const ssoStatusSchema = z.object({ enabled: z.boolean() });
export type SsoStatus = z.infer<typeof ssoStatusSchema>;

export const membershipSchema = z.object({ tenant: z.string(), role: tenantRoleSchema });
export type Membership = z.infer<typeof membershipSchema>;

export const meSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  platformRole: platformRoleSchema.nullable(),
  memberships: z.array(membershipSchema),
  authMethod: z.enum(['session', 'token']),
});
export type Me = z.infer<typeof meSchema>;

export const createAdminTokenSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
export type CreateAdminToken = z.infer<typeof createAdminTokenSchema>;

export const adminTokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  /** The token this one was minted with: it never outlives it and is revoked with it. */
  parentId: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type AdminToken = z.infer<typeof adminTokenSchema>;

/** The answer of `POST /v1/auth/tokens`: `token` is shown this once and never stored in clear. */
export const createdAdminTokenSchema = adminTokenSchema.extend({ token: z.string() });
export type CreatedAdminToken = z.infer<typeof createdAdminTokenSchema>;

export const adminTokenListSchema = z.object({ items: z.array(adminTokenSchema) });
