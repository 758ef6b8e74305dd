import { Injectable } from '@nestjs/common';
import type { BlockedOrigin, BlockedOriginsQuery } from '@corsplane/contracts';
import type { TenantRecord } from '../../common/auth/tenant-record.js';
import { BlockedOriginsRepository } from './blocked-origins.repository.js';

/** Reads the blocked-origin counts (written by /resolve and /resolve/events). */
@Injectable()
export class BlockedOriginsService {
  constructor(private readonly repo: BlockedOriginsRepository) {}

  async list(tenant: TenantRecord, q: BlockedOriginsQuery): Promise<{ items: BlockedOrigin[] }> {
    const hourFloor = (iso: string) => {
      const d = new Date(iso);
      d.setUTCMinutes(0, 0, 0);
      return d;
    };
    const rows = await this.repo.aggregate(tenant.id, {
      since: q.since ? hourFloor(q.since) : undefined,
      until: q.until ? new Date(q.until) : undefined,
      q: q.q,
      limit: q.limit,
    });
    return {
      items: rows.map((r) => ({
        origin: r.origin,
        reason: r.reason,
        count: r._sum.count ?? 0,
        firstSeen: (r._min.firstSeen ?? new Date(0)).toISOString(),
        lastSeen: (r._max.lastSeen ?? new Date(0)).toISOString(),
      })),
    };
  }
}
