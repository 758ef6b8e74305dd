import { Inject, Injectable } from '@nestjs/common';
import { ENV, type Env } from '../../config/env.schema.js';
import { secretShape } from '../../common/crypto/secrets.js';
import { ApiKeysService, KEY_KIND } from '../api-keys/api-keys.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { DatabaseCircuit, LOOKUP_TIMEOUT_MS } from './database-circuit.service.js';
import { cacheCounters, negativeBounds, StaleIfErrorCache } from './stale-if-error-cache.js';
import { UnknownKeyThrottle, UnknownKeysThrottledError } from './unknown-key-throttle.js';

/** A verified /resolve key: a tenant key (tenantId set) or a platform key (tenantId null). */
export interface ResolveKey {
  keyId: string;
  prefix: string;
  tenantId: string | null;
  tenantSlug: string | null;
}

/** Longest secret worth looking at: real keys are ~60 characters. */
const MAX_SECRET_LENGTH = 200;

/** The client a lookup is counted against by the unknown-key throttle (computed only on a miss). */
export type ClientOf = () => string;

/**
 * Verified keys by the presented secret, so a cache hit is one map lookup: no hash, no query, no promise.
 * The secret itself is the map key (≤ 200 characters, at most RESOLVE_KEY_CACHE_MAX of them, held only while
 * verified): a hash table lookup leaks no usable timing, and a SHA-256 per request was a tenth of the hot
 * path. Unknown or revoked secrets are remembered apart (RESOLVE_NEGATIVE_CACHE_MAX, short TTL) so a flood of
 * wrong keys neither reaches PostgreSQL nor evicts good keys. A secret whose checksum fails is refused before
 * any lookup; one that could be real (checksum valid, or a legacy key made before checksums) is looked up at
 * most RESOLVE_UNKNOWN_KEYS_PER_CLIENT times per window per client when it turns out unknown
 * (UnknownKeyThrottle). Generations, negative entries, shared loads and stale-if-error: StaleIfErrorCache (a
 * key verified before the database became unreachable keeps working through the outage; a key never seen
 * cannot be verified, so `verify` throws DatabaseUnavailableError and the caller answers 503, not 401).
 */
@Injectable()
export class KeyCacheService {
  private readonly cache: StaleIfErrorCache<string, ResolveKey>;
  private readonly throttle: UnknownKeyThrottle;

  constructor(
    private readonly keys: ApiKeysService,
    metrics: MetricsService,
    @Inject(ENV) env: Env,
    private readonly circuit: DatabaseCircuit,
  ) {
    this.cache = new StaleIfErrorCache<string, ResolveKey>({
      max: env.RESOLVE_KEY_CACHE_MAX,
      ttlMs: env.RESOLVE_KEY_CACHE_TTL_SECONDS * 1000,
      negative: negativeBounds(env),
      metrics: cacheCounters(metrics, 'key'),
      load: async (secret) => {
        const principal = await this.circuit.run(() => this.keys.verify(secret), LOOKUP_TIMEOUT_MS);
        if (!principal) return undefined;
        return {
          keyId: principal.keyId,
          prefix: principal.prefix,
          tenantId: principal.tenantId,
          tenantSlug: principal.tenantSlug,
        };
      },
    });
    this.throttle = new UnknownKeyThrottle(
      env.RESOLVE_UNKNOWN_KEYS_PER_CLIENT,
      env.RESOLVE_UNKNOWN_KEYS_WINDOW_SECONDS * 1000,
      env.RESOLVE_NEGATIVE_CACHE_MAX,
    );
  }

  /**
   * The cached answer for a secret: the key, null (known unknown or malformed), undefined (look it up).
   * Counted as a cache hit unless `countHit` is false.
   */
  cached(secret: string, countHit = true): ResolveKey | null | undefined {
    if (secret.length === 0 || secret.length > MAX_SECRET_LENGTH) return null;
    return this.cache.peek(secret, countHit);
  }

  /**
   * The key for a presented secret, or null (unknown, malformed or revoked). Throws DatabaseUnavailableError
   * when the secret must be looked up and PostgreSQL is unreachable, and UnknownKeysThrottledError when it
   * must be looked up and the client (`client()`, its address) has presented too many unknown keys lately.
   * `client` null is the service re-checking a key it verified before (a change stream after a key change):
   * never throttled.
   */
  async verify(secret: string, client: ClientOf | string | null = ''): Promise<ResolveKey | null> {
    const known = this.cached(secret);
    if (known !== undefined) return known;
    if (secretShape(secret, KEY_KIND) === 'malformed') return null;
    const who = typeof client === 'function' ? client() : client;
    const wait = who === null ? 0 : this.throttle.retryAfterSeconds(who);
    if (wait > 0) throw new UnknownKeysThrottledError(wait);
    const key = await this.cache.get(secret);
    if (key === null && who !== null) this.throttle.recordUnknown(who);
    return key;
  }

  /** Milliseconds the cached verification of `secret` stays fresh (0: not cached). Counts no hit. */
  freshForMs(secret: string): number {
    return this.cache.freshForMs(secret);
  }

  /** Counts a hit served from an answer remembered from this cache (see ResolveService). */
  countHit(): void {
    this.cache.countHit();
  }

  /** Grows whenever a cached verification may have changed (see StaleIfErrorCache.changes). */
  get changes(): number {
    return this.cache.changes;
  }

  /** A key was created or revoked (tenantId null: a platform key): forget that scope's keys and all unknowns. */
  invalidateTenant(tenantId: string | null): void {
    this.cache.deleteWhere((key) => key.tenantId === tenantId);
  }

  clear(): void {
    this.cache.clear();
  }

  /** Every verified key is out of date: re-checked on next use, kept only if the database is unreachable. */
  markStale(): void {
    this.cache.markStale();
  }
}
