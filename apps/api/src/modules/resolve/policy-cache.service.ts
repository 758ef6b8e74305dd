import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import {
  compilePolicy,
  effectivePolicy,
  emptyPolicy,
  expandBaseline,
  type CompiledPolicy,
  type PolicyDocument,
  type PolicyMode,
} from '@corsplane/policy';
import { ENV, type Env } from '../../config/env.schema.js';
import { isDatabaseUnavailable } from '../../common/errors/database-unavailable.js';
import { LOGGER, type Logger } from '../../common/logging/logger.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { isAbort } from './key-cache.service.js';
import { ResolveRepository } from './resolve.repository.js';

/** A tenant's compiled effective policy (its own ∪ the expanded platform baseline), as /resolve serves it. */
export interface PolicyEntry {
  tenantId: string;
  slug: string;
  /**
   * The effective version: tenantVersion + baselineVersion. Both only grow, so the sum grows with every change
   * of either (and names one pair): SDKs compare it like any policy version (docs/ARCHITECTURE.md).
   */
  version: number;
  tenantVersion: number;
  baselineVersion: number;
  mode: PolicyMode;
  /** The effective document, as stored (normalised when it was saved). */
  document: PolicyDocument;
  /** Compiled on the first decision (PolicyCacheService.compiledOf); stale copies of the entry keep it. */
  compiled?: CompiledPolicy;
  /**
   * The candidate under shadow evaluation (SPEC §3), loaded by the same query and effective like `document`
   * (the tenant's candidate ∪ the expanded baseline); absent when the tenant has none. It rides in this entry
   * so a decision with a candidate costs two `decide` calls and still no I/O (ShadowEvaluator).
   */
  candidate?: PolicyDocument;
  /** The candidate's version: 0 before any candidate was saved; it only grows (deleted and promoted too). */
  candidateVersion: number;
  /** The candidate compiled on the first decision, like `compiled`. */
  candidateCompiled?: CompiledPolicy;
  /** Origin entries (live and candidate) + 1: the entry's weight against RESOLVE_POLICY_CACHE_MAX_ENTRIES. */
  size: number;
  /** The cache generation it was loaded in: an older one is stale (see markStale). */
  gen: number;
  /** The baseline generation it was loaded in: a baseline change makes every entry stale (baselineChanged). */
  baselineGen: number;
  /**
   * The `GET /resolve/policy` body of this version, serialised on first use (policyBodyOf): after a change,
   * every SDK's refetch is answered from this one entry, so N refetches cost one load and one serialisation.
   */
  policyBody?: Buffer;
}

interface SlugEntry {
  id: string;
  gen: number;
}

const NO_TENANT = Symbol('no-tenant');
/** While the change listener is down, entries live this long (bounded staleness, bounded load). */
const DEGRADED_TTL_MS = 1000;
/** A stale entry served because the database is unreachable is served for this long, then tried again. */
export const STALE_RETRY_MS = 1000;

/**
 * Effective policies by tenant id (each compiled on its first decision, compiledOf), and tenant ids by slug
 * (for platform keys). A hit does no database work;
 * concurrent misses share one load (fetchMethod), so a flood of made-up origins costs at most one policy
 * query per tenant per policy version: the cache is keyed by tenant, never by origin. Entries are dropped by
 * change notifications (ChangeListenerService); the TTL is only the safety net.
 *
 * Stale-if-error: an entry that is out of date (TTL passed, or markStale) stays in the cache until it is
 * reloaded. If the reload finds the database unreachable, the last known entry is served again (re-checked
 * every STALE_RETRY_MS) instead of an error: a tenant that was cached keeps its answers through a database
 * outage. A tenant never loaded has nothing to fall back on: its lookup throws DatabaseUnavailableError (503).
 * Memory stays bounded by the same LRU limits.
 */
@Injectable()
export class PolicyCacheService {
  private readonly policies: LRUCache<string, PolicyEntry>;
  private readonly slugs: LRUCache<string, SlugEntry>;
  private readonly unknownSlugs: LRUCache<string, typeof NO_TENANT>;
  private degraded = false;
  private gen = 0;
  private baselineGen = 0;
  private readonly m;

