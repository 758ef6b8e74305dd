import { Inject, Injectable } from '@nestjs/common';
import type {
  Policy,
  PolicyInput,
  PolicyValidationResponse,
  PolicyVersion,
  PolicyVersionList,
  PolicyVersionSummary,
  PolicyVersionsQuery,
  SimulateRequest,
  SimulateResponse,
} from '@corsplane/contracts';
import {
  compilePolicy,
  effectivePolicy,
  expandBaseline,
  explain,
  validatePolicy,
  type PolicyDocument,
} from '@corsplane/policy';
import { PrismaService, type Db } from '../../prisma/prisma.service.js';
import { ENV, type Env } from '../../config/env.schema.js';
import { AppError } from '../../common/errors/app-error.js';
import type { Actor } from '../../common/auth/principal.js';
import type { TenantRecord } from '../../common/auth/tenant-record.js';
import { AuditService } from '../audit/audit.service.js';
import { JsonText } from '../audit/audit.repository.js';
import { ChangesService } from '../changes/changes.service.js';
import { PlatformPolicyService } from '../platform-policy/platform-policy.service.js';
import type { StoredBaseline } from '../platform-policy/platform-policy.repository.js';
import { SimulatePolicies, type SimulatePolicy } from './simulate-policies.js';
import { PolicyCandidatesRepository } from './policy-candidates.repository.js';
import { PoliciesRepository, type VersionSummary } from './policies.repository.js';
import { canonicalPolicy, staleVersionError, type CanonicalPolicy } from './policy-document.js';
import { corsRequestOf, toResolveResponse } from '@corsplane/contracts';

/**
 * A policy write is one interactive transaction. Prisma's 5 s default would abort a 100,000-origin write
 * (SPEC §2.3: ~15 MiB of JSON parsed into the version row, the entries and the audit row), which takes
 * several seconds on a busy 2-core host; the abort is atomic, but it answers 500.
 */
const POLICY_WRITE_TRANSACTION = { maxWait: 10_000, timeout: 120_000 } as const;

const withVersion = (doc: CanonicalPolicy, version: number): Policy => ({ ...doc, version });

