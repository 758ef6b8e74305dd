import { Injectable } from '@nestjs/common';
import type {
  CreateTenant,
  Tenant,
  TenantList,
  TenantListQuery,
  UpdateTenant,
} from '@corsplane/contracts';
import { emptyPolicy } from '@corsplane/policy';
import { Prisma } from '../../generated/prisma/client.js';
import { PrismaService, type Db } from '../../prisma/prisma.service.js';
import { AppError } from '../../common/errors/app-error.js';
import { decodeCursor, encodeCursor, pageOf } from '../../common/paging/page-cursor.js';
import type { Actor, Principal } from '../../common/auth/principal.js';
import type { TenantRecord } from '../../common/auth/tenant-record.js';
import { AuditService } from '../audit/audit.service.js';
import { ChangesService } from '../changes/changes.service.js';
import { PlatformPolicyService } from '../platform-policy/platform-policy.service.js';
import { PoliciesService } from '../policies/policies.service.js';
import { TenantsRepository, type TenantSummaryRow } from './tenants.repository.js';

/** The tenant's own fields: what the audit log records before and after a tenant change. */
export function tenantFields(t: TenantRecord) {
  return {
    id: t.id,
    slug: t.slug,
    name: t.name,
    createdAt: t.createdAt.toISOString(),
    updatedAt: t.updatedAt.toISOString(),
  };
}

export function toTenant(r: TenantSummaryRow): Tenant {
  return {
    ...tenantFields(r),
    originCount: r.originCount,
    mode: r.mode,
    policyVersion: r.policyVersion,
    lastChangedAt: r.lastChangedAt.toISOString(),
    lastChangedBy: r.lastChangedBy,
  };
}

const TENANTS_CURSOR = 't';

@Injectable()
export class TenantsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly tenants: TenantsRepository,
    private readonly policies: PoliciesService,
    private readonly baseline: PlatformPolicyService,
    private readonly audit: AuditService,
    private readonly changes: ChangesService,
  ) {}

  /** Platform roles see every tenant; other users the tenants they are members of. Paged in slug order. */
  async list(principal: Principal, q: TenantListQuery): Promise<TenantList> {
    if (principal.kind !== 'user')
      throw new AppError('forbidden', 'API keys can only call /resolve');
    const rows = await this.tenants.listSummaries({
      ids: principal.platformRole ? undefined : [...principal.memberships.keys()],
      q: q.q,
      afterSlug: q.cursor === undefined ? undefined : decodeCursor(TENANTS_CURSOR, q.cursor),
      limit: q.limit + 1,
    });
    const { items, more } = pageOf(rows, q.limit);
    const last = items.at(-1);
    return {
      items: items.map(toTenant),
      nextCursor: more && last ? encodeCursor(TENANTS_CURSOR, last.slug) : null,
    };
  }

  /** One tenant with its policy summary. */
  async get(tenant: TenantRecord, db?: Db): Promise<Tenant> {
    const row = await this.tenants.findSummary(tenant.id, db);
    if (!row) throw new AppError('not-found', `Tenant "${tenant.slug}" not found`);
    return toTenant(row);
  }

  /**
   * A new tenant starts with the empty (deny-all) policy at version 1. A slug that would make a platform
   * baseline entry invalid (SPEC §2.2, `{tenant}`) is refused with 422.
   */
  async create(input: CreateTenant, actor: Actor): Promise<Tenant> {
    try {
      const tenant = await this.prisma.$transaction(async (tx) => {
        await this.baseline.checkNewSlug(tx, input.slug);
        const t = await this.tenants.create(tx, input);
        await this.policies.createInitial(tx, t, emptyPolicy(), actor);
        await this.audit.record(tx, actor, {
          action: 'tenant.create',
          tenant: t,
          target: { type: 'tenant', id: t.id },
          after: tenantFields(t),
        });
        await this.changes.publish(tx, { kind: 'tenant', tenantId: t.id, slug: t.slug });
        return this.get(t, tx);
      });
      return tenant;
    } catch (e) {
      if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002') {
        throw new AppError('conflict', `A tenant with slug "${input.slug}" already exists`);
      }
      throw e;
    }
  }

  async update(tenant: TenantRecord, input: UpdateTenant, actor: Actor): Promise<Tenant> {
    const updated = await this.prisma.$transaction(async (tx) => {
      const t = await this.tenants.update(tx, tenant.id, input);
      await this.audit.record(tx, actor, {
        action: 'tenant.update',
        tenant: t,
        target: { type: 'tenant', id: t.id },
        before: tenantFields(tenant),
        after: tenantFields(t),
      });
      await this.changes.publish(tx, { kind: 'tenant', tenantId: t.id, slug: t.slug });
      return this.get(t, tx);
    });
    return updated;
  }

  async delete(tenant: TenantRecord, actor: Actor): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      const policy = await this.policies.getCurrent(tenant.id, tx);
      await this.tenants.delete(tx, tenant.id);
      await this.audit.record(tx, actor, {
        action: 'tenant.delete',
        tenant,
        target: { type: 'tenant', id: tenant.id },
        before: { ...tenantFields(tenant), policy },
      });
      await this.changes.publish(tx, {
        kind: 'tenant',
        tenantId: tenant.id,
        slug: tenant.slug,
        deleted: true,
      });
    });
  }
}
