import { Inject, Injectable } from '@nestjs/common';
import type { AuditList, AuditQuery } from '@corsplane/contracts';
import type { Db } from '../../prisma/prisma.service.js';
import type { Actor, Principal } from '../../common/auth/principal.js';
import { AppError } from '../../common/errors/app-error.js';
import { ENV, type Env } from '../../config/env.schema.js';
import { AuditRepository } from './audit.repository.js';
import { TenantsRepository } from '../tenants/tenants.repository.js';

export interface AuditEntry {
  action: string;
  tenant?: { id: string; slug: string } | null;
  target?: { type: string; id: string | null } | null;
  before?: unknown;
  after?: unknown;
  /** The writer's change note (SPEC §4.1). */
  note?: string | null;
}

@Injectable()
export class AuditService {
  constructor(
    private readonly audit: AuditRepository,
    private readonly tenants: TenantsRepository,
    @Inject(ENV) private readonly env: Env,
  ) {}

  /** Appends one event; pass the transaction of the change so both commit or neither does. */
  async record(db: Db, actor: Actor, entry: AuditEntry): Promise<void> {
    await this.audit.insert(db, {
      actorType: actor.type,
      actorId: actor.id,
      actorLabel: actor.label,
      action: entry.action,
      tenantId: entry.tenant?.id ?? null,
      tenantSlug: entry.tenant?.slug ?? null,
      targetType: entry.target?.type ?? null,
      targetId: entry.target?.id ?? null,
      before: entry.before ?? null,
      after: entry.after ?? null,
      requestId: actor.requestId,
      note: entry.note ?? null,
    });
  }

  /**
   * Platform admins and viewers read everything; tenant members read the events of the tenants they belong
   * to (all of them, or the one `tenant=` names). A user with neither reads nothing (403).
   */
  async list(principal: Principal, q: AuditQuery): Promise<AuditList> {
    if (principal.kind !== 'user')
      throw new AppError('forbidden', 'API keys can only call /resolve');
    let tenantIds: string[] | undefined;
    if (!principal.platformRole) {
      if (q.tenant) {
        const tenant = await this.tenants.findBySlug(q.tenant);
        if (!tenant || !principal.memberships.has(tenant.id))
          throw new AppError('not-found', `Tenant "${q.tenant}" not found`);
        tenantIds = [tenant.id];
      } else if (principal.memberships.size > 0) {
        tenantIds = [...principal.memberships.keys()];
      } else {
        throw new AppError('forbidden', 'You have no platform role and belong to no tenant');
      }
    }
    const { rows, cut } = await this.audit.list({
      tenantIds,
      tenantSlug: q.tenant,
      actor: q.actor,
      action: q.action,
      beforeId: q.before === undefined ? undefined : BigInt(q.before),
      limit: q.limit,
      maxBytes: this.env.AUDIT_PAGE_MAX_BYTES,
    });
    const items = rows.map((r) => ({
      id: r.id.toString(),
      at: r.at.toISOString(),
      actor: { type: r.actorType as 'user' | 'key' | 'system', id: r.actorId, label: r.actorLabel },
      action: r.action,
      tenant: r.tenantSlug,
      target: r.targetType ? { type: r.targetType, id: r.targetId } : null,
      before: r.before,
      after: r.after,
      requestId: r.requestId,
      note: r.note,
    }));
    const last = items.at(-1);
    // A page cut short by AUDIT_PAGE_MAX_BYTES has more after it, like a full one.
    return { items, nextCursor: (cut || items.length === q.limit) && last ? last.id : null };
  }
}
