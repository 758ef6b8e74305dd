import { z } from 'zod';
import { bigintIdSchema, slugSchema } from './common.js';

export const auditQuerySchema = z.strictObject({
  tenant: slugSchema.optional(),
  actor: z.string().max(320).optional(),
  action: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** Cursor: the `id` of the last event of the previous page. */
  before: bigintIdSchema.optional(),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditEventSchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.object({
    type: z.enum(['user', 'key', 'system']),
    id: z.string().nullable(),
    label: z.string(),
  }),
  action: z.string(),
  tenant: z.string().nullable(),
  target: z.object({ type: z.string(), id: z.string().nullable() }).nullable(),
  before: z.unknown(),
  after: z.unknown(),
  requestId: z.string().nullable(),
  /** The writer's change note (SPEC §4.1), or null. */
  note: z.string().nullable(),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

export const auditListSchema = z.object({
  items: z.array(auditEventSchema),
  nextCursor: z.string().nullable(),
});
export type AuditList = z.infer<typeof auditListSchema>;
