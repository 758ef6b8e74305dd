import { describe, expect, it } from '@jest/globals';
import { bucketLabel, windowFor } from './time-buckets.js';

const now = Date.parse('2026-03-10T14:25:00Z');

describe('windowFor', () => {
  it('24h: the last 24 hours up to the next full hour, one bar per hour', () => {
    const w = windowFor('24h', now);
    expect(w).toMatchObject({
      bucket: 'hour',
      since: '2026-03-09T15:00:00.000Z',
      until: '2026-03-10T15:00:00.000Z',
    });
    expect(w.starts).toHaveLength(24);
    expect(w.starts[0]).toBe(w.since);
    expect(w.starts[23]).toBe('2026-03-10T14:00:00.000Z');
  });

  it('7d and 30d: whole UTC days, today (partial) last, as the API buckets them', () => {
    const w = windowFor('7d', now);
    expect(w).toMatchObject({
      bucket: 'day',
      since: '2026-03-04T00:00:00.000Z',
      until: '2026-03-10T15:00:00.000Z',
    });
    expect(w.starts).toEqual([
      '2026-03-04T00:00:00.000Z',
      '2026-03-05T00:00:00.000Z',
      '2026-03-06T00:00:00.000Z',
      '2026-03-07T00:00:00.000Z',
      '2026-03-08T00:00:00.000Z',
      '2026-03-09T00:00:00.000Z',
      '2026-03-10T00:00:00.000Z',
    ]);
    expect(windowFor('30d', now).starts).toHaveLength(30);
  });

  it('an instant on the hour still ends at the next hour', () => {
    const w = windowFor('24h', Date.parse('2026-03-10T14:00:00Z'));
    expect(w.until).toBe('2026-03-10T15:00:00.000Z');
    expect(w.starts).toHaveLength(24);
  });
});

describe('bucketLabel', () => {
  it('labels days by their UTC date', () => {
    expect(bucketLabel('2026-03-04T00:00:00.000Z', 'day')).toMatch(/4/);
    expect(bucketLabel('2026-03-04T00:00:00.000Z', 'hour')).toMatch(/^\d\d:00$/);
  });
});
