import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { HotCounter, HotHistogram } from './hot-metrics.js';

/**
 * One Prometheus registry per app instance (tests build several apps in one process). Label values are
 * always from closed sets (reasons, cache names, change kinds): an origin never becomes a label. What the
 * /resolve hot path updates per request is a HotCounter or HotHistogram (plain additions, see hot-metrics.ts),
 * handed to prom-client when /metrics is scraped (`scrape`).
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'corsplane_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status, of the requests Fastify answers (the node:http edge, /resolve and /resolve/headers, is counted in corsplane_resolve_*)',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly resolveDecisions = new Counter({
    name: 'corsplane_resolve_decisions_total',
    help: 'Decisions of /resolve and /resolve/headers by reason and whether the request was allowed',
    labelNames: ['reason', 'allowed'] as const,
    registers: [this.registry],
  });
  /** Updated on every /resolve decision: a HotHistogram (plain additions), same exposition. */
  readonly resolveDuration = new HotHistogram(
    'corsplane_resolve_duration_seconds',
    'Time /resolve spends from authentication to the decision (cache lookups, loads on a miss, decide)',
    [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1],
    this.registry,
  );
  private readonly hot: HotCounter[] = [];
  readonly cacheHits = new Counter({
    name: 'corsplane_resolve_cache_hits_total',
    help: 'Resolve cache hits by cache (policy, key, tenant)',
    labelNames: ['cache'] as const,
    registers: [this.registry],
  });
  readonly cacheMisses = new Counter({
    name: 'corsplane_resolve_cache_misses_total',
    help: 'Resolve cache misses by cache (policy, key, tenant)',
    labelNames: ['cache'] as const,
    registers: [this.registry],
  });
  readonly cacheLoads = new Counter({
    name: 'corsplane_resolve_cache_loads_total',
    help: 'Database loads behind the resolve caches (concurrent misses share one load)',
    labelNames: ['cache'] as const,
    registers: [this.registry],
  });
  readonly policyCompiles = new Counter({
    name: 'corsplane_resolve_policy_compiles_total',
    help: 'Effective policies compiled for /resolve (tenant policy and expanded baseline): one per tenant per (tenant version, baseline version) held',
    registers: [this.registry],
  });
  readonly invalidations = new Counter({
    name: 'corsplane_cache_invalidations_received_total',
    help: 'Change notifications received over LISTEN/NOTIFY, by kind (tenant, policy, key, baseline)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly listenerReconnects = new Counter({
    name: 'corsplane_change_listener_reconnects_total',
    help: 'Times the LISTEN connection was lost (every cache is flushed then, and again once listening)',
    registers: [this.registry],
  });
  readonly listenerConnected = new Gauge({
    name: 'corsplane_change_listener_connected',
    help: '1 while the LISTEN connection for cache invalidation is up',
    registers: [this.registry],
  });
  readonly resolveStreamsOpen = new Gauge({
    name: 'corsplane_resolve_streams_open',
    help: 'Open GET /resolve/changes event streams (one per SDK process; limit RESOLVE_STREAM_MAX_CONNECTIONS)',
    registers: [this.registry],
  });
  readonly resolveStreamEvents = new Counter({
    name: 'corsplane_resolve_stream_events_total',
    help: 'Frames written to /resolve/changes streams, by type (policy, revoked, ping)',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });
  readonly resolveStreamsDropped = new Counter({
    name: 'corsplane_resolve_streams_dropped_total',
    help: 'Streams refused or cut by the service, by reason (limit: 503 at the connection limit; slow: a client that did not read; resync: LISTEN re-established)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly blockedFlushKeys = new Histogram({
    name: 'corsplane_blocked_flush_size',
    help: 'Rows (tenant, origin, reason, hour) written per blocked-origin flush',
    buckets: [1, 10, 100, 1000, 5000, 10000, 50000],
    registers: [this.registry],
  });
  readonly blockedEvents = new Counter({
    name: 'corsplane_blocked_events_total',
    help: 'Refusals counted into the blocked-origin log, by source (resolve, sdk)',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });
  readonly blockedOverflow = new Counter({
    name: 'corsplane_blocked_overflow_total',
    help: 'Refusals counted into a per-tenant "(overflow)" row because the distinct-key cap of a flush window was reached',
    registers: [this.registry],
  });
  readonly blockedFlushFailures = new Counter({
    name: 'corsplane_blocked_flush_failures_total',
    help: 'Failed blocked-origin flushes (the counts are kept and retried)',
    registers: [this.registry],
  });

  /**
   * prom-client's defaults have V8 heap used/total (`nodejs_heap_size_*_bytes`) and external memory
   * (`nodejs_external_memory_bytes`), not array buffers alone: read at scrape time.
   */
  readonly arrayBuffers = new Gauge({
    name: 'corsplane_process_array_buffers_bytes',
    help: 'Memory of ArrayBuffers and SharedArrayBuffers (Buffers included), from process.memoryUsage()',
    registers: [this.registry],
    collect() {
      this.set(process.memoryUsage().arrayBuffers);
    },
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /**
   * A counter child for the hot path (/resolve cache hits, decisions): `inc()` is a plain addition, handed to
   * prom-client at scrape time. Label values from closed sets only, as everywhere here.
   */
  hotCounter(child: { inc(value: number): void }): HotCounter {
    const c = new HotCounter(child);
    this.hot.push(c);
    return c;
  }

  /** The exposition text of /metrics, with the hot counters folded in first. */
  scrape(): Promise<string> {
    for (const c of this.hot) c.fold();
    return this.registry.metrics();
  }
}
