import { OVERFLOW_ORIGIN, tenantHourKey } from './blocked-cap.js';
import type { BlockedRow } from './resolve.repository.js';

const HOUR_MS = 3_600_000;

export interface BoundedCountsOptions {
  /** Distinct itemised keys one window may hold. */
  maxKeys: number;
  /** Itemised keys of one tenant-hour (one tenant's flood cannot crowd out the others). */
  maxPerTenantHour: number;
  /** Told of counts that went to an "(overflow)" row for want of room. */
  onOverflow?: (count: number) => void;
}

/**
 * In-memory counts per (tenant, origin, key, hour) between two flushes, bounded: a window holds at most
 * `maxKeys` itemised keys and at most `maxPerTenantHour` of one tenant-hour; further distinct origins are counted
 * into a per-tenant "(overflow)" row with their key, so totals stay exact. `key` is the blocked log's reason, or
 * a shadow difference's `direction/reason`. One instance per log (BlockedLogService holds the blocked-origin
 * log's and the shadow log's): the same bound for both, written by the same batched upsert (see blocked-cap.ts
 * for the table-side bound).
 */
export class BoundedCounts {
  private pending = new Map<string, BlockedRow>();
  /** Overflow rows, keyed by tenant, key and hour: bounded by tenants × keys, not by origins. */
  private overflow = new Map<string, BlockedRow>();
  /** Itemised keys of each tenant-hour in `pending`. */
  private itemised = new Map<string, number>();

  constructor(private readonly o: BoundedCountsOptions) {}

  add(
    tenantId: string,
    origin: string,
    reason: string,
    count: number,
    first: number,
    last: number,
  ): void {
    const hour = last - (last % HOUR_MS);
    const key = `${tenantId}\n${reason}\n${hour}\n${origin}`;
    const row = this.pending.get(key);
    if (row !== undefined) {
      row.count += count;
      if (first < row.firstSeen) row.firstSeen = first;
      if (last > row.lastSeen) row.lastSeen = last;
    } else if (this.pending.size < this.o.maxKeys && this.admits(tenantId, hour)) {
      this.pending.set(key, {
        tenantId,
        origin,
        reason,
        hour,
        count,
        firstSeen: first,
        lastSeen: last,
      });
    } else {
      this.o.onOverflow?.(count);
      this.addOverflow(tenantId, reason, count, first, last);
    }
  }

  /** Whether one more itemised key fits the tenant-hour (and counts it when it does). */
  private admits(tenantId: string, hour: number): boolean {
    const scope = tenantHourKey(tenantId, hour);
    const n = this.itemised.get(scope) ?? 0;
    if (n >= this.o.maxPerTenantHour) return false;
    this.itemised.set(scope, n + 1);
    return true;
  }

  addOverflow(tenantId: string, reason: string, count: number, first: number, last: number): void {
    const hour = last - (last % HOUR_MS);
    const key = `${tenantId}\n${reason}\n${hour}`;
    const row = this.overflow.get(key);
    if (row !== undefined) {
      row.count += count;
      if (first < row.firstSeen) row.firstSeen = first;
      if (last > row.lastSeen) row.lastSeen = last;
    } else {
      this.overflow.set(key, {
        tenantId,
        origin: OVERFLOW_ORIGIN,
        reason,
        hour,
        count,
        firstSeen: first,
        lastSeen: last,
      });
    }
  }

  /** Counts not yet written. */
  total(): number {
    let n = 0;
    for (const r of this.pending.values()) n += r.count;
    for (const r of this.overflow.values()) n += r.count;
    return n;
  }

  get empty(): boolean {
    return this.pending.size === 0 && this.overflow.size === 0;
  }

  /**
   * Everything pending as rows to upsert, the window started afresh. An overflow row can meet an itemised
   * "(overflow)" key only if an origin is literally "(overflow)": rows are merged by the table's unique key so
   * the upsert never touches a row twice.
   */
  take(): BlockedRow[] {
    const sources = [this.pending, this.overflow];
    this.pending = new Map();
    this.overflow = new Map();
    this.itemised = new Map();
    const rows = new Map<string, BlockedRow>();
    for (const src of sources) {
      for (const r of src.values()) {
        const k = `${r.tenantId}\n${r.reason}\n${r.hour}\n${r.origin}`;
        const row = rows.get(k);
        if (row === undefined) rows.set(k, r);
        else {
          row.count += r.count;
          row.firstSeen = Math.min(row.firstSeen, r.firstSeen);
          row.lastSeen = Math.max(row.lastSeen, r.lastSeen);
        }
      }
    }
    return [...rows.values()];
  }

  /** A failed flush's rows, folded back: beyond the caps they land in overflow rows, never dropped. */
  restore(rows: readonly BlockedRow[]): void {
    for (const r of rows) {
      if (r.origin === OVERFLOW_ORIGIN)
        this.addOverflow(r.tenantId, r.reason, r.count, r.firstSeen, r.lastSeen);
      else this.add(r.tenantId, r.origin, r.reason, r.count, r.firstSeen, r.lastSeen);
    }
  }
}