  constructor(
    private readonly repo: ResolveRepository,
    metrics: MetricsService,
    @Inject(ENV) env: Env,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.m = {
      policyHit: metrics.cacheHits.labels('policy'),
      policyMiss: metrics.cacheMisses.labels('policy'),
      policyLoad: metrics.cacheLoads.labels('policy'),
      policyCompile: metrics.policyCompiles,
      tenantHit: metrics.cacheHits.labels('tenant'),
      tenantMiss: metrics.cacheMisses.labels('tenant'),
      tenantLoad: metrics.cacheLoads.labels('tenant'),
    };
    this.policies = new LRUCache<string, PolicyEntry>({
      max: env.RESOLVE_POLICY_CACHE_MAX,
      maxSize: env.RESOLVE_POLICY_CACHE_MAX_ENTRIES,
      sizeCalculation: (e) => e.size,
      ttl: env.RESOLVE_POLICY_CACHE_TTL_SECONDS * 1000,
      // A stale entry stays until its reload succeeds, fails for another reason, or finds the tenant gone.
      noDeleteOnStaleGet: true,
      fetchMethod: async (tenantId, stale, { options }) => {
        if (this.degraded) options.ttl = DEGRADED_TTL_MS;
        this.m.policyLoad.inc();
        const { gen, baselineGen } = this;
        let row;
        try {
          row = await this.repo.loadPolicy(tenantId);
        } catch (err) {
          if (stale === undefined || !isDatabaseUnavailable(err)) throw err;
          options.ttl = STALE_RETRY_MS;
          return { ...stale, gen, baselineGen };
        }
        if (!row) return undefined;
        // SPEC §2.2: the effective document (tenant ∪ expanded baseline) is built here, once per (tenant
        // version, baseline version); it is compiled on its first decision (compiledOf), not now: after a
        // change, the SDKs' refetches of /resolve/policy are answered without waiting for a compile.
        const baseline = expandBaseline(row.baseline.document, row.slug);
        const document = effectivePolicy(row.document, baseline);
        const candidate =
          row.candidate.document === null
            ? undefined
            : effectivePolicy(row.candidate.document, baseline);
        return {
          tenantId,
          slug: row.slug,
          version: row.version + row.baseline.version,
          tenantVersion: row.version,
          baselineVersion: row.baseline.version,
          mode: row.document.mode,
          document,
          ...(candidate === undefined ? {} : { candidate }),
          candidateVersion: row.candidate.version,
          size: document.origins.length + (candidate?.origins.length ?? 0) + 1,
          gen,
          baselineGen,
        };
      },
    });
    this.slugs = new LRUCache<string, SlugEntry>({
      max: env.RESOLVE_POLICY_CACHE_MAX,
      ttl: env.RESOLVE_POLICY_CACHE_TTL_SECONDS * 1000,
      noDeleteOnStaleGet: true,
      fetchMethod: async (slug, stale, { options }) => {
        if (this.degraded) options.ttl = DEGRADED_TTL_MS;
        this.m.tenantLoad.inc();
        const gen = this.gen;
        let id;
        try {
          id = await this.repo.tenantIdBySlug(slug);
        } catch (err) {
          if (stale === undefined || !isDatabaseUnavailable(err)) throw err;
          options.ttl = STALE_RETRY_MS;
          return { id: stale.id, gen };
        }
        if (id === null) this.unknownSlugs.set(slug, NO_TENANT);
        return id === null ? undefined : { id, gen };
      },
    });
    this.unknownSlugs = new LRUCache<string, typeof NO_TENANT>({
      max: env.RESOLVE_NEGATIVE_CACHE_MAX,
      ttl: env.RESOLVE_NEGATIVE_CACHE_TTL_SECONDS * 1000,
    });
  }

  /** The entry's compiled policy, compiled on first use. */
  compiledOf(entry: PolicyEntry): CompiledPolicy {
    if (entry.compiled === undefined) {
      this.m.policyCompile.inc();
      try {
        entry.compiled = compilePolicy(entry.document);
      } catch (err) {
        // Stored policies were valid when saved; if today's rules refuse one, fail closed and say so.
        this.logger.error(
          { err, tenantId: entry.tenantId, version: entry.version },
          'stored policy does not compile: refusing every origin',
        );
        entry.compiled = compilePolicy(emptyPolicy());
      }
    }
    return entry.compiled;
  }

