import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import pg from 'pg';
import { ENV, type Env } from '../../config/env.schema.js';
import { LOGGER, type Logger } from '../../common/logging/logger.js';
import { ChangesService, type Change } from '../changes/changes.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { KeyCacheService } from './key-cache.service.js';
import { PolicyCacheService } from './policy-cache.service.js';

/** Told of changes once the caches are invalidated (see ChangeListenerService.observe). */
export interface ChangeObserver {
  changed(change: Change): void;
  missed(): void;
}

/** The NOTIFY channel every API process listens on. */
export const CHANGES_CHANNEL = 'corsplane_changes';
/** application_name of the LISTEN connection (operators and the replica test find it by this). */
export const LISTENER_APPLICATION_NAME = 'corsplane-listener';

const HEARTBEAT_MS = 5_000;
const BACKOFF_MIN_MS = 100;
const BACKOFF_MAX_MS = 5_000;

/**
 * Cache invalidation across replicas. Every change (tenant, policy, key) runs `pg_notify` inside its own
 * transaction, so PostgreSQL delivers it exactly when the change commits, to every process (this one too).
 * A dedicated connection (not the Prisma pool) LISTENs and drops the named entries. When that connection is
 * lost, every cache entry is marked stale at once (reloaded on its next use; kept and served only when that
 * reload finds the database unreachable, so cached tenants survive a database outage), and again after
 * LISTEN succeeds (anything may have changed in between). Until then entries get a 1 s
 * TTL, so staleness stays bounded and a flood still costs at most one load per tenant per second. The caches'
 * own TTL remains the safety net.
 */
@Injectable()
export class ChangeListenerService implements OnModuleInit, OnApplicationShutdown {
  private client: pg.Client | null = null;
  private stopped = false;
  private backoff = BACKOFF_MIN_MS;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private readonly databaseUrl: string;
  private readonly observers: ChangeObserver[] = [];

  constructor(
    private readonly changes: ChangesService,
    private readonly policies: PolicyCacheService,
    private readonly keys: KeyCacheService,
    private readonly metrics: MetricsService,
    @Inject(ENV) env: Env,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    if (!env.DATABASE_URL) throw new Error('DATABASE_URL is not resolved');
    this.databaseUrl = env.DATABASE_URL;
  }

  async onModuleInit(): Promise<void> {
    this.changes.onChange(async (db, change) => {
      await db.$executeRaw`SELECT pg_notify(${CHANGES_CHANNEL}, ${JSON.stringify(change)})`;
    });
    this.policies.setDegraded(true);
    await this.connect().catch((err: unknown) => {
      this.logger.warn({ err }, 'change listener could not connect; retrying');
      this.scheduleReconnect();
    });
  }

  /** True while LISTEN is active (the caches are then invalidated by notifications). */
  get listening(): boolean {
    return this.client !== null;
  }

  /**
   * For the change streams: `changed` after the caches dropped what a change makes stale (so a refetch it
   * prompts loads the new data); `missed` when notifications may have been lost (LISTEN re-established, an
   * unreadable payload).
   */
  observe(observer: ChangeObserver): void {
    this.observers.push(observer);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.databaseUrl,
      application_name: LISTENER_APPLICATION_NAME,
      keepAlive: true,
    });
    let lost = false;
    const onLost = (err?: unknown) => {
      if (lost) return;
      lost = true;
      void client.end().catch(() => undefined);
      if (this.client === client) this.connectionLost(err);
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (msg) => this.onNotification(msg.channel, msg.payload));
    await client.connect();
    await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    if (this.stopped || lost) {
      await client.end().catch(() => undefined);
      if (lost) throw new Error('listener connection lost while subscribing');
      return;
    }
    this.client = client;
    this.backoff = BACKOFF_MIN_MS;
    // Notifications sent while we were not listening are gone: start from the database again. Marked stale
    // rather than dropped: should the resolve pool still fail (it notices the database is back up to 1 s
    // later), the last known answers are served instead of a 503.
    this.markAllStale();
    this.policies.setDegraded(false);
    for (const o of this.observers) o.missed();
    this.metrics.listenerConnected.set(1);
    this.heartbeat = setInterval(() => {
      // A half-open TCP connection never errors by itself: a round trip every few seconds finds it.
      client.query('SELECT 1').catch(onLost);
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
    this.logger.info('change listener: LISTEN ' + CHANGES_CHANNEL);
  }

  private connectionLost(err?: unknown): void {
    this.client = null;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.metrics.listenerConnected.set(0);
    if (this.stopped) return;
    this.metrics.listenerReconnects.inc();
    this.policies.setDegraded(true);
    this.markAllStale();
    this.logger.warn(
      { err },
      'change listener lost its connection: cached entries marked stale, reconnecting',
    );
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    const delay = this.backoff;
    this.backoff = Math.min(this.backoff * 2, BACKOFF_MAX_MS);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect().catch((err: unknown) => {
        this.logger.warn({ err }, 'change listener reconnect failed');
        this.scheduleReconnect();
      });
    }, delay);
    this.reconnectTimer.unref();
  }

  private onNotification(channel: string, payload: string | undefined): void {
    if (channel !== CHANGES_CHANNEL || !payload) return;
    let change: Change;
    try {
      change = JSON.parse(payload) as Change;
    } catch {
      this.flushAll();
      for (const o of this.observers) o.missed();
      return;
    }
    this.apply(change);
    for (const o of this.observers) o.changed(change);
  }

  /** Drops what a change makes stale. Unknown shapes flush everything (fail safe). */
  apply(change: Change): void {
    const tenantId = typeof change.tenantId === 'string' ? change.tenantId : null;
    switch (change.kind) {
      case 'policy':
        this.metrics.invalidations.labels('policy').inc();
        if (tenantId === null) this.policies.clear();
        else this.policies.invalidatePolicy(tenantId);
        return;
      case 'baseline':
        // Every tenant's effective policy: each is recompiled lazily, on its next use.
        this.metrics.invalidations.labels('baseline').inc();
        this.policies.baselineChanged();
        return;
      case 'key':
        this.metrics.invalidations.labels('key').inc();
        this.keys.invalidateTenant(tenantId);
        return;
      case 'tenant':
        this.metrics.invalidations.labels('tenant').inc();
        this.policies.invalidateTenant(tenantId);
        // Deleting a tenant deletes its keys; renaming changes the slug they answer with.
        this.keys.clear();
        return;
      default:
        this.metrics.invalidations.labels('unknown').inc();
        this.flushAll();
    }
  }

  private markAllStale(): void {
    this.policies.markStale();
    this.keys.markStale();
  }

  private flushAll(): void {
    this.policies.clear();
    this.keys.clear();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
