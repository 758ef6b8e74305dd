import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../prisma/prisma.service.js';

@Injectable()
export class BlockedOriginsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Hourly buckets summed per origin and reason, most refused first. */
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
      _max: { lastSeen: true },
      orderBy: [{ _sum: { count: 'desc' } }, { origin: 'asc' }],
      take: f.limit,
    });
  }
}
