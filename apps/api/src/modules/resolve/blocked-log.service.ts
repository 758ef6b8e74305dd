import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ENV, type Env } from '../../config/env.schema.js';
import { LOGGER, type Logger } from '../../common/logging/logger.js';
import { MetricsService } from '../metrics/metrics.service.js';
import type { ShadowDirection } from '@corsplane/contracts';
import { OVERFLOW_ORIGIN } from './blocked-cap.js';
import { BoundedCounts } from './bounded-counts.js';
import { ResolveRepository, shadowKey, type CountTable } from './resolve.repository.js';

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
  private readonly blocked: BoundedCounts;
  /**
   * Shadow differences (SPEC §3): keyed by `direction/reason` (the candidate's reason) in the place of the
   * blocked log's reason; same caps, same flush, table shadow_difference_aggregates.
   */
  private readonly shadow: BoundedCounts;
  private timer: NodeJS.Timeout | null = null;
  private purgeTimer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private closed = false;
  private readonly maxPerTenantHour: number;
  private readonly fromResolve;
  private readonly fromSdk;

  constructor(
    private readonly repo: ResolveRepository,
    private readonly metrics: MetricsService,
    @Inject(ENV) private readonly env: Env,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.maxPerTenantHour = env.BLOCKED_MAX_ORIGINS_PER_TENANT_HOUR;
    const bounds = {
      maxKeys: env.BLOCKED_MAX_KEYS,
      maxPerTenantHour: env.BLOCKED_MAX_ORIGINS_PER_TENANT_HOUR,
    };
    this.blocked = new BoundedCounts({
      ...bounds,
      onOverflow: (n) => metrics.blockedOverflow.inc(n),
    });
    this.shadow = new BoundedCounts(bounds);
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

  /** One refusal seen by /resolve (hot path: a string key and a map update). */
  record(tenantId: string, origin: string, reason: string, now = Date.now()): void {
    this.fromResolve.inc();
    this.blocked.add(tenantId, storedOrigin(origin), reason, 1, now, now);
  }

  /**
   * One shadow difference seen by /resolve (SPEC §3): the candidate would decide otherwise. `key` is
   * shadowKey(direction, candidate reason), prebuilt by shadow.ts (hot path: no string building here).
   */
  recordShadowKey(tenantId: string, origin: string, key: string, now = Date.now()): void {
    this.shadow.add(tenantId, storedOrigin(origin), key, 1, now, now);
  }

  /** Counts an SDK served from its own cache (POST /resolve/events), and its shadow differences. */
  recordBatch(
    tenantId: string,
    events: ReadonlyArray<{
      origin: string;
      reason: string;
      count: number;
      firstSeen: string;
      lastSeen: string;
    }>,
    overflow: number,
    now = Date.now(),
    shadow: ReadonlyArray<{
      origin: string;
      direction: ShadowDirection;
      reason: string;
      count: number;
      firstSeen: string;
      lastSeen: string;
    }> = [],
  ): void {
    let total = overflow;
    for (const e of events) {
      const [first, last] = clientWindow(e, now);
      this.blocked.add(tenantId, storedOrigin(e.origin), e.reason, e.count, first, last);
      total += e.count;
    }
    if (overflow > 0) this.blocked.addOverflow(tenantId, UNSPECIFIED_REASON, overflow, now, now);
    this.fromSdk.inc(total);
    for (const e of shadow) {
      const [first, last] = clientWindow(e, now);
      const key = shadowKey(e.direction, e.reason);
      this.shadow.add(tenantId, storedOrigin(e.origin), key, e.count, first, last);
    }
  }

  /** Counts not yet written, refusals and shadow differences (for tests and shutdown logs). */
  pendingCount(): number {
    return this.blocked.total() + this.shadow.total();
  }

  /** Writes what is pending (one upsert per log); flushes never overlap. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writePending());
    return this.flushing;
  }

  private async writePending(): Promise<void> {
    await this.writeLog('blocked', this.blocked);
    await this.writeLog('shadow', this.shadow);
  }

  private async writeLog(table: CountTable, log: BoundedCounts): Promise<void> {
    if (log.empty) return;
    const batch = log.take();
    try {
      await this.repo.upsertCounts(table, batch, this.maxPerTenantHour);
      this.metrics.blockedFlushKeys.observe(batch.length);
    } catch (err) {
      this.metrics.blockedFlushFailures.inc();
      this.logger.warn(
        { err, rows: batch.length, table },
        'blocked-origin flush failed; keeping the counts',
      );
      log.restore(batch);
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

/** An SDK's window of a count, by its clock: never in the future, first ≤ last. */
function clientWindow(e: { firstSeen: string; lastSeen: string }, now: number): [number, number] {
  const last = Math.min(Date.parse(e.lastSeen), now);
  return [Math.min(Date.parse(e.firstSeen), last), last];
}
