import type { BlockedRow } from './resolve.repository.js';

/** The origin of the per-tenant row that counts refusals beyond the itemised caps. */
export const OVERFLOW_ORIGIN = '(overflow)';

/** `tenant \n hour`: the scope of BLOCKED_MAX_ORIGINS_PER_TENANT_HOUR. */
export function tenantHourKey(tenantId: string, hour: number): string {
  return `${tenantId}\n${hour}`;
}

/**
 * The rows a flush may write so that no tenant-hour holds more than `max` itemised rows: a row already in the
 * table (`present`, by batch index) is always updated; a new one is admitted while its tenant-hour has room
 * (`itemised`: rows already in the table, updated as rows are admitted); the rest are added to the
 * "(overflow)" row of their tenant, reason and hour. Counts are only moved, never dropped, so totals stay
 * exact. The result touches each (tenant, origin, reason, hour) once, as one upsert requires.
 */
export function admitWithinCap(
  batch: readonly BlockedRow[],
  present: ReadonlySet<number>,
  itemised: Map<string, number>,
  max: number,
): BlockedRow[] {
  const out = new Map<string, BlockedRow>();
  const put = (r: BlockedRow, origin: string) => {
    const k = `${r.tenantId}\n${r.reason}\n${r.hour}\n${origin}`;
    const row = out.get(k);
    // The overflow row names no refusal: its counts come from many origins.
    if (row === undefined)
      out.set(k, { ...r, origin, refusedName: origin === OVERFLOW_ORIGIN ? null : r.refusedName });
    else {
      row.count += r.count;
      row.firstSeen = Math.min(row.firstSeen, r.firstSeen);
      row.lastSeen = Math.max(row.lastSeen, r.lastSeen);
    }
  };
  batch.forEach((r, i) => {
    if (r.origin === OVERFLOW_ORIGIN || present.has(i)) return put(r, r.origin);
    const scope = tenantHourKey(r.tenantId, r.hour);
    const n = itemised.get(scope) ?? 0;
    if (n < max) {
      itemised.set(scope, n + 1);
      put(r, r.origin);
    } else put(r, OVERFLOW_ORIGIN);
  });
  return [...out.values()];
}
