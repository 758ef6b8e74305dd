import { Injectable } from '@nestjs/common';
import type {
  Baseline,
  BaselineInput,
  BaselineVersionList,
  TenantBaseline,
} from '@corsplane/contracts';
import {
  expandPattern,
  MAX_BASELINE_ISSUES,
  validateBaseline,
  type BaselineDocument,
  type BaselineValidateOptions,
} from '@corsplane/policy';
import { PrismaService, type Db } from '../../prisma/prisma.service.js';
import { AppError } from '../../common/errors/app-error.js';
import type { Actor } from '../../common/auth/principal.js';
import type { TenantRecord } from '../../common/auth/tenant-record.js';
import { AuditService } from '../audit/audit.service.js';
import { ChangesService } from '../changes/changes.service.js';
import { staleVersionError } from '../policies/policy-document.js';
import { PlatformPolicyRepository, type StoredBaseline } from './platform-policy.repository.js';

/** Checking every slug (100,000 tenants × 1,000 entries at worst) can take a while on a busy host. */
const BASELINE_WRITE_TRANSACTION = { maxWait: 10_000, timeout: 120_000 } as const;

const toBaseline = (b: StoredBaseline): Baseline => ({
  origins: b.document.origins.map((o) => ({ pattern: o.pattern, note: o.note ?? null })),
  version: b.version,
});

/**
 * The platform baseline (SPEC §2.2): versioned and audited like a tenant policy, one NOTIFY per change (the
 * resolve caches recompile each tenant lazily; the change streams fan the change out to every tenant).
 */
@Injectable()
export class PlatformPolicyService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly baseline: PlatformPolicyRepository,
    private readonly audit: AuditService,
    private readonly changes: ChangesService,
  ) {}

  async get(): Promise<Baseline> {
    return toBaseline(await this.baseline.getCurrent());
  }

  /**
   * Validates the document (422 naming each bad entry), then, holding the baseline lock, its expansion for
   * every existing tenant (422 naming the slug), then writes it if the stored version is `expectedVersion`.
   */
  async update(input: BaselineInput, expectedVersion: number, actor: Actor): Promise<Baseline> {
    const { version: _readOnly, ...doc } = input;
    validOrThrow(doc);
    return this.prisma.$transaction(async (tx) => {
      await this.baseline.lockForWrite(tx);
      const next = validOrThrow(doc, { slugs: await this.baseline.allSlugs(tx) });
      if (!(await this.baseline.updateIfVersion(tx, expectedVersion, next))) {
        const current = (await this.baseline.getCurrent(tx)).version;
        throw staleVersionError('baseline', current, expectedVersion);
      }
      const version = expectedVersion + 1;
      await this.baseline.insertVersion(tx, version, next, actor.label);
      await this.audit.record(tx, actor, {
        action: 'platform-policy.update',
        target: { type: 'platform-policy', id: String(version) },
        before: expectedVersion === 0 ? null : this.baseline.versionJsonSql(expectedVersion),
        after: { ...next, version },
      });
      // One notification for every tenant (not one per tenant): see ResolveChangesService.baselineChanged.
      await this.changes.publish(tx, { kind: 'baseline', tenantId: null, version });
      return { origins: toBaseline({ version, document: next }).origins, version };
    }, BASELINE_WRITE_TRANSACTION);
  }

  /**
   * In a tenant's creation transaction: a slug that would make a baseline entry invalid is refused (422), as a
   * baseline naming an existing slug would be. The shared lock keeps a concurrent baseline write out.
   */
  async checkNewSlug(tx: Db, slug: string): Promise<void> {
    await this.baseline.lockForTenantCreation(tx);
    const { document } = await this.baseline.getCurrent(tx);
    const result = validateBaseline(document, { slugs: [slug] });
    if (result.ok) return;
    const n = result.errors.length;
    throw new AppError(
      'policy-invalid',
      `The slug "${slug}" would make ${n} platform baseline entr${n === 1 ? 'y' : 'ies'} invalid: ${result.errors[0]?.message}`,
      result.errors,
    );
  }

  /** The baseline as it applies to one tenant: `{tenant}` replaced by its slug (what the console shows read-only). */
  async forTenant(tenant: TenantRecord): Promise<TenantBaseline> {
    const { version, document } = await this.baseline.getCurrent();
    const origins: TenantBaseline['origins'] = [];
    for (const entry of document.origins) {
      const expanded = expandPattern(entry.pattern, tenant.slug);
      if (expanded.ok)
        origins.push({
          pattern: expanded.pattern,
          note: entry.note ?? null,
          template: entry.pattern,
        });
    }
    return { version, origins };
  }

  /** The stored baseline (version 0 and no entries before the first save), for simulate. */
  current(): Promise<StoredBaseline> {
    return this.baseline.getCurrent();
  }

  async listVersions(limit: number, before?: number): Promise<BaselineVersionList> {
    const rows = await this.baseline.listVersions(limit, before);
    return {
      items: rows.map((r) => ({
        version: r.version,
        createdAt: r.createdAt.toISOString(),
        actor: r.actorLabel,
        baseline: toBaseline(r),
      })),
    };
  }
}

/** The engine's verdict as a 422 with one detail per problem, or the normalised document. */
function validOrThrow(doc: unknown, options?: BaselineValidateOptions): BaselineDocument {
  const result = validateBaseline(doc, options);
  if (!result.ok || !result.baseline) {
    const n = result.errors.length;
    const only = n === 1 ? `: ${result.errors[0]?.message}` : '';
    throw new AppError(
      'policy-invalid',
      `The baseline has ${n === MAX_BASELINE_ISSUES ? `at least ${n}` : n} problem${n === 1 ? '' : 's'}${only}`,
      result.errors,
    );
  }
  return result.baseline;
}
