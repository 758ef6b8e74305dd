const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** The window of a timeline asked for without `since`. */
const DEFAULT_WINDOW_MS = { hour: DAY_MS, day: 30 * DAY_MS } as const;

export type BucketSize = 'hour' | 'day';

/** The start of the UTC hour or day holding `t`. */
export function floorTo(t: number, bucket: BucketSize): number {
  const size = bucket === 'hour' ? HOUR_MS : DAY_MS;
  return Math.floor(t / size) * size;
}

/**
 * The buckets of a timeline over [since, until): counts are kept per hour, so `since` is floored to its bucket
 * and the last bucket is the one holding `until`. `until` defaults to now, `since` to a day (hourly buckets) or
 * 30 days (daily) before it. `from` and `to` are the first and last bucket starts.
 */
export function timelineWindow(q: { since?: string; until?: string; bucket: BucketSize }): {
  from: Date;
  to: Date;
  until: Date;
} {
  const until = q.until ? Date.parse(q.until) : Date.now();
  const since = q.since ? Date.parse(q.since) : until - DEFAULT_WINDOW_MS[q.bucket];
  return {
    from: new Date(floorTo(since, q.bucket)),
    to: new Date(floorTo(until - 1, q.bucket)),
    until: new Date(until),
  };
}
