import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  BLOCKED_ORIGINS_TIMELINE_MAX_DAYS,
  blockedOriginListSchema,
  blockedOriginsQuerySchema,
  blockedOriginsTimelineQuerySchema,
  blockedOriginsTimelineSchema,
  type BlockedOrigin,
  type BlockedOriginsQuery,
  type BlockedOriginsTimeline,
  type BlockedOriginsTimelineQuery,
} from '@corsplane/contracts';
import { CurrentTenant, TenantRead } from '../../common/auth/access.decorators.js';
import type { TenantRecord } from '../../common/auth/tenant-record.js';
import { ZodPipe } from '../../common/pipes/zod.pipe.js';
import { ApiJson } from '../../common/openapi/api-json.decorator.js';
import { BlockedOriginsService } from './blocked-origins.service.js';

@ApiTags('blocked-origins')
@Controller('v1/tenants/:slug/blocked-origins')
export class BlockedOriginsController {
  constructor(private readonly blocked: BlockedOriginsService) {}

  @Get()
  @TenantRead()
  @ApiJson({
    summary: 'Refused origins, aggregated (origin, reason, count, firstSeen, lastSeen)',
    query: blockedOriginsQuerySchema,
    response: blockedOriginListSchema,
    errors: [404],
  })
  list(
    @CurrentTenant() tenant: TenantRecord,
    @Query(new ZodPipe(blockedOriginsQuerySchema, 'query')) q: BlockedOriginsQuery,
  ): Promise<{ items: BlockedOrigin[] }> {
    return this.blocked.list(tenant, q);
  }

  @Get('timeline')
  @TenantRead()
  @ApiJson({
    summary: `Refusals over time: counts per hour or UTC day, zero-filled, oldest first (window at most ${BLOCKED_ORIGINS_TIMELINE_MAX_DAYS} days; default the last 24 hours, or 30 days by day)`,
    query: blockedOriginsTimelineQuerySchema,
    response: blockedOriginsTimelineSchema,
    errors: [404],
  })
  timeline(
    @CurrentTenant() tenant: TenantRecord,
    @Query(new ZodPipe(blockedOriginsTimelineQuerySchema, 'query')) q: BlockedOriginsTimelineQuery,
  ): Promise<BlockedOriginsTimeline> {
    return this.blocked.timeline(tenant, q);
  }
}
