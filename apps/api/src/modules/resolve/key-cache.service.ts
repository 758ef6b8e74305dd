import crypto from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { ENV, type Env } from '../../config/env.schema.js';
import { ApiKeysService } from '../api-keys/api-keys.service.js';
import { MetricsService } from '../metrics/metrics.service.js';

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
}

/** Longest secret worth hashing: real keys are ~60 characters. */
const MAX_SECRET_LENGTH = 200;

/**
 * Verified keys by SHA-256 of the presented secret, so a cache hit costs one hash and no query. Unknown or
 * revoked secrets are remembered apart (bounded, short-lived) so a flood of wrong keys neither reaches
 * PostgreSQL nor evicts good keys. Concurrent misses for one secret share one lookup (lru-cache fetchMethod).
 */
@Injectable()
export class KeyCacheService {
  private readonly known: LRUCache<string, Entry, string>;
  private readonly unknown: LRUCache<string, true>;
  private readonly hits;
  private readonly misses;
  private readonly loads;

  constructor(
    private readonly keys: ApiKeysService,
    metrics: MetricsService,
    @Inject(ENV) env: Env,
  ) {
    this.hits = metrics.cacheHits.labels('key');
    this.misses = metrics.cacheMisses.labels('key');
    this.loads = metrics.cacheLoads.labels('key');
    this.known = new LRUCache<string, Entry, string>({
      max: env.RESOLVE_KEY_CACHE_MAX,
      ttl: env.RESOLVE_KEY_CACHE_TTL_SECONDS * 1000,
      fetchMethod: async (id, _stale, { context: secret }) => {
        this.loads.inc();
        const principal = await this.keys.verify(secret);
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
        };
      },
    });
    this.unknown = new LRUCache<string, true>({
      max: env.RESOLVE_NEGATIVE_CACHE_MAX,
      ttl: env.RESOLVE_NEGATIVE_CACHE_TTL_SECONDS * 1000,
    });
  }

  /** The key for a presented secret, or null (unknown, malformed or revoked). */
  async verify(secret: string): Promise<ResolveKey | null> {
    if (secret.length === 0 || secret.length > MAX_SECRET_LENGTH) return null;
    const digest = crypto.createHash('sha256').update(secret).digest();
    const id = digest.toString('base64');
    const hit = this.known.get(id);
    if (hit !== undefined) {
      this.hits.inc();
      return crypto.timingSafeEqual(hit.digest, digest) ? hit.key : null;
    }
    if (this.unknown.get(id) !== undefined) {
      this.hits.inc();
      return null;
    }
    this.misses.inc();
    for (let attempt = 0; ; attempt++) {
      try {
        const entry = await this.known.fetch(id, { context: secret });
        return entry !== undefined && crypto.timingSafeEqual(entry.digest, digest)
          ? entry.key
          : null;
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
}

export function isAbort(e: unknown): boolean {
  return e instanceof Error && e.message === 'deleted';
}