@Injectable()
export class PoliciesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly policies: PoliciesRepository,
    private readonly audit: AuditService,
    private readonly changes: ChangesService,
    private readonly baseline: PlatformPolicyService,
    private readonly simulatePolicies: SimulatePolicies,
    private readonly candidates: PolicyCandidatesRepository,
    @Inject(ENV) private readonly env: Env,
  ) {}

  async get(tenant: TenantRecord): Promise<Policy> {
    const current = await this.policies.getCurrent(tenant.id);
    if (!current) throw new AppError('not-found', `Tenant "${tenant.slug}" has no policy`);
    return withVersion(current.document, current.version);
  }

  getCurrent(tenantId: string, db?: Db) {
    return this.policies.getCurrent(tenantId, db);
  }

  getCurrentVersion(tenantId: string, db?: Db): Promise<number | null> {
    return this.policies.currentVersion(tenantId, db);
  }

  /** Dry run: the engine's errors and warnings, nothing saved. */
  validate(doc: unknown): PolicyValidationResponse {
    const { version: _ignored, ...rest } = (doc && typeof doc === 'object' ? doc : {}) as Record<
      string,
      unknown
    >;
    const result = validatePolicy(
      doc && typeof doc === 'object' && !Array.isArray(doc) ? rest : doc,
    );
    return {
      ok: result.ok,
      errors: result.errors,
      warnings: result.warnings,
      ...(result.ok && result.policy ? { policy: canonicalPolicy(result.policy) } : {}),
    };
  }

  /** Every write goes through the engine: 422 with one detail per problem (candidates too). */
  validOrThrow(doc: unknown): CanonicalPolicy {
    const result = validatePolicy(doc);
    if (!result.ok || !result.policy) {
      const n = result.errors.length;
      // One problem is named in the message itself, so a refusal such as the origin limit reads on its own.
      const only = n === 1 ? `: ${result.errors[0]?.message}` : '';
      throw new AppError(
        'policy-invalid',
        `The policy has ${n} problem${n === 1 ? '' : 's'}${only}`,
        result.errors,
      );
    }
    return canonicalPolicy(result.policy);
  }

  async update(
    tenant: TenantRecord,
    input: PolicyInput,
    expectedVersion: number,
    actor: Actor,
    note: string | null = null,
  ): Promise<Policy> {
    const { version: _readOnly, ...doc } = input;
    const next = this.validOrThrow(doc);
    return this.prisma.$transaction(
      (tx) => this.commit(tx, tenant, expectedVersion, next, actor, { source: 'update', note }),
      POLICY_WRITE_TRANSACTION,
    );
  }

  /** A restore is a new version whose document is the old one's (validated again: the rules may have changed). */
  async restore(
    tenant: TenantRecord,
    version: number,
    expectedVersion: number | undefined,
    actor: Actor,
    note: string | null = null,
  ): Promise<Policy> {
    return this.prisma.$transaction(async (tx) => {
      const old = await this.policies.getVersion(tenant.id, version, tx);
      if (!old)
        throw new AppError(
          'not-found',
          `Version ${version} of the policy of "${tenant.slug}" does not exist`,
        );
      const doc = this.validOrThrow(old.document);
      const current = expectedVersion ?? (await this.policies.currentVersion(tenant.id, tx));
      if (current === null)
        throw new AppError('not-found', `Tenant "${tenant.slug}" has no policy`);
      return this.commit(tx, tenant, current, doc, actor, {
        source: 'restore',
        restoredFromVersion: version,
        note,
      });
    }, POLICY_WRITE_TRANSACTION);
  }

  /** Version 1 of a new tenant's policy, in the tenant's creation transaction. */
  async createInitial(
    db: Db,
    tenant: { id: string; slug: string },
    doc: PolicyDocument,
    actor: Actor,
  ): Promise<void> {
    await this.policies.insertInitial(db, tenant.id, canonicalPolicy(doc), {
      source: 'create',
      restoredFromVersion: null,
      actorLabel: actor.label,
      note: null,
    });
    await this.changes.publish(db, {
      kind: 'policy',
      tenantId: tenant.id,
      slug: tenant.slug,
      version: 1,
    });
  }

  /**
   * A candidate becomes live (SPEC §4.1): one new version (source `promote`) and one audit row
   * (`policy.promote`), in the caller's transaction (which also clears the candidate). 412 when stale.
   */
  promote(
    tx: Db,
    tenant: TenantRecord,
    expectedVersion: number,
    doc: CanonicalPolicy,
    actor: Actor,
    note: string | null,
  ): Promise<Policy> {
    return this.commit(tx, tenant, expectedVersion, doc, actor, { source: 'promote', note });
  }

  /**
   * The one write path of a policy change: conditional version bump, new immutable version row, audit event
   * and change notification, all in the caller's transaction.
   */
  private async commit(
    tx: Db,
    tenant: TenantRecord,
    expectedVersion: number,
    doc: CanonicalPolicy,
    actor: Actor,
    how: {
      source: 'update' | 'restore' | 'promote';
      restoredFromVersion?: number;
      note: string | null;
    },
  ): Promise<Policy> {
    const won = await this.policies.updateIfVersion(tx, tenant.id, expectedVersion, doc);
    if (!won) {
      const current = await this.policies.currentVersion(tenant.id, tx);
      if (current === null)
        throw new AppError('not-found', `Tenant "${tenant.slug}" has no policy`);
      throw staleVersionError('policy', current, expectedVersion);
    }
    const version = expectedVersion + 1;
    const json = await this.policies.writeDocument(tx, tenant.id, doc, {
      version,
      source: how.source,
      restoredFromVersion: how.restoredFromVersion ?? null,
      actorLabel: actor.label,
      note: how.note,
    });
    // before: the previous version (PolicyRepository.versionJson); after: the JSON text just written + version.
    await this.audit.record(tx, actor, {
      action: `policy.${how.source}`,
      tenant,
      target: { type: 'policy', id: String(version) },
      note: how.note,
      before: await this.policies.versionJson(tx, tenant.id, expectedVersion),
      after: new JsonText(
        `${json.slice(0, -1)},"version":${version}${how.restoredFromVersion ? `,"restoredFromVersion":${how.restoredFromVersion}` : ''}}`,
      ),
    });
    await this.changes.publish(tx, {
      kind: 'policy',
      tenantId: tenant.id,
      slug: tenant.slug,
      version,
    });
    return withVersion(doc, version);
  }

  async listVersions(tenant: TenantRecord, q: PolicyVersionsQuery): Promise<PolicyVersionList> {
    const rows = await this.policies.listVersions(tenant.id, q.limit, q.before);
    return { items: rows.map(toSummary) };
  }

  /** One version with its whole policy (the list has none: see PoliciesRepository.listVersions). */
  async getVersion(tenant: TenantRecord, version: number): Promise<PolicyVersion> {
    const stored = await this.policies.getVersion(tenant.id, version);
    if (!stored)
      throw new AppError(
        'not-found',
        `Version ${version} of the policy of "${tenant.slug}" does not exist`,
      );
    return {
      ...toSummary({ ...stored, originCount: stored.document.origins.length }),
      policy: withVersion(stored.document, stored.version),
    };
  }

  /**
   * The `/resolve` answer for the stored policy, an unsaved draft (`policyVersion` 0) or the stored candidate
   * (`candidate: true`, `policyVersion` 0 as for a draft), each with the platform baseline expanded for the
   * tenant (SPEC §2.2: what /resolve and the SDKs decide with, so a baseline entry matches here too,
   * `matchedSource: 'baseline'`). `policyVersion` is the tenant policy's own version, the one the console
   * shows and restores, not /resolve's effective version (tenant + baseline). The stored policy and the
   * stored candidate are compiled once per version and baseline version: see SimulatePolicies.
   */
  async simulate(tenant: TenantRecord, req: SimulateRequest): Promise<SimulateResponse> {
    if (req.policy && req.candidate)
      throw new AppError('bad-request', 'Send a draft policy or candidate: true, not both');
    const policy = req.policy
      ? this.compileForSimulate(
          this.draftOf(req.policy),
          0,
          tenant.slug,
          await this.baseline.current(),
        )
      : req.candidate
        ? await this.storedCandidate(tenant)
        : await this.storedPolicy(tenant);
    // explain(): the decision plus the refused names and the matched entry, so the console can say which.
    const { decision, refusedName, entry } = explain(policy.compiled, corsRequestOf(req));
    return {
      ...toResolveResponse(decision, {
        tenant: tenant.slug,
        mode: policy.mode,
        policyVersion: req.candidate ? 0 : policy.policyVersion,
        cacheTtlSeconds: this.env.RESOLVE_CACHE_TTL_SECONDS,
      }),
      refusedName,
      matchedEntry: entry,
    };
  }

  private draftOf(policy: NonNullable<SimulateRequest['policy']>): CanonicalPolicy {
    const { version: _readOnly, ...draft } = policy;
    return this.validOrThrow(draft);
  }

  /** The live policy compiled for simulate (kept per version: see `kept`). */
  private storedPolicy(tenant: TenantRecord): Promise<SimulatePolicy> {
    return this.kept(tenant, tenant.id, {
      version: () => this.policies.currentVersion(tenant.id),
      load: () => this.policies.getCurrent(tenant.id),
      missing: () => new AppError('not-found', `Tenant "${tenant.slug}" has no policy`),
    });
  }

  /** The stored candidate compiled for simulate, kept like the live policy under its own key. */
  private storedCandidate(tenant: TenantRecord): Promise<SimulatePolicy> {
    return this.kept(tenant, `${tenant.id}/candidate`, {
      version: () => this.candidates.currentVersion(tenant.id),
      load: async () => {
        const stored = await this.candidates.get(tenant.id);
        return stored?.document ? { version: stored.version, document: stored.document } : null;
      },
      missing: () => new AppError('not-found', `Tenant "${tenant.slug}" has no candidate policy`),
    });
  }

  /**
   * A stored document compiled for simulate: the one kept under `key` while its version and the baseline's
   * (both read now) are the ones it was built from, else read and compiled, labelled with the version it was
   * read at (never newer than its content, so at worst the next call compiles again).
   */
  private async kept(
    tenant: TenantRecord,
    key: string,
    stored: {
      version: () => Promise<number | null>;
      load: () => Promise<{ version: number; document: CanonicalPolicy } | null>;
      missing: () => AppError;
    },
  ): Promise<SimulatePolicy> {
    const [baseline, version] = await Promise.all([this.baseline.current(), stored.version()]);
    if (version === null) throw stored.missing();
    const known = this.simulatePolicies.get(key, version, baseline.version);
    if (known) return known;
    const current = await stored.load();
    if (!current) throw stored.missing();
    const policy = this.compileForSimulate(
      current.document,
      current.version,
      tenant.slug,
      baseline,
    );
    this.simulatePolicies.set(key, policy);
    return policy;
  }

  private compileForSimulate(
    doc: CanonicalPolicy,
    policyVersion: number,
    slug: string,
    baseline: StoredBaseline,
  ): SimulatePolicy {
    const effective = effectivePolicy(doc, expandBaseline(baseline.document, slug));
    try {
      return {
        policyVersion,
        baselineVersion: baseline.version,
        mode: doc.mode,
        compiled: compilePolicy(effective),
        origins: effective.origins.length,
      };
    } catch (e) {
      const errors = (e as { errors?: unknown }).errors;
      throw new AppError(
        'policy-invalid',
        'The policy does not compile',
        Array.isArray(errors) ? errors : undefined,
      );
    }
  }
}

function toSummary(v: VersionSummary): PolicyVersionSummary {
  return {
    version: v.version,
    createdAt: v.createdAt.toISOString(),
    actor: v.actorLabel,
    source: v.source,
    restoredFromVersion: v.restoredFromVersion,
    note: v.note,
    originCount: v.originCount,
  };
}
