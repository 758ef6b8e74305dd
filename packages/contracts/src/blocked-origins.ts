import { z } from 'zod';

export const blockedOriginsQuerySchema = z.strictObject({
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type BlockedOriginsQuery = z.infer<typeof blockedOriginsQuerySchema>;

export const blockedOriginSchema = z.object({
  origin: z.string(),
  reason: z.string(),
  count: z.number().int(),
  firstSeen: z.string(),
  lastSeen: z.string(),
});
export type BlockedOrigin = z.infer<typeof blockedOriginSchema>;

export const blockedOriginListSchema = z.object({ items: z.array(blockedOriginSchema) });
