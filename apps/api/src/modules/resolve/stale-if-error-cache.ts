import { LRUCache } from 'lru-cache';
import type { Env } from '../../config/env.schema.js';
import { isDatabaseUnavailable } from '../../common/errors/database-unavailable.js';
import type { MetricsService } from '../metrics/metrics.service.js';

/** How often the caches' clock is read: ages are this coarse (TTLs are seconds to minutes long). */
const TTL_RESOLUTION_MS = 100;

/** A stale value served because the database is unreachable is served for this long, then tried again. */
export const STALE_RETRY_MS = 1000;

interface Slot<V> {
  value: V;
  /** The generation it was loaded in: an older one is stale (see markStale). */
  gen: number;
}

interface Counter {
  inc(): void;
}

export interface StaleIfErrorCacheOptions<K extends string, V extends object> {
  /** Loads one value; undefined: it does not exist (remembered as a negative entry when those are kept). */
  load: (key: K) => Promise<V | undefined>;
  max: number;
  ttlMs: number;
  /** Weight against maxSize (both or neither). */
  maxSize?: number;
  sizeOf?: (value: V) => number;
  /** Bounded, short-lived memory of keys that do not exist, so a flood of them reaches the database once. */
  negative?: { max: number; ttlMs: number };
  /** The TTL of a value loaded now, when not the default (e.g. short while change notifications are down). */
  ttlNow?: () => number | undefined;
  metrics: { hit: Counter; miss: Counter; load: Counter };
}

/**
 * One cache rule for everything the resolve path looks up in PostgreSQL (keys, slugs, policies):
 *
 * - **hit**: a value of the current generation is returned synchronously (`peek`): no promise, no query;
 * - **generation check**: `markStale` makes every value out of date at once (change notifications may have
 *   been missed); an out-of-date value is reloaded on its next use and kept as the fallback meanwhile;
 * - **negative entries**: a key found not to exist is remembered apart (bounded, short TTL), so it neither
 *   reaches the database again nor evicts real values;
 * - **one load per key**: concurrent misses share one load (lru-cache fetchMethod); a load aborted because
 *   an invalidation deleted the key meanwhile is retried (from the changed data);
 * - **stale-if-error**: when a reload finds the database unreachable, the last known value is served again
 *   (retried every STALE_RETRY_MS) instead of an error; a key never loaded has nothing to fall back on and
 *   the DatabaseUnavailableError propagates (the caller answers 503).
 *
 * Memory stays bounded by the LRU limits given.
 */
export class StaleIfErrorCache<K extends string, V extends object> {
  private readonly values: LRUCache<K, Slot<V>>;
  private readonly absent: LRUCache<K, true> | null;
  private gen = 0;
  private changeCount = 0;

  constructor(private readonly opts: StaleIfErrorCacheOptions<K, V>) {
    const { sizeOf } = opts;
    this.values = new LRUCache<K, Slot<V>>({
      max: opts.max,
      ttl: opts.ttlMs,
      // Ages are read from a coarse clock, not on every hit.
      ttlResolution: TTL_RESOLUTION_MS,
      ...(opts.maxSize !== undefined && sizeOf !== undefined
        ? { maxSize: opts.maxSize, sizeCalculation: (s: Slot<V>) => sizeOf(s.value) }
        : {}),
      // A stale value stays until its reload succeeds, fails for another reason, or finds the key gone.
      noDeleteOnStaleGet: true,
      fetchMethod: async (key, stale, { options }) => {
        const ttl = opts.ttlNow?.();
        if (ttl !== undefined) options.ttl = ttl;
        opts.metrics.load.inc();
        const gen = this.gen;
        let value;
        try {
          value = await opts.load(key);
        } catch (err) {
          if (stale === undefined || !isDatabaseUnavailable(err)) throw err;
          options.ttl = STALE_RETRY_MS;
          return { value: stale.value, gen };
        }
        this.changeCount++;
        if (value === undefined) {
          this.absent?.set(key, true);
          return undefined;
        }
        return { value, gen };
      },
    });
    this.absent =
      opts.negative === undefined
        ? null
        : new LRUCache<K, true>({ max: opts.negative.max, ttl: opts.negative.ttlMs });
  }

