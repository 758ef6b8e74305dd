import { z } from 'zod';
import { membershipSchema, platformRoleSchema, tenantRoleSchema } from './auth.js';
import { slugSchema } from './common.js';

/** `POST /v1/invitations`: the same role and membership shape as `POST /v1/users`, without a password. */
export const createInvitationSchema = z.strictObject({
  email: z.email().max(320),
  name: z.string().trim().min(1).max(200).nullable().optional(),
  platformRole: platformRoleSchema.nullable().optional(),
  memberships: z
    .array(z.strictObject({ tenant: slugSchema, role: tenantRoleSchema }))
    .max(1000)
    .optional(),
});
export type CreateInvitation = z.infer<typeof createInvitationSchema>;

/** A pending invitation, as platform admins list it (never the token). */
export const invitationSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  platformRole: platformRoleSchema.nullable(),
  memberships: z.array(membershipSchema),
  createdBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
});
export type Invitation = z.infer<typeof invitationSchema>;

/** The answer of `POST /v1/invitations`: `link` (holding the token) is shown this once and never stored. */
export const createdInvitationSchema = invitationSchema.extend({ link: z.string() });
export type CreatedInvitation = z.infer<typeof createdInvitationSchema>;

export const invitationListSchema = z.object({ items: z.array(invitationSchema) });

/** The token of an invitation link: base64url, bounded before it is hashed. */
export const invitationTokenSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9_-]+$/, 'not an invitation token');

/** `POST /v1/invitations/lookup`: what the invitation page shows before the password is chosen. */
export const invitationLookupSchema = z.strictObject({ token: invitationTokenSchema });
export type InvitationLookup = z.infer<typeof invitationLookupSchema>;

export const invitationPreviewSchema = z.object({
  email: z.string(),
  name: z.string().nullable(),
  expiresAt: z.string(),
});
export type InvitationPreview = z.infer<typeof invitationPreviewSchema>;

/** `POST /v1/invitations/accept`: the new user's password (the same strength rule as user creation). */
export const acceptInvitationSchema = z.strictObject({
  token: invitationTokenSchema,
  password: z.string().min(12).max(1024),
  name: z.string().trim().min(1).max(200).nullable().optional(),
});
export type AcceptInvitation = z.infer<typeof acceptInvitationSchema>;
