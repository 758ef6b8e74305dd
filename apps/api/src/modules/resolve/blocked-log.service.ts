import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { refusedNameWithin } from '@corsplane/contracts';
import { ENV, type Env } from '../../config/env.schema.js';
import { LOGGER, type Logger } from '../../common/logging/logger.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { OVERFLOW_ORIGIN, tenantHourKey } from './blocked-cap.js';
import { ResolveRepository, type BlockedRow } from './resolve.repository.js';

const HOUR_MS = 3_600_000;
/**
 * Longest origin stored. Hostile values can be 2 KB and more (the engine refuses anything over 2,048 bytes as
 * malformed); 512 UTF-16 units stay well under PostgreSQL's btree entry limit even at 4 UTF-8 bytes each.
 */
export const MAX_STORED_ORIGIN_LENGTH = 512;
export { OVERFLOW_ORIGIN };
/** Reason of SDK overflow counts, which come without one. */
export const UNSPECIFIED_REASON = 'unspecified';

/** What the blocked log stores for an origin: bounded length, no NUL (PostgreSQL text refuses it). */
export function storedOrigin(origin: string): string {
  let o =
    origin.length > MAX_STORED_ORIGIN_LENGTH ? origin.slice(0, MAX_STORED_ORIGIN_LENGTH) : origin;
  // A cut between the halves of a surrogate pair would leave a lone half: drop it.
  const last = o.charCodeAt(o.length - 1);
  if (o.length === MAX_STORED_ORIGIN_LENGTH && last >= 0xd800 && last <= 0xdbff) o = o.slice(0, -1);
  return o.includes('\u0000') ? o.replaceAll('\u0000', '\ufffd') : o;
}

/**
 * The blocked-origin log: every refusal (and report-only would-be refusal) counted per tenant, origin, reason
 * and hour in memory, then written by one batched upsert per flush (every BLOCKED_FLUSH_INTERVAL_MS, and on
 * shutdown). Memory is bounded: a window holds at most BLOCKED_MAX_KEYS distinct keys, and at most
 * BLOCKED_MAX_ORIGINS_PER_TENANT_HOUR of one tenant-hour (so one tenant's flood cannot crowd out the others);
 * further distinct origins are counted into a per-tenant "(overflow)" row with their reason, so totals stay
 * exact. The table is bounded the same way across flushes and replicas (ResolveRepository.upsertBlocked): per
 * tenant, at most (BLOCKED_MAX_ORIGINS_PER_TENANT_HOUR + reasons) rows per hour of retention. A failed flush
 * keeps its counts (folded into the same bounded maps) for the next one.
 */
@Injectable()
export class BlockedLogService implements OnModuleInit, OnApplicationShutdown {
  private pending = new Map<string, BlockedRow>();
  /** Overflow rows, keyed by tenant, reason and hour: bounded by tenants × reasons, not by origins. */
  private overflow = new Map<string, BlockedRow>();
  /** Itemised keys of each tenant-hour in `pending`. */
  private itemised = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private purgeTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly maxKeys: number;
  private readonly maxPerTenantHour: number;
  private readonly fromResolve;
  private readonly fromSdk;

