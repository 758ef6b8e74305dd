import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { ENV, type Env } from '../../config/env.schema.js';
import { LOGGER, type Logger } from '../../common/logging/logger.js';
import type { Change } from '../changes/changes.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { ChangeListenerService } from './change-listener.service.js';
import type { ResolveKey } from './key-cache.service.js';
import { PolicyCacheService } from './policy-cache.service.js';
import { ResolveService } from './resolve.service.js';
import { PING_FRAME, sseFrame, type SseStream } from './sse-stream.js';

/** One open `GET /resolve/changes` stream and what it listens to. */
export interface Subscription {
  stream: SseStream;
  key: ResolveKey;
  /** The `Authorization` header it was opened with: re-verified when its key scope changes; never logged. */
  authorization: string;
  /** Tenant id → slug of the tenants it follows; null: every tenant (a platform key without `tenant=`). */
  tenants: Map<string, string> | null;
}

const REVOKED_KEY = sseFrame('revoked', '{}');

/**
 * The subscriptions of `GET /resolve/changes` (SPEC §5) and the events they get. Fed by the change listener
 * (LISTEN/NOTIFY: every process receives every change after its commit, and after the caches dropped the stale
 * entries): a policy change → `event: policy` to the streams following that tenant (and the policy load is
 * started then, so the SDKs' refetch finds it loaded or loading: one load per change per process); a deleted
 * tenant → `event: revoked` (tenant key: `{}` and the stream ends; platform key: `{"tenant"}` and it goes on); a
 * key change in a stream's key scope → its key is verified again, and a revoked key gets `revoked` and the end.
 * When notifications may have been missed (LISTEN re-established), every stream is ended: clients reconnect and
 * revalidate by ETag. Lookups by tenant and by key scope are maps: a change costs the streams it concerns.
 * Bounded by RESOLVE_STREAM_MAX_CONNECTIONS; one heartbeat timer writes `: ping` to every stream.
 */
