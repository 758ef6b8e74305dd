export type RangeKey = '24h' | '7d' | '30d';

export interface Bucket {
  since: string;
  until: string;
  label: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const RANGES: Record<RangeKey, { label: string; count: number; size: number }> = {
  '24h': { label: 'Last 24 hours', count: 24, size: HOUR },
  '7d': { label: 'Last 7 days', count: 7, size: DAY },
  '30d': { label: 'Last 30 days', count: 30, size: DAY },
};

/**
 * Consecutive windows ending at the next full hour (the API stores refusals in hourly buckets, so
 * hour-aligned windows count each refusal exactly once).
 */
export function bucketsFor(range: RangeKey, now: number = Date.now()): Bucket[] {
  const { count, size } = RANGES[range];
  const end = Math.ceil((now + 1) / HOUR) * HOUR;
  const out: Bucket[] = [];
  for (let i = count; i > 0; i--) {
    const since = end - i * size;
    const d = new Date(since);
    out.push({
      since: new Date(since).toISOString(),
      until: new Date(since + size).toISOString(),
      label:
        size === HOUR
          ? `${String(d.getHours()).padStart(2, '0')}:00`
          : d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' }),
    });
  }
  return out;
}
