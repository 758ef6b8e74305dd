import { z } from 'zod';
import { timeWindowCheck } from './common.js';

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
  /**
   * The refused method, or the refused header names joined with ", ", as the latest such refusal named them;
   * null for other reasons and for refusals recorded before it was kept.
   */
  refusedName: z.string().nullable(),
  /**
   * The tenant's live policy version when the live policy allows this refusal now (the origin with the refused
   * method or headers; fixed by "Allow" or by hand), else null: the console marks such rows instead of
   * offering "Allow" again.
   */
  allowedInVersion: z.number().int().nullable(),
  count: z.number().int(),
  firstSeen: z.string(),
  lastSeen: z.string(),
});
export type BlockedOrigin = z.infer<typeof blockedOriginSchema>;

/**
 * The request a blocked row stands for, as far as the log knows it, in simulate's terms (corsRequestOf turns it
 * into the engine's): the origin, and the refused method or header names as a preflight (GET is safelisted, so
 * a header row tests its headers only). Null when the row cannot be replayed: a malformed origin, a method or
 * header row from before names were kept, SDK-only reasons. The API marks rows allowed now with it, and the
 * console's "Allow" asks simulate what to fix with it.
 */
export function requestOfBlocked(row: {
  origin: string;
  reason: string;
  refusedName: string | null;
}): {
  origin: string;
  method?: string;
  headers?: string;
  privateNetwork?: boolean;
  preflight: boolean;
} | null {
  switch (row.reason) {
    case 'origin-not-allowed':
    case 'expired':
      return { origin: row.origin, preflight: false };
    case 'method-not-allowed':
      return row.refusedName === null
        ? null
        : { origin: row.origin, method: row.refusedName, preflight: true };
    case 'header-not-allowed':
      return row.refusedName === null
        ? null
        : { origin: row.origin, method: 'GET', headers: row.refusedName, preflight: true };
    case 'private-network-not-allowed':
      return { origin: row.origin, method: 'GET', privateNetwork: true, preflight: true };
    default:
      return null;
  }
}

export const blockedOriginListSchema = z.object({ items: z.array(blockedOriginSchema) });
export type BlockedOriginList = z.infer<typeof blockedOriginListSchema>;

/** The size of a timeline's buckets: a UTC hour or a UTC day. */
export const bucketSizeSchema = z.enum(['hour', 'day']);

/** The window of a timeline query: `since`, `until` and the bucket size (hour unless asked). */
export const timelineWindowFields = {
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  bucket: bucketSizeSchema.default('hour'),
};

/** Longest window `GET …/blocked-origins/timeline` accepts. */
export const BLOCKED_ORIGINS_TIMELINE_MAX_DAYS = 90;

/**
 * `?since=&until=&bucket=&q=` of the refusals timeline. `until` defaults to now, `since` to 24 hours
 * (bucket=hour) or 30 days (bucket=day) before `until`; the window must be positive and at most
 * {@link BLOCKED_ORIGINS_TIMELINE_MAX_DAYS} days.
 */
export const blockedOriginsTimelineQuerySchema = z
  .strictObject({ ...timelineWindowFields, q: z.string().max(200).optional() })
  .superRefine(timeWindowCheck(BLOCKED_ORIGINS_TIMELINE_MAX_DAYS));
export type BlockedOriginsTimelineQuery = z.infer<typeof blockedOriginsTimelineQuerySchema>;

/** One bar of the timeline: refusals counted from `start` (UTC hour or UTC day) to the next bucket. */
export const timelineBucketSchema = z.object({
  start: z.string(),
  count: z.number().int(),
});
export type TimelineBucket = z.infer<typeof timelineBucketSchema>;

/**
 * Refusals over time. Zero-filled: one bucket per hour or UTC day from the bucket holding `since` to the
 * one holding `until` (exclusive), oldest first, so a chart draws `buckets` as they come.
 */
export const blockedOriginsTimelineSchema = z.object({
  bucket: bucketSizeSchema,
  /** The window counted, `since` floored to its bucket. */
  since: z.string(),
  until: z.string(),
  buckets: z.array(timelineBucketSchema),
});
export type BlockedOriginsTimeline = z.infer<typeof blockedOriginsTimelineSchema>;
