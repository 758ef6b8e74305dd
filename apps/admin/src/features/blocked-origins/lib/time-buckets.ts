import type { BlockedOriginsTimelineQuery } from '@corsplane/contracts';

export type RangeKey = '24h' | '7d' | '30d';
export type BucketSize = BlockedOriginsTimelineQuery['bucket'];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const RANGES: Record<RangeKey, { label: string; count: number; bucket: BucketSize }> = {
  '24h': { label: 'Last 24 hours', count: 24, bucket: 'hour' },
  '7d': { label: 'Last 7 days', count: 7, bucket: 'day' },
  '30d': { label: 'Last 30 days', count: 30, bucket: 'day' },
};

export interface TimeWindow {
  since: string;
  until: string;
  bucket: BucketSize;
  /** Start of each bar, oldest first: what the timeline endpoint answers for this window. */
  starts: string[];
}

const floorTo = (t: number, size: number) => Math.floor(t / size) * size;

/**
 * The window of a range, ending at the next full hour (refusals are stored per hour, so hour-aligned
 * bounds count each one exactly once). Hours: the last `count` hours. Days: the last `count` UTC days,
 * today's (partial) included, as the API buckets days in UTC.
 */
export function windowFor(range: RangeKey, now: number = Date.now()): TimeWindow {
  const { count, bucket } = RANGES[range];
  const until = Math.ceil((now + 1) / HOUR) * HOUR;
  const size = bucket === 'hour' ? HOUR : DAY;
  const since = floorTo(until - 1, size) - (count - 1) * size;
  const starts: string[] = [];
  for (let s = since; s < until; s += size) starts.push(new Date(s).toISOString());
  return {
    since: new Date(since).toISOString(),
    until: new Date(until).toISOString(),
    bucket,
    starts,
  };
}

/** Axis label of a bar: the local hour, or the UTC day (the API's day buckets are UTC days). */
export function bucketLabel(start: string, bucket: BucketSize): string {
  const d = new Date(start);
  return bucket === 'hour'
    ? `${String(d.getHours()).padStart(2, '0')}:00`
    : d.toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
}
