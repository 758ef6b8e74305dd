import { z } from 'zod';
import { changeNoteSchema, limitSchema, timeWindowCheck } from './common.js';
import { bucketSizeSchema, timelineWindowFields } from './blocked-origins.js';
import { policySchema } from './policy.js';
import { shadowDirectionSchema } from './resolve.js';

/**
 * `GET/PUT …/policy/candidate` (SPEC §4.1): the same document as the policy. `version` is the candidate's own
 * (its ETag, `"<version>"`), which only grows across saves, deletes and promotes.
 */
export const candidateResponseSchema = policySchema.extend({
  version: z.number().int().min(1),
  updatedAt: z.string(),
  actor: z.string(),
  note: z.string().nullable(),
});
export type CandidatePolicy = z.infer<typeof candidateResponseSchema>;

/** `POST …/policy/candidate/promote` body (optional): a change note, and the candidate version reviewed. */
export const promoteBodySchema = z.strictObject({
  note: changeNoteSchema.optional(),
  /** When given, the candidate must still be at this version (412 otherwise): what was reviewed is what goes live. */
  candidateVersion: z.number().int().min(1).optional(),
});
export type PromoteBody = z.infer<typeof promoteBodySchema>;

/** Longest window `GET …/candidate/impact` sums over. */
export const CANDIDATE_IMPACT_MAX_DAYS = 90;

/**
 * `?since=&until=&limit=&cursor=` of the impact: `until` defaults to now, `since` to 7 days before `until`;
 * the window is at most {@link CANDIDATE_IMPACT_MAX_DAYS} days. Rows are paged (`limit` 1–500, default 100);
 * totals cover the whole window.
 */
export const candidateImpactQuerySchema = z
  .strictObject({
    since: z.iso.datetime({ offset: true }).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
    limit: limitSchema,
    /** The `nextCursor` of the previous page (longer than other lists' cursors: it holds an origin). */
    cursor: z
      .string()
      .max(1400)
      .regex(/^[A-Za-z0-9_-]+$/, 'must be the nextCursor of a previous page')
      .optional(),
  })
  .superRefine(timeWindowCheck(CANDIDATE_IMPACT_MAX_DAYS));
export type CandidateImpactQuery = z.infer<typeof candidateImpactQuerySchema>;

/** One row of the impact: requests of `origin` the candidate would answer differently, over the window. */
export const candidateImpactRowSchema = z.object({
  origin: z.string(),
  direction: shadowDirectionSchema,
  /** The candidate's reason (`origin-not-allowed`… for would-block, `exact-match`… for would-allow). */
  reason: z.string(),
  count: z.number().int(),
  firstSeen: z.string(),
  lastSeen: z.string(),
});
export type CandidateImpactRow = z.infer<typeof candidateImpactRowSchema>;

export const candidateImpactSchema = z.object({
  /** The window counted: `since` floored to its hour (counts are kept per hour). */
  since: z.string(),
  until: z.string(),
  /** Most counted first; `nextCursor` fetches the next page. */
  rows: z.array(candidateImpactRowSchema),
  nextCursor: z.string().nullable(),
  /** Over the whole window, every page: requests and distinct origins per direction. */
  totals: z.object({
    wouldBlock: z.number().int(),
    wouldAllow: z.number().int(),
    wouldBlockOrigins: z.number().int(),
    wouldAllowOrigins: z.number().int(),
  }),
});
export type CandidateImpact = z.infer<typeof candidateImpactSchema>;

/**
 * `?since=&until=&bucket=` of the impact timeline: `until` defaults to now, `since` to 24 hours (bucket=hour)
 * or 30 days (bucket=day) before `until`; the window is at most {@link CANDIDATE_IMPACT_MAX_DAYS} days.
 */
export const candidateImpactTimelineQuerySchema = z
  .strictObject(timelineWindowFields)
  .superRefine(timeWindowCheck(CANDIDATE_IMPACT_MAX_DAYS));
export type CandidateImpactTimelineQuery = z.infer<typeof candidateImpactTimelineQuerySchema>;

/**
 * The shadow differences over time, for the candidate page's chart, in one request. Zero-filled: one bucket
 * per hour or UTC day from the bucket holding `since` to the one holding `until` (exclusive), oldest first.
 */
export const candidateImpactTimelineSchema = z.object({
  bucket: bucketSizeSchema,
  /** The window counted, `since` floored to its bucket. */
  since: z.string(),
  until: z.string(),
  buckets: z.array(
    z.object({
      start: z.string(),
      wouldBlock: z.number().int(),
      wouldAllow: z.number().int(),
    }),
  ),
});
export type CandidateImpactTimeline = z.infer<typeof candidateImpactTimelineSchema>;
