import { Injectable } from '@nestjs/common';
import { Prisma } from '../../generated/prisma/client.js';
import { PrismaService } from '../../prisma/prisma.service.js';

@Injectable()
export class BlockedOriginsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Hourly buckets summed per origin and reason, most refused first. `refusedName` is the greatest of the
   * hours' (each hour keeps its latest): one name list to act on, not a history.
   */
  aggregate(tenantId: string, f: { since?: Date; until?: Date; q?: string; limit: number }) {
    return this.prisma.blockedOriginAggregate.groupBy({
      by: ['origin', 'reason'],
      where: {
        tenantId,
        ...(f.since || f.until
          ? { hour: { ...(f.since ? { gte: f.since } : {}), ...(f.until ? { lt: f.until } : {}) } }
          : {}),
        ...(f.q ? { origin: { contains: f.q, mode: 'insensitive' as const } } : {}),
      },
      _sum: { count: true },
      _min: { firstSeen: true },
      _max: { lastSeen: true, refusedName: true },
      orderBy: [{ _sum: { count: 'desc' } }, { origin: 'asc' }],
      take: f.limit,
    });
  }

  /**
   * Refusals summed per hour or UTC day, zero-filled from `from` to `to` (both bucket starts), in ONE query:
   * the hourly rows are grouped by the bucket holding their hour, then joined to the series of bucket starts.
   * `q` matches like `aggregate`'s (case-insensitive substring, LIKE wildcards taken literally).
   */
  async timeline(
    tenantId: string,
    f: { bucket: 'hour' | 'day'; from: Date; to: Date; until: Date; q?: string },
  ): Promise<Array<{ start: Date; count: number }>> {
    // Whole hours, not '1 day': day steps would follow the session time zone's DST; the buckets are UTC.
    const step = f.bucket === 'hour' ? '1 hour' : '24 hours';
    const q = f.q
      ? Prisma.sql`AND a.origin ILIKE ${`%${f.q.replace(/[\\%_]/g, '\\$&')}%`}`
      : Prisma.empty;
    const rows = await this.prisma.$queryRaw<Array<{ start: Date; count: bigint }>>`
      WITH counted AS (
        SELECT date_trunc(${f.bucket}, a.hour, 'UTC') AS start, sum(a.count) AS count
          FROM blocked_origin_aggregates a
         WHERE a.tenant_id = ${tenantId}::uuid
           AND a.hour >= ${f.from} AND a.hour < ${f.until}
           ${q}
         GROUP BY 1
      )
      SELECT s.start, COALESCE(c.count, 0)::bigint AS count
        FROM generate_series(${f.from}::timestamptz, ${f.to}::timestamptz, ${step}::interval) AS s(start)
        LEFT JOIN counted c ON c.start = s.start
       ORDER BY s.start`;
    return rows.map((r) => ({ start: r.start, count: Number(r.count) }));
  }
}
