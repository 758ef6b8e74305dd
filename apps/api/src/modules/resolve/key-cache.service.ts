import crypto from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { ENV, type Env } from '../../config/env.schema.js';
import { isDatabaseUnavailable } from '../../common/errors/database-unavailable.js';
import { secretShape } from '../../common/crypto/secrets.js';
import { ApiKeysService, KEY_KIND } from '../api-keys/api-keys.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { DatabaseCircuit, LOOKUP_TIMEOUT_MS } from './database-circuit.service.js';
import { UnknownKeyThrottle, UnknownKeysThrottledError } from './unknown-key-throttle.js';

/** A verified /resolve key: a tenant key (tenantId set) or a platform key (tenantId null). */
export interface ResolveKey {
  keyId: string;
  prefix: string;
  tenantId: string | null;
  tenantSlug: string | null;
}

interface Entry {
  key: ResolveKey;
  /** SHA-256 of the secret, compared in constant time on every hit. */
  digest: Buffer;
  /** The cache generation it was verified in: an older one is stale (see markStale). */
  gen: number;
}

/** Longest secret worth hashing: real keys are ~60 characters. */
const MAX_SECRET_LENGTH = 200;
/** A stale key served because the database is unreachable is served for this long, then checked again. */
const STALE_RETRY_MS = 1000;

/**
 * Verified keys by SHA-256 of the presented secret, so a cache hit costs one hash and no query. Unknown or
 * revoked secrets are remembered apart (bounded, short-lived) so a flood of wrong keys neither reaches
 * PostgreSQL nor evicts good keys. A secret whose checksum fails is refused before any lookup; one that could
 * be real (checksum valid, or a legacy key made before checksums) is looked up at most
 * RESOLVE_UNKNOWN_KEYS_PER_CLIENT times per window per client when it turns out unknown (UnknownKeyThrottle). Concurrent misses for one secret share one lookup (lru-cache fetchMethod).
 * Stale-if-error, as in PolicyCacheService: a key verified before the database became unreachable keeps
 * working through the outage; a key never seen cannot be verified, so `verify` throws
 * DatabaseUnavailableError (the caller answers 503, not 401: the key may well be valid).
 */
@Injectable()
export class KeyCacheService {
  private readonly known: LRUCache<string, Entry, string>;
  private readonly unknown: LRUCache<string, true>;
  private readonly throttle: UnknownKeyThrottle;
  private readonly hits;
  private readonly misses;
  private readonly loads;
  private gen = 0;

  constructor(
    private readonly keys: ApiKeysService,
    metrics: MetricsService,
    @Inject(ENV) env: Env,
    private readonly circuit: DatabaseCircuit,
  ) {
    this.hits = metrics.cacheHits.labels('key');
    this.misses = metrics.cacheMisses.labels('key');
    this.loads = metrics.cacheLoads.labels('key');
    this.known = new LRUCache<string, Entry, string>({
      max: env.RESOLVE_KEY_CACHE_MAX,
      ttl: env.RESOLVE_KEY_CACHE_TTL_SECONDS * 1000,
      noDeleteOnStaleGet: true,
      fetchMethod: async (id, stale, { context: secret, options }) => {
        this.loads.inc();
        const gen = this.gen;
        let principal;
        try {
          principal = await this.circuit.run(() => this.keys.verify(secret), LOOKUP_TIMEOUT_MS);
        } catch (err) {
          if (stale === undefined || !isDatabaseUnavailable(err)) throw err;
          options.ttl = STALE_RETRY_MS;
          return { ...stale, gen };
        }
        if (!principal) {
          this.unknown.set(id, true);
          return undefined;
        }
        return {
          key: {
            keyId: principal.keyId,
            prefix: principal.prefix,
            tenantId: principal.tenantId,
            tenantSlug: principal.tenantSlug,
          },
          digest: Buffer.from(id, 'base64'),
          gen,
        };
      },
    });
    this.unknown = new LRUCache<string, true>({
      max: env.RESOLVE_NEGATIVE_CACHE_MAX,
      ttl: env.RESOLVE_NEGATIVE_CACHE_TTL_SECONDS * 1000,
    });
    this.throttle = new UnknownKeyThrottle(
      env.RESOLVE_UNKNOWN_KEYS_PER_CLIENT,
      env.RESOLVE_UNKNOWN_KEYS_WINDOW_SECONDS * 1000,
      env.RESOLVE_NEGATIVE_CACHE_MAX,
    );
  }

  /**
   * The key for a presented secret, or null (unknown, malformed or revoked). Throws DatabaseUnavailableError
   * when the secret must be looked up and PostgreSQL is unreachable, and UnknownKeysThrottledError when it
   * must be looked up and `client` (its address) has presented too many unknown keys lately. `client` null is
   * the service re-checking a key it verified before (a change stream after a key change): never throttled.
   */
  async verify(secret: string, client: string | null = ''): Promise<ResolveKey | null> {
    if (secret.length === 0 || secret.length > MAX_SECRET_LENGTH) return null;
    const digest = crypto.createHash('sha256').update(secret).digest();
    const id = digest.toString('base64');
    const hit = this.known.get(id);
    if (hit !== undefined && hit.gen === this.gen) {
      this.hits.inc();
      return crypto.timingSafeEqual(hit.digest, digest) ? hit.key : null;
    }
    if (this.unknown.get(id) !== undefined) {
      this.hits.inc();
      return null;
    }
    this.misses.inc();
    if (secretShape(secret, KEY_KIND) === 'malformed') return null;
    const wait = client === null ? 0 : this.throttle.retryAfterSeconds(client);
    if (wait > 0) throw new UnknownKeysThrottledError(wait);
    for (let attempt = 0; ; attempt++) {
      try {
        const entry = await this.known.fetch(id, {
          context: secret,
          forceRefresh: hit !== undefined,
        });
        if (entry !== undefined && crypto.timingSafeEqual(entry.digest, digest)) return entry.key;
        if (client !== null) this.throttle.recordUnknown(client);
        return null;
      } catch (e) {
        // An invalidation deleted the entry while it loaded: load again, from the changed data.
        if (attempt < 3 && isAbort(e)) continue;
        throw e;
      }
    }
  }

  /** A key was created or revoked (tenantId null: a platform key): forget that scope's keys and all unknowns. */
  invalidateTenant(tenantId: string | null): void {
    for (const [id, entry] of this.known.entries()) {
      if (entry.key.tenantId === tenantId) this.known.delete(id);
    }
    this.unknown.clear();
  }

  clear(): void {
    this.known.clear();
    this.unknown.clear();
  }

  /** Every verified key is out of date: re-checked on next use, kept only if the database is unreachable. */
  markStale(): void {
    this.gen++;
    this.unknown.clear();
  }
}

export function isAbort(e: unknown): boolean {
  return e instanceof Error && e.message === 'deleted';
}