  constructor(
    private readonly repo: ResolveRepository,
    private readonly metrics: MetricsService,
    @Inject(ENV) private readonly env: Env,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.maxKeys = env.BLOCKED_MAX_KEYS;
    this.maxPerTenantHour = env.BLOCKED_MAX_ORIGINS_PER_TENANT_HOUR;
    this.fromResolve = metrics.blockedEvents.labels('resolve');
    this.fromSdk = metrics.blockedEvents.labels('sdk');
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), this.env.BLOCKED_FLUSH_INTERVAL_MS);
    this.timer.unref();
    void this.purge();
    this.purgeTimer = setInterval(() => void this.purge(), HOUR_MS);
    this.purgeTimer.unref();
  }

  /**
   * One refusal seen by /resolve (hot path: a string key and a map update). `refusedName`: the refused method or
   * header names (explain()'s refusedName), kept per row as the latest refusal named them.
   */
  record(
    tenantId: string,
    origin: string,
    reason: string,
    now = Date.now(),
    refusedName: string | null = null,
  ): void {
    this.fromResolve.inc();
    this.add(tenantId, storedOrigin(origin), reason, 1, now, now, refusedNameWithin(refusedName));
  }

  /** Counts an SDK served from its own cache (POST /resolve/events). */
  recordBatch(
    tenantId: string,
    events: ReadonlyArray<{
      origin: string;
      reason: string;
      refusedName?: string;
      count: number;
      firstSeen: string;
      lastSeen: string;
    }>,
    overflow: number,
    now = Date.now(),
  ): void {
    let total = overflow;
    for (const e of events) {
      // Clients' clocks: never in the future, first ≤ last.
      const last = Math.min(Date.parse(e.lastSeen), now);
      const first = Math.min(Date.parse(e.firstSeen), last);
      this.add(
        tenantId,
        storedOrigin(e.origin),
        e.reason,
        e.count,
        first,
        last,
        refusedNameWithin(e.refusedName ?? null),
      );
      total += e.count;
    }
    if (overflow > 0) this.addOverflow(tenantId, UNSPECIFIED_REASON, overflow, now, now);
    this.fromSdk.inc(total);
  }

  private add(
    tenantId: string,
    origin: string,
    reason: string,
    count: number,
    first: number,
    last: number,
    refusedName: string | null = null,
  ): void {
    const hour = last - (last % HOUR_MS);
    const key = `${tenantId}\n${reason}\n${hour}\n${origin}`;
    const row = this.pending.get(key);
    if (row !== undefined) {
      row.count += count;
      if (first < row.firstSeen) row.firstSeen = first;
      if (last >= row.lastSeen && refusedName !== null) row.refusedName = refusedName;
      if (last > row.lastSeen) row.lastSeen = last;
    } else if (this.pending.size < this.maxKeys && this.admits(tenantId, hour)) {
      this.pending.set(key, {
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
      this.metrics.blockedOverflow.inc(count);
      this.addOverflow(tenantId, reason, count, first, last);
    }
  }

  /** Whether one more itemised key fits the tenant-hour (and counts it when it does). */
  private admits(tenantId: string, hour: number): boolean {
    const scope = tenantHourKey(tenantId, hour);
    const n = this.itemised.get(scope) ?? 0;
    if (n >= this.maxPerTenantHour) return false;
    this.itemised.set(scope, n + 1);
    return true;
  }

  private addOverflow(
    tenantId: string,
    reason: string,
    count: number,
    first: number,
    last: number,
  ) {
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

  /** Counts not yet written (for tests and shutdown logs). */
  pendingCount(): number {
    let n = 0;
    for (const r of this.pending.values()) n += r.count;
    for (const r of this.overflow.values()) n += r.count;
    return n;
  }

  /** Writes what is pending in one statement; flushes never overlap. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writePending());
    return this.flushing;
  }

  private async writePending(): Promise<void> {
    if (this.pending.size === 0 && this.overflow.size === 0) return;
    const pending = this.pending;
    const overflow = this.overflow;
    this.pending = new Map();
    this.overflow = new Map();
    this.itemised = new Map();
    // An overflow row can meet an itemised "(overflow)" key only if an origin is literally "(overflow)":
    // merge by the table's unique key so the upsert never touches a row twice.
    const rows = new Map<string, BlockedRow>();
    for (const src of [pending, overflow]) {
      for (const r of src.values()) {
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
    const batch = [...rows.values()];
    try {
      await this.repo.upsertBlocked(batch, this.maxPerTenantHour);
      this.metrics.blockedFlushKeys.observe(batch.length);
    } catch (err) {
      this.metrics.blockedFlushFailures.inc();
      this.logger.warn(
        { err, rows: batch.length },
        'blocked-origin flush failed; keeping the counts',
      );
      // Fold back into the (bounded) maps: beyond the cap they land in overflow rows, never dropped.
      for (const r of batch) {
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

  async purge(now = Date.now()): Promise<void> {
    const before = new Date(now - this.env.BLOCKED_RETENTION_DAYS * 24 * HOUR_MS);
    try {
      const n = await this.repo.purgeBlockedBefore(before);
      if (n > 0) this.logger.info({ rows: n, before }, 'purged old blocked-origin rows');
    } catch (err) {
      this.logger.warn({ err }, 'blocked-origin retention purge failed');
    }
  }

  /** After the HTTP server closed: a last flush (retried briefly), then the resolve pool is closed. */
  async onApplicationShutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (this.purgeTimer) clearInterval(this.purgeTimer);
    for (let attempt = 0; attempt < 3; attempt++) {
      await this.flush();
      if (this.pendingCount() === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const lost = this.pendingCount();
    if (lost > 0)
      this.logger.error(
        { refusals: lost },
        'blocked-origin counts could not be written at shutdown',
      );
    await this.repo.end();
  }
}
