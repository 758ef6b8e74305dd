import { OVERFLOW_ORIGIN } from './blocked-cap.js';
import { BoundedCounts } from './bounded-counts.js';
import type { BlockedRow } from './resolve.repository.js';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const H = Date.UTC(2026, 11, 3, 10);
const HOUR = 3_600_000;
const REFUSED = 'origin-not-allowed';
const total = (rows: readonly BlockedRow[]) => rows.reduce((n, r) => n + r.count, 0);
const byOrigin = (rows: readonly BlockedRow[]) =>
  Object.fromEntries(rows.map((r) => [`${r.tenantId.slice(-1)} ${r.reason} ${r.origin}`, r.count]));

describe('BoundedCounts', () => {
  it('counts one row per (tenant, origin, key, hour), with first and last seen', () => {
    const c = new BoundedCounts({ maxKeys: 10, maxPerTenantHour: 10 });
    c.add(A, 'https://a.example', REFUSED, 1, H + 5, H + 5);
    c.add(A, 'https://a.example', REFUSED, 2, H + 1, H + 9);
    c.add(A, 'https://a.example', 'method-not-allowed', 1, H + 3, H + 3);
    c.add(B, 'https://a.example', REFUSED, 1, H + 3, H + 3);
    c.add(A, 'https://a.example', REFUSED, 1, H + HOUR, H + HOUR);
    const rows = c.take();
    expect(rows).toHaveLength(4);
    expect(rows[0]).toEqual({
      tenantId: A,
      origin: 'https://a.example',
      reason: REFUSED,
      hour: H,
      count: 3,
      firstSeen: H + 1,
      lastSeen: H + 9,
      refusedName: null,
    });
    expect(rows.find((r) => r.hour === H + HOUR)?.count).toBe(1);
    expect(c.empty).toBe(true);
  });

  it('keeps the refused names of the latest refusal', () => {
    const c = new BoundedCounts({ maxKeys: 10, maxPerTenantHour: 10 });
    c.add(A, 'https://a.example', 'method-not-allowed', 1, H + 5, H + 5, 'PUT');
    c.add(A, 'https://a.example', 'method-not-allowed', 1, H + 2, H + 2, 'DELETE');
    c.add(A, 'https://a.example', 'method-not-allowed', 1, H + 7, H + 7, 'PATCH');
    expect(c.take()[0]?.refusedName).toBe('PATCH');
  });

  it('caps one tenant-hour across its keys, counting the rest under (overflow) with exact totals', () => {
    const overflowed: number[] = [];
    const c = new BoundedCounts({
      maxKeys: 100,
      maxPerTenantHour: 3,
      onOverflow: (n) => overflowed.push(n),
    });
    for (let i = 0; i < 5; i++) c.add(A, `https://o${i}.example`, i % 2 ? 'x' : REFUSED, 1, H, H);
    // The cap is per tenant-hour: another tenant, and the next hour, have their own room.
    c.add(B, 'https://b.example', REFUSED, 4, H, H);
    c.add(A, 'https://later.example', REFUSED, 1, H + HOUR, H + HOUR);
    expect(c.total()).toBe(10);
    const rows = c.take();
    expect(total(rows)).toBe(10);
    expect(byOrigin(rows)).toEqual({
      [`a ${REFUSED} https://o0.example`]: 1,
      'a x https://o1.example': 1,
      [`a ${REFUSED} https://o2.example`]: 1,
      'a x (overflow)': 1,
      [`a ${REFUSED} (overflow)`]: 1,
      [`b ${REFUSED} https://b.example`]: 4,
      [`a ${REFUSED} https://later.example`]: 1,
    });
    expect(overflowed).toEqual([1, 1]);
  });

  it('caps the whole window at maxKeys, and an origin already counted still counts in its row', () => {
    const c = new BoundedCounts({ maxKeys: 2, maxPerTenantHour: 10 });
    c.add(A, 'https://a.example', REFUSED, 1, H, H);
    c.add(B, 'https://b.example', REFUSED, 1, H, H);
    c.add(B, 'https://c.example', REFUSED, 1, H, H);
    c.add(A, 'https://a.example', REFUSED, 1, H, H);
    expect(byOrigin(c.take())).toEqual({
      [`a ${REFUSED} https://a.example`]: 2,
      [`b ${REFUSED} https://b.example`]: 1,
      [`b ${REFUSED} (overflow)`]: 1,
    });
  });

  it('starts afresh after take(): the caps count the new window only', () => {
    const c = new BoundedCounts({ maxKeys: 1, maxPerTenantHour: 1 });
    c.add(A, 'https://a.example', REFUSED, 1, H, H);
    c.take();
    c.add(A, 'https://b.example', REFUSED, 1, H, H);
    expect(c.take().map((r) => r.origin)).toEqual(['https://b.example']);
  });

  it('folds a failed flush back in: merged with new counts, beyond the caps into (overflow), nothing dropped', () => {
    const c = new BoundedCounts({ maxKeys: 10, maxPerTenantHour: 2 });
    c.add(A, 'https://a.example', REFUSED, 1, H, H);
    c.add(A, 'https://b.example', REFUSED, 1, H, H);
    c.add(A, 'https://c.example', REFUSED, 1, H, H);
    const failed = c.take();
    c.add(A, 'https://new.example', REFUSED, 5, H, H);
    c.restore(failed);
    const rows = c.take();
    expect(total(rows)).toBe(8);
    expect(byOrigin(rows)).toEqual({
      [`a ${REFUSED} https://new.example`]: 5,
      [`a ${REFUSED} https://a.example`]: 1,
      [`a ${REFUSED} (overflow)`]: 2,
    });
  });

  it('merges an itemised origin literally named "(overflow)" with the overflow row', () => {
    const c = new BoundedCounts({ maxKeys: 10, maxPerTenantHour: 1 });
    c.add(A, OVERFLOW_ORIGIN, REFUSED, 2, H, H);
    c.add(A, 'https://b.example', REFUSED, 3, H, H);
    expect(byOrigin(c.take())).toEqual({ [`a ${REFUSED} (overflow)`]: 5 });
  });
});
