import { Inject, Injectable } from '@nestjs/common';
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
import { LOGGER, type Logger } from '../../common/logging/logger.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { cacheCounters, negativeBounds, StaleIfErrorCache } from './stale-if-error-cache.js';
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
   * so a decision with a candidate costs two `decide` calls and still no I/O (shadow.ts).
   */
  candidate?: PolicyDocument;
  /** The candidate's version: 0 before any candidate was saved; it only grows (deleted and promoted too). */
  candidateVersion: number;
  /** The candidate compiled on the first decision, like `compiled`. */
  candidateCompiled?: CompiledPolicy;
  /** Origin entries (live and candidate) + 1: the entry's weight against RESOLVE_POLICY_CACHE_MAX_ENTRIES. */
  size: number;
  /**
   * The `GET /resolve/policy` body of this version, serialised on first use (policyBodyOf): after a change,
   * every SDK's refetch is answered from this one entry, so N refetches cost one load and one serialisation.
   */
  policyBody?: Buffer;
}

/** While the change listener is down, entries live this long (bounded staleness, bounded load). */
const DEGRADED_TTL_MS = 1000;

/**
 * Effective policies by tenant id (each compiled on its first decision, compiledOf), and tenant ids by slug
 * (for platform keys). A hit does no database work and awaits nothing (`cachedPolicy`, `cachedTenantId`);
 * concurrent misses share one load, so a flood of made-up origins costs at most one policy query per tenant
 * per policy version: the cache is keyed by tenant, never by origin. Entries are dropped by change
 * notifications (ChangeListenerService); the TTL is only the safety net. Generations, negative entries
 * (unknown slugs), shared loads and stale-if-error (a tenant that was cached keeps its answers through a
 * database outage; one never loaded gets DatabaseUnavailableError, 503): StaleIfErrorCache. Memory stays
 * bounded by the LRU limits (RESOLVE_POLICY_CACHE_MAX tenants, RESOLVE_POLICY_CACHE_MAX_ENTRIES origins).
 */
@Injectable()
export class PolicyCacheService {
  private readonly policies: StaleIfErrorCache<string, PolicyEntry>;
  private readonly slugs: StaleIfErrorCache<string, { id: string }>;
  private degraded = false;
  private readonly compiles;

  constructor(
    private readonly repo: ResolveRepository,
    metrics: MetricsService,
    @Inject(ENV) env: Env,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.compiles = metrics.policyCompiles;
    const ttlNow = () => (this.degraded ? DEGRADED_TTL_MS : undefined);
    this.policies = new StaleIfErrorCache<string, PolicyEntry>({
      max: env.RESOLVE_POLICY_CACHE_MAX,
      maxSize: env.RESOLVE_POLICY_CACHE_MAX_ENTRIES,
      sizeOf: (e) => e.size,
      ttlMs: env.RESOLVE_POLICY_CACHE_TTL_SECONDS * 1000,
      ttlNow,
      metrics: cacheCounters(metrics, 'policy'),
      load: async (tenantId) => {
        const row = await this.repo.loadPolicy(tenantId);
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
        };
      },
    });
    this.slugs = new StaleIfErrorCache<string, { id: string }>({
      max: env.RESOLVE_POLICY_CACHE_MAX,
      ttlMs: env.RESOLVE_POLICY_CACHE_TTL_SECONDS * 1000,
      ttlNow,
      negative: negativeBounds(env),
      metrics: cacheCounters(metrics, 'tenant'),
      load: async (slug) => {
        const id = await this.repo.tenantIdBySlug(slug);
        return id === null ? undefined : { id };
      },
    });
  }

  /** The entry's compiled policy, compiled on first use. */
  compiledOf(entry: PolicyEntry): CompiledPolicy {
    if (entry.compiled === undefined) {
      this.compiles.inc();
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

  /** The current entry, null when the tenant is gone, undefined when it must be loaded (`policy`). */
  cachedPolicy(tenantId: string): PolicyEntry | null | undefined {
    return this.policies.peek(tenantId);
  }

  /** The entry's compiled candidate (compiled on first use), or undefined when the tenant has none. */
  candidateOf(entry: PolicyEntry): CompiledPolicy | undefined {
    if (entry.candidate === undefined) return undefined;
    if (entry.candidateCompiled === undefined) {
      this.compiles.inc();
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
   * The tenant's current policy entry (compiledOf compiles it); undefined when the tenant does not exist (any
   * more). Throws DatabaseUnavailableError when it must be loaded and PostgreSQL is unreachable (and nothing
   * is cached).
   */
  async policy(tenantId: string): Promise<PolicyEntry | undefined> {
    return (await this.policies.get(tenantId)) ?? undefined;
  }

  /** The cached id of the tenant with this slug, null when it is known not to exist, undefined: look it up. */
  cachedTenantId(slug: string): string | null | undefined {
    const hit = this.slugs.peek(slug);
    return hit === null || hit === undefined ? hit : hit.id;
  }

  /** The id of the tenant with this slug, or null (DatabaseUnavailableError as for `policy`). */
  async tenantId(slug: string): Promise<string | null> {
    return (await this.slugs.get(slug))?.id ?? null;
  }

  /**
   * Milliseconds the cached policy of `tenantId` (and, for a platform key, the cached id of `slug`) stays
   * fresh; 0 when either is not cached. Counts no hit.
   */
  freshForMs(tenantId: string, slug?: string): number {
    const policy = this.policies.freshForMs(tenantId);
    return slug === undefined ? policy : Math.min(policy, this.slugs.freshForMs(slug));
  }

  /** Counts the hits of an answer remembered from this cache (the slug's too for a platform key). */
  countHits(viaSlug: boolean): void {
    this.policies.countHit();
    if (viaSlug) this.slugs.countHit();
  }

  /** Grows whenever a cached policy or slug may have changed (see StaleIfErrorCache.changes). */
  get changes(): number {
    return this.policies.changes + this.slugs.changes;
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
  }

  clear(): void {
    this.policies.clear();
    this.slugs.clear();
  }

  /**
   * The platform baseline changed: every compiled policy is out of date. Nothing is reloaded now; each tenant
   * is reloaded and compiled once, on its next use (the old entry stays the fallback while that runs, and if
   * the database is unreachable).
   */
  baselineChanged(): void {
    this.policies.markStale();
  }

  /**
   * Every entry is out of date (change notifications may have been missed): each is reloaded on its next
   * use, and served as it is only if that reload finds the database unreachable. Unknown slugs are forgotten.
   */
  markStale(): void {
    this.policies.markStale();
    this.slugs.markStale();
  }

  /** While the change listener is down, new entries get a short TTL (see ChangeListenerService). */
  setDegraded(degraded: boolean): void {
    this.degraded = degraded;
  }

  get size(): { tenants: number; entries: number } {
    return { tenants: this.policies.size, entries: this.policies.calculatedSize };
  }
}
