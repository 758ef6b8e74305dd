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

/** The pending rows of one (tenant, key, hour), by origin. */
interface Scope {
  readonly tenantId: string;
  readonly reason: string;
  readonly hour: number;
  readonly rows: Map<string, BlockedRow>;
  /** Itemised rows of the scope's tenant-hour, shared by every key of it. */
  readonly tenantHour: { itemised: number };
}

/**
 * In-memory counts per (tenant, origin, key, hour) between two flushes, bounded: a window holds at most
 * `maxKeys` itemised keys and at most `maxPerTenantHour` of one tenant-hour; further distinct origins are counted
 * into a per-tenant "(overflow)" row with their key, so totals stay exact. `key` is the blocked log's reason, or
 * a shadow difference's `direction/reason`. One instance per log (BlockedLogService holds the blocked-origin
 * log's and the shadow log's): the same bound for both, written by the same batched upsert (see blocked-cap.ts
 * for the table-side bound).
 *
 * `add` is on /resolve's hot path: rows are grouped by tenant, key and hour in nested maps, so an add hashes
 * only the request's origin and builds no key string.
 */
export class BoundedCounts {
  /** Pending itemised rows, by tenant, then key, then hour. */
  private scopes = new Map<string, Map<string, Map<number, Scope>>>();
  /** Itemised rows across all scopes (bounded by `maxKeys`). */
  private size = 0;
  /** Itemised rows per tenant-hour. */
  private tenantHours = new Map<string, { itemised: number }>();
  /** Overflow rows, keyed by tenant, key and hour: bounded by tenants × keys, not by origins. */
  private overflow = new Map<string, BlockedRow>();

  constructor(private readonly o: BoundedCountsOptions) {}

  add(
    tenantId: string,
    origin: string,
    reason: string,
    count: number,
    first: number,
    last: number,
    refusedName: string | null = null,
  ): void {
    const hour = last - (last % HOUR_MS);
    const scope = this.scopeOf(tenantId, reason, hour);
    const row = scope.rows.get(origin);
    if (row !== undefined) {
      row.count += count;
      if (first < row.firstSeen) row.firstSeen = first;
      // The row keeps the latest refusal's refused names (blocked log only).
      if (last >= row.lastSeen && refusedName !== null) row.refusedName = refusedName;
      if (last > row.lastSeen) row.lastSeen = last;
    } else if (this.size < this.o.maxKeys && scope.tenantHour.itemised < this.o.maxPerTenantHour) {
      this.size++;
      scope.tenantHour.itemised++;
      scope.rows.set(origin, {
        tenantId,
        origin,
        reason,
        hour,
        count,
        firstSeen: first,
        lastSeen: last,
        refusedName,
      });
    } else {
      this.o.onOverflow?.(count);
      this.addOverflow(tenantId, reason, count, first, last);
    }
  }

  /**
   * The scope of (tenant, key, hour). Nested maps, not one composite key: the tenant id and the key are the same
   * string objects request after request (their hashes are cached), so the lookups cost no string building.
   */
  private scopeOf(tenantId: string, reason: string, hour: number): Scope {
    let byKey = this.scopes.get(tenantId);
    if (byKey === undefined) this.scopes.set(tenantId, (byKey = new Map()));
    let byHour = byKey.get(reason);
    if (byHour === undefined) byKey.set(reason, (byHour = new Map()));
    let scope = byHour.get(hour);
    if (scope === undefined) {
      const th = tenantHourKey(tenantId, hour);
      let tenantHour = this.tenantHours.get(th);
      if (tenantHour === undefined) this.tenantHours.set(th, (tenantHour = { itemised: 0 }));
      scope = { tenantId, reason, hour, rows: new Map(), tenantHour };
      byHour.set(hour, scope);
    }
    return scope;
  }

  private *pendingRows(): Generator<BlockedRow> {
    for (const byKey of this.scopes.values())
      for (const byHour of byKey.values())
        for (const scope of byHour.values()) yield* scope.rows.values();
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
    for (const r of this.pendingRows()) n += r.count;
    for (const r of this.overflow.values()) n += r.count;
    return n;
  }

  get empty(): boolean {
    return this.size === 0 && this.overflow.size === 0;
  }

  /**
   * Everything pending as rows to upsert, the window started afresh. An overflow row can meet an itemised
   * "(overflow)" key only if an origin is literally "(overflow)": rows are merged by the table's unique key so
   * the upsert never touches a row twice.
   */
  take(): BlockedRow[] {
    const sources = [[...this.pendingRows()], [...this.overflow.values()]];
    this.scopes = new Map();
    this.size = 0;
    this.tenantHours = new Map();
    this.overflow = new Map();
    const rows = new Map<string, BlockedRow>();
    for (const src of sources) {
      for (const r of src) {
        const k = `${r.tenantId}\n${r.reason}\n${r.hour}\n${r.origin}`;
        const row = rows.get(k);
        if (row === undefined) rows.set(k, r);
        else {
          if (r.lastSeen >= row.lastSeen && r.refusedName) row.refusedName = r.refusedName;
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
      else
        this.add(
          r.tenantId,
          r.origin,
          r.reason,
          r.count,
          r.firstSeen,
          r.lastSeen,
          r.refusedName ?? null,
        );
    }
  }
}