  /** The entry's compiled candidate (compiled on first use), or undefined when the tenant has none. */
  candidateOf(entry: PolicyEntry): CompiledPolicy | undefined {
    if (entry.candidate === undefined) return undefined;
    if (entry.candidateCompiled === undefined) {
      this.m.policyCompile.inc();
      try {
        entry.candidateCompiled = compilePolicy(entry.candidate);
      } catch (err) {
        // Saved valid; refused by today's rules: no shadow answer rather than a made-up one.
        this.logger.error(
          { err, tenantId: entry.tenantId, candidateVersion: entry.candidateVersion },
          'stored candidate policy does not compile: shadow evaluation skipped',
        );
        entry.candidate = undefined;
        return undefined;
      }
    }
    return entry.candidateCompiled;
  }

  /**
   * The tenant's current policy entry (compiledOf compiles it); undefined when the tenant does not exist (any more). Throws
   * DatabaseUnavailableError when it must be loaded and PostgreSQL is unreachable (and nothing is cached).
   */
  async policy(tenantId: string): Promise<PolicyEntry | undefined> {
    const hit = this.policies.get(tenantId);
    if (hit !== undefined && hit.gen === this.gen && hit.baselineGen === this.baselineGen) {
      this.m.policyHit.inc();
      return hit;
    }
    this.m.policyMiss.inc();
    // An entry of an older generation is reloaded, and kept as the fallback while that runs.
    const forceRefresh = hit !== undefined;
    return fetchRetryingAborts(() => this.policies.fetch(tenantId, { forceRefresh }));
  }

  /** The id of the tenant with this slug, or null (DatabaseUnavailableError as for `policy`). */
  async tenantId(slug: string): Promise<string | null> {
    const hit = this.slugs.get(slug);
    if (hit !== undefined && hit.gen === this.gen) {
      this.m.tenantHit.inc();
      return hit.id;
    }
    if (this.unknownSlugs.get(slug) !== undefined) {
      this.m.tenantHit.inc();
      return null;
    }
    this.m.tenantMiss.inc();
    const forceRefresh = hit !== undefined;
    return (await fetchRetryingAborts(() => this.slugs.fetch(slug, { forceRefresh })))?.id ?? null;
  }

  /** Slugs and own policy versions, for the change streams' events after a baseline change (null: all). */
  tenantVersions(tenantIds: string[] | null) {
    return this.repo.tenantVersions(tenantIds);
  }

  invalidatePolicy(tenantId: string): void {
    this.policies.delete(tenantId);
  }

  /** A tenant was created, renamed or deleted: its policy, and every slug mapping (rare; cheap to rebuild). */
  invalidateTenant(tenantId: string | null): void {
    if (tenantId !== null) this.policies.delete(tenantId);
    this.slugs.clear();
    this.unknownSlugs.clear();
  }

  clear(): void {
    this.policies.clear();
    this.slugs.clear();
    this.unknownSlugs.clear();
  }

  /**
   * The platform baseline changed: every compiled policy is out of date. Nothing is reloaded now; each tenant
   * is reloaded and compiled once, on its next use (the old entry stays the fallback while that runs, and if
   * the database is unreachable).
   */
  baselineChanged(): void {
    this.baselineGen++;
  }

  /**
   * Every entry is out of date (change notifications may have been missed): each is reloaded on its next
   * use, and served as it is only if that reload finds the database unreachable. Unknown slugs are forgotten.
   */
  markStale(): void {
    this.gen++;
    this.unknownSlugs.clear();
  }

  /** While the change listener is down, new entries get a short TTL (see ChangeListenerService). */
  setDegraded(degraded: boolean): void {
    this.degraded = degraded;
  }

  get size(): { tenants: number; entries: number } {
    return { tenants: this.policies.size, entries: this.policies.calculatedSize };
  }
}

async function fetchRetryingAborts<T>(fetch: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetch();
    } catch (e) {
      // An invalidation deleted the entry while it loaded (lru-cache aborts that fetch): load the new data.
      if (attempt < 3 && isAbort(e)) continue;
      throw e;
    }
  }
}