  /**
   * The current value (counted as a hit unless `countHit` is false), null when the key is known not to exist
   * (a hit too), undefined when it must be loaded (`get`). Synchronous: the hot path awaits nothing on a hit.
   */
  peek(key: K, countHit = true): V | null | undefined {
    const slot = this.values.get(key);
    if (slot !== undefined && slot.gen === this.gen) {
      if (countHit) this.opts.metrics.hit.inc();
      return slot.value;
    }
    if (this.absent !== null && this.absent.get(key) !== undefined) {
      if (countHit) this.opts.metrics.hit.inc();
      return null;
    }
    return undefined;
  }

  /** The value, loading it when `peek` has none; null when it does not exist. */
  async get(key: K): Promise<V | null> {
    const known = this.peek(key);
    if (known !== undefined) return known;
    this.opts.metrics.miss.inc();
    // A value of an older generation is reloaded, and kept as the fallback while that runs.
    const forceRefresh = this.values.peek(key, { allowStale: true }) !== undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        const slot = await this.values.fetch(key, { forceRefresh });
        return slot?.value ?? null;
      } catch (e) {
        // An invalidation deleted the key while it loaded (lru-cache aborts that fetch): load the new data.
        if (attempt < 3 && isAbort(e)) continue;
        throw e;
      }
    }
  }

  /**
   * Milliseconds the current value of `key` stays fresh (0: none, or out of date), read without counting a
   * hit: what is derived from the value (ResolveService's remembered answers) must not outlive it.
   */
  freshForMs(key: K): number {
    const slot = this.values.peek(key);
    if (slot === undefined || slot.gen !== this.gen) return 0;
    // Ages are read from a clock up to ttlResolution old: count that as spent.
    return Math.max(0, this.values.getRemainingTTL(key) - TTL_RESOLUTION_MS);
  }

  /** Counts a hit served from something derived from this cache's values (a remembered answer). */
  countHit(): void {
    this.opts.metrics.hit.inc();
  }

  /**
   * Grows whenever what `peek` answers may have changed (a load, a deletion, markStale): anything derived from
   * the values while it had one number is still true while it keeps it.
   */
  get changes(): number {
    return this.changeCount;
  }

  delete(key: K): void {
    this.changeCount++;
    this.values.delete(key);
  }

  /** Deletes the values for which `drop` is true (and every negative entry: what did not exist may now). */
  deleteWhere(drop: (value: V) => boolean): void {
    this.changeCount++;
    for (const [key, slot] of this.values.entries()) if (drop(slot.value)) this.values.delete(key);
    this.absent?.clear();
  }

  clearNegative(): void {
    this.changeCount++;
    this.absent?.clear();
  }

  clear(): void {
    this.changeCount++;
    this.values.clear();
    this.absent?.clear();
  }

  /** Every value is out of date: reloaded on next use, served as it is only if the database is unreachable. */
  markStale(): void {
    this.changeCount++;
    this.gen++;
    this.absent?.clear();
  }

  get size(): number {
    return this.values.size;
  }

  get calculatedSize(): number {
    return this.values.calculatedSize;
  }
}

export function isAbort(e: unknown): boolean {
  return e instanceof Error && e.message === 'deleted';
}

/** The hit, miss and load counters of one cache (label values from a closed set). */
export function cacheCounters(metrics: MetricsService, cache: 'key' | 'policy' | 'tenant') {
  return {
    hit: metrics.hotCounter(metrics.cacheHits.labels(cache)),
    miss: metrics.cacheMisses.labels(cache),
    load: metrics.cacheLoads.labels(cache),
  };
}

/** The negative entries' bounds (unknown keys, unknown slugs): RESOLVE_NEGATIVE_CACHE_*. */
export function negativeBounds(env: Env): { max: number; ttlMs: number } {
  return {
    max: env.RESOLVE_NEGATIVE_CACHE_MAX,
    ttlMs: env.RESOLVE_NEGATIVE_CACHE_TTL_SECONDS * 1000,
  };
}
