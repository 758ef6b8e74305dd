import { admitWithinCap, OVERFLOW_ORIGIN, tenantHourKey } from './blocked-cap.js';
import type { BlockedRow } from './resolve.repository.js';

const T = '00000000-0000-4000-8000-000000000001';
const H = Date.UTC(2026, 11, 2, 13);
const row = (origin: string, count = 1, reason = 'origin-not-allowed'): BlockedRow => ({
  tenantId: T,
  origin,
  reason,
  hour: H,
  count,
  firstSeen: H + 1,
  lastSeen: H + 2,
});
const total = (rows: BlockedRow[]) => rows.reduce((n, r) => n + r.count, 0);

describe('admitWithinCap', () => {
  it('admits new origins while the tenant-hour has room and moves the rest to (overflow), totals exact', () => {
    const batch = ['a', 'b', 'c', 'd'].map((o, i) => row(`https://${o}.example`, i + 1));
    const itemised = new Map([[tenantHourKey(T, H), 1]]);
    const out = admitWithinCap(batch, new Set(), itemised, 3);
    expect(out.map((r) => [r.origin, r.count])).toEqual([
      ['https://a.example', 1],
      ['https://b.example', 2],
      [OVERFLOW_ORIGIN, 7],
    ]);
    expect(total(out)).toBe(total(batch));
    expect(itemised.get(tenantHourKey(T, H))).toBe(3);
  });

  it('always updates rows already in the table, and merges into an existing (overflow) row of the batch', () => {
    const batch = [
      row('https://old.example', 5),
      row(OVERFLOW_ORIGIN, 2),
      row('https://new.example', 3),
    ];
    const out = admitWithinCap(batch, new Set([0]), new Map([[tenantHourKey(T, H), 9]]), 9);
    expect(out.map((r) => [r.origin, r.count])).toEqual([
      ['https://old.example', 5],
      [OVERFLOW_ORIGIN, 5],
    ]);
  });

  it('keeps one overflow row per reason', () => {
    const batch = [row('https://x.example', 1, 'expired'), row('https://y.example', 1)];
    const out = admitWithinCap(batch, new Set(), new Map(), 0);
    expect(out.map((r) => [r.origin, r.reason])).toEqual([
      [OVERFLOW_ORIGIN, 'expired'],
      [OVERFLOW_ORIGIN, 'origin-not-allowed'],
    ]);
  });
});
