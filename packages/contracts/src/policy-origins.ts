import { z } from 'zod';
import { pagedSearchQuerySchema } from './common.js';
import { originEntrySchema } from './policy.js';

/** `q` matches the pattern or the note. */
export const originsQuerySchema = pagedSearchQuerySchema;
export type OriginsQuery = z.infer<typeof originsQuerySchema>;

/** One allow-list entry as stored (normalised pattern, nulls for absent fields). */
export const originEntryResponseSchema = z.object({
  pattern: z.string(),
  note: z.string().nullable(),
  expiresAt: z.string().nullable(),
});
export type OriginEntry = z.infer<typeof originEntryResponseSchema>;

export const originListSchema = z.object({
  items: z.array(originEntryResponseSchema),
  /** The live policy version the page was read from. */
  version: z.number().int(),
  nextCursor: z.string().nullable(),
});
export type OriginList = z.infer<typeof originListSchema>;

/** `POST …/policy/origins`: one entry, validated by the engine against the tenant's policy. */
export const addOriginSchema = originEntrySchema;
export type AddOrigin = z.infer<typeof addOriginSchema>;

/** `PATCH …/policy/origins/:pattern`: the pattern is the entry's identity; only its note and expiry change. */
export const patchOriginSchema = z
  .strictObject({
    note: originEntrySchema.shape.note,
    expiresAt: originEntrySchema.shape.expiresAt,
  })
  .refine((b) => b.note !== undefined || b.expiresAt !== undefined, {
    message: 'send note, expiresAt or both',
  });
export type PatchOrigin = z.infer<typeof patchOriginSchema>;

export const originWriteResultSchema = z.object({
  version: z.number().int(),
  entry: originEntryResponseSchema,
});
export type OriginWriteResult = z.infer<typeof originWriteResultSchema>;

export const originDeleteResultSchema = z.object({ version: z.number().int() });
export type OriginDeleteResult = z.infer<typeof originDeleteResultSchema>;

export const importQuerySchema = z.strictObject({
  dryRun: z.enum(['true', 'false']).optional(),
});
export type ImportQuery = z.infer<typeof importQuerySchema>;

/** One refused line of an import: `line` is 1-based (the element number for a JSON array). */
export const importLineErrorSchema = z.object({
  line: z.number().int(),
  value: z.unknown(),
  reason: z.string(),
  message: z.string(),
});
export type ImportLineError = z.infer<typeof importLineErrorSchema>;

export const importResultSchema = z.object({
  added: z.number().int(),
  /** Entries already listed (or listed twice in the import): left as they are. */
  unchanged: z.number().int(),
  errors: z.array(importLineErrorSchema),
  dryRun: z.boolean(),
  /** The live version after the import (unchanged when nothing was added, or on a dry run or error). */
  version: z.number().int(),
});
export type ImportResult = z.infer<typeof importResultSchema>;

export const exportQuerySchema = z.strictObject({
  format: z.enum(['json', 'csv']).default('json'),
});
export type ExportQuery = z.infer<typeof exportQuerySchema>;