@Injectable()
export class ResolveChangesService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly all = new Set<Subscription>();
  private readonly byTenant = new Map<string, Set<Subscription>>();
  private readonly everyTenant = new Set<Subscription>();
  /** By the key's tenant id (null: platform keys): a `key` change names that scope. */
  private readonly byKeyScope = new Map<string | null, Set<Subscription>>();
  private heartbeat: NodeJS.Timeout | null = null;
  private closing = false;
  private readonly max: number;
  private readonly heartbeatMs: number;
  private readonly m;

  constructor(
    listener: ChangeListenerService,
    private readonly policies: PolicyCacheService,
    private readonly resolver: ResolveService,
    metrics: MetricsService,
    @Inject(ENV) env: Env,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.max = env.RESOLVE_STREAM_MAX_CONNECTIONS;
    this.heartbeatMs = env.RESOLVE_STREAM_HEARTBEAT_SECONDS * 1000;
    this.m = {
      open: metrics.resolveStreamsOpen,
      policy: metrics.resolveStreamEvents.labels('policy'),
      revoked: metrics.resolveStreamEvents.labels('revoked'),
      ping: metrics.resolveStreamEvents.labels('ping'),
      limit: metrics.resolveStreamsDropped.labels('limit'),
      slow: metrics.resolveStreamsDropped.labels('slow'),
      resync: metrics.resolveStreamsDropped.labels('resync'),
    };
    listener.observe({
      changed: (change) => this.changed(change),
      missed: () => this.endAll('resync'),
    });
  }

  onModuleInit(): void {
    this.heartbeat = setInterval(() => this.ping(), this.heartbeatMs);
    this.heartbeat.unref();
  }

  /** False at the connection limit or while shutting down: the caller answers 503 + Retry-After. */
  get accepting(): boolean {
    return !this.closing && this.all.size < this.max;
  }

  /** Counts a stream refused at the limit. */
  refused(): void {
    this.m.limit.inc();
  }

  /**
   * Registers a stream (call it before the response head is written: a change committed after the client saw
   * the head reaches it). It is forgotten when its response closes, whoever closes it.
   */
  subscribe(sub: Subscription): void {
    this.all.add(sub);
    if (sub.tenants === null) this.everyTenant.add(sub);
    else for (const id of sub.tenants.keys()) addTo(this.byTenant, id, sub);
    addTo(this.byKeyScope, sub.key.tenantId, sub);
    this.m.open.set(this.all.size);
    sub.stream.onClose(() => this.unsubscribe(sub));
  }

  private unsubscribe(sub: Subscription): void {
    if (!this.all.delete(sub)) return;
    if (sub.stream.slow) this.m.slow.inc();
    this.everyTenant.delete(sub);
    if (sub.tenants !== null)
      for (const id of sub.tenants.keys()) removeFrom(this.byTenant, id, sub);
    removeFrom(this.byKeyScope, sub.key.tenantId, sub);
    this.m.open.set(this.all.size);
  }

  private changed(change: Change): void {
    const tenantId = typeof change.tenantId === 'string' ? change.tenantId : null;
    switch (change.kind) {
      case 'policy':
        if (tenantId === null) this.endAll('resync');
        else void this.policyChanged(tenantId, change);
        return;
      case 'tenant':
        if (tenantId !== null && change.deleted === true) this.tenantDeleted(tenantId, change.slug);
        return;
      case 'key':
        void this.keysChanged(tenantId);
        return;
      case 'baseline':
        if (typeof change.version === 'number') void this.baselineChanged(change.version);
        else this.endAll('resync');
        return;
      default:
        // A change this process does not understand: its streams cannot say what it means. Start over.
        this.endAll('resync');
    }
  }

  private async policyChanged(tenantId: string, change: Change): Promise<void> {
    if (this.byTenant.get(tenantId) === undefined && this.everyTenant.size === 0) return;
    // Load now (once per change per process): the followers' refetch finds it cached.
    const entry = await this.policies.policy(tenantId).catch(() => undefined);
    if (entry === undefined) return;
    // The event carries the effective version (tenant + baseline), which only the loaded entry knows. Should
    // that load have fallen back to the entry held before the change (database unreachable), the notified
    // tenant version still counts, so the SDKs refetch.
    const slug = change.slug ?? entry.slug;
    const version = Math.max(change.version ?? 0, entry.tenantVersion) + entry.baselineVersion;
    // A candidate change (SPEC §3) keeps `version` and moves `candidateVersion`: SDKs refetch on either.
    const candidateVersion = Math.max(change.candidateVersion ?? 0, entry.candidateVersion);
    const frame = sseFrame(
      'policy',
      JSON.stringify(
        candidateVersion > 0
          ? { tenant: slug, version, candidateVersion }
          : { tenant: slug, version },
      ),
    );
    let sent = 0;
    for (const sub of this.byTenant.get(tenantId) ?? []) if (sub.stream.write(frame)) sent++;
    for (const sub of this.everyTenant) if (sub.stream.write(frame)) sent++;
    this.m.policy.inc(sent);
  }

  /**
   * The platform baseline changed (one notification): every tenant's effective version moved, so each stream
   * gets a `policy` event for each tenant it follows (every tenant, for a platform key without `tenant=`). One
   * query per process reads the tenants' own versions; nothing is loaded or compiled here: the SDKs' refetches
   * do that, once per tenant per process.
   */
  private async baselineChanged(baselineVersion: number): Promise<void> {
    if (this.all.size === 0) return;
    let rows;
    try {
      rows = await this.policies.tenantVersions(
        this.everyTenant.size > 0 ? null : [...this.byTenant.keys()],
      );
    } catch (err) {
      // Without the versions no event can be right: the streams start over and revalidate by ETag.
      this.logger.warn({ err }, 'change stream: baseline change without tenant versions; resync');
      this.endAll('resync');
      return;
    }
    let sent = 0;
    for (const row of rows) {
      const frame = sseFrame(
        'policy',
        JSON.stringify({ tenant: row.slug, version: row.version + baselineVersion }),
      );
      for (const sub of this.byTenant.get(row.id) ?? []) if (sub.stream.write(frame)) sent++;
      for (const sub of this.everyTenant) if (sub.stream.write(frame)) sent++;
    }
    this.m.policy.inc(sent);
  }

  private tenantDeleted(tenantId: string, slug: string | undefined): void {
    for (const sub of [...(this.byTenant.get(tenantId) ?? [])]) {
      if (sub.key.tenantId === tenantId) {
        this.revoke(sub);
        continue;
      }
      const named = sub.tenants?.get(tenantId) ?? slug;
      sub.tenants?.delete(tenantId);
      removeFrom(this.byTenant, tenantId, sub);
      if (sub.stream.write(sseFrame('revoked', JSON.stringify({ tenant: named }))))
        this.m.revoked.inc();
    }
    if (slug === undefined || this.everyTenant.size === 0) return;
    const frame = sseFrame('revoked', JSON.stringify({ tenant: slug }));
    let sent = 0;
    for (const sub of this.everyTenant) if (sub.stream.write(frame)) sent++;
    this.m.revoked.inc(sent);
  }

  /** A key of this scope was created or revoked: each stream of the scope checks its own key again. */
  private async keysChanged(scope: string | null): Promise<void> {
    const subs = [...(this.byKeyScope.get(scope) ?? [])];
    await Promise.all(
      subs.map(async (sub) => {
        // Concurrent checks of one secret share one lookup (the key cache); a re-check is never throttled.
        const out = await this.resolver.authenticate(sub.authorization, null);
        if (!('status' in out)) return;
        // 503: the database cannot tell now; the key keeps its stream (as the key cache keeps serving it).
        if (out.status === 401) this.revoke(sub);
      }),
    ).catch((err: unknown) => this.logger.error({ err }, 'change stream: key re-check failed'));
  }

  /** `event: revoked` / `data: {}`, and the end: the key, or the tenant key's tenant, is gone. */
  private revoke(sub: Subscription): void {
    if (!sub.stream.isOpen) return;
    this.m.revoked.inc();
    sub.stream.end(REVOKED_KEY);
  }

  private ping(): void {
    let sent = 0;
    for (const sub of this.all) if (sub.stream.write(PING_FRAME)) sent++;
    this.m.ping.inc(sent);
  }

  /** Ends every stream cleanly (no event): the SDKs reconnect and revalidate what they hold by ETag. */
  private endAll(reason: 'resync' | 'shutdown'): void {
    if (reason === 'resync' && this.all.size > 0) this.m.resync.inc(this.all.size);
    for (const sub of [...this.all]) sub.stream.end();
  }

  /** Before the HTTP server closes: an open stream would keep it (and app.close()) waiting forever. */
  beforeApplicationShutdown(): void {
    this.closing = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.endAll('shutdown');
  }
}

function addTo<K>(index: Map<K, Set<Subscription>>, key: K, sub: Subscription): void {
  let set = index.get(key);
  if (set === undefined) index.set(key, (set = new Set()));
  set.add(sub);
}

function removeFrom<K>(index: Map<K, Set<Subscription>>, key: K, sub: Subscription): void {
  const set = index.get(key);
  if (set === undefined) return;
  set.delete(sub);
  if (set.size === 0) index.delete(key);
}
