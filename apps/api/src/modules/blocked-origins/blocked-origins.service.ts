import { Injectable } from '@nestjs/common';
import type {
  BlockedOrigin,
  BlockedOriginsQuery,
  BlockedOriginsTimeline,
  BlockedOriginsTimelineQuery,
} from '@corsplane/contracts';
import { corsRequestOf, requestOfBlocked } from '@corsplane/contracts';
import { decide } from '@corsplane/policy';
import type { TenantRecord } from '../../common/auth/tenant-record.js';
import { PolicyCacheService } from '../resolve/policy-cache.service.js';
import { floorTo, timelineWindow } from '../../common/time/timeline-window.js';
import { BlockedOriginsRepository } from './blocked-origins.repository.js';

/** Reads the blocked-origin counts (written by /resolve and /resolve/events). */
@Injectable()
export class BlockedOriginsService {
  constructor(
    private readonly repo: BlockedOriginsRepository,
    private readonly policies: PolicyCacheService,
  ) {}

  async list(tenant: TenantRecord, q: BlockedOriginsQuery): Promise<{ items: BlockedOrigin[] }> {
    const rows = await this.repo.aggregate(tenant.id, {
      since: q.since ? new Date(floorTo(Date.parse(q.since), 'hour')) : undefined,
      until: q.until ? new Date(q.until) : undefined,
      q: q.q,
      limit: q.limit,
    });
    // The live (effective) policy, from the resolve cache: at most `limit` decisions, no query per row.
    const entry = await this.policies.policy(tenant.id);
    const compiled = entry === undefined ? null : this.policies.compiledOf(entry);
    return {
      items: rows.map((r) => {
        const refusedName = r._max.refusedName ?? null;
        const request =
          compiled === null
            ? null
            : requestOfBlocked({ origin: r.origin, reason: r.reason, refusedName });
        const decision =
          request === null || compiled === null ? null : decide(compiled, corsRequestOf(request));
        return {
          origin: r.origin,
          reason: r.reason,
          refusedName,
          allowedInVersion:
            decision !== null && decision.allowed && decision.reportOnly !== true && entry
              ? entry.tenantVersion
              : null,
          count: r._sum.count ?? 0,
          firstSeen: (r._min.firstSeen ?? new Date(0)).toISOString(),
          lastSeen: (r._max.lastSeen ?? new Date(0)).toISOString(),
        };
      }),
    };
  }

  /**
   * Refusals per hour or UTC day over [since, until), zero-filled. Counts are kept per hour, so `since` is
   * floored to its bucket (like `list` floors it to its hour) and the last bucket is the one holding `until`.
   */
  async timeline(
    tenant: TenantRecord,
    q: BlockedOriginsTimelineQuery,
  ): Promise<BlockedOriginsTimeline> {
    const { from, to, until } = timelineWindow(q);
    const rows = await this.repo.timeline(tenant.id, { bucket: q.bucket, from, to, until, q: q.q });
    return {
      bucket: q.bucket,
      since: from.toISOString(),
      until: until.toISOString(),
      buckets: rows.map((r) => ({ start: r.start.toISOString(), count: r.count })),
    };
  }
}
