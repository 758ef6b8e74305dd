import { Body, Controller, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  blockedEventsAcceptedSchema,
  blockedEventsBatchSchema,
  slugSchema,
  type BlockedEventsAccepted,
  type BlockedEventsBatch,
} from '@corsplane/contracts';
import { CurrentPrincipal, ResolveKey } from '../../common/auth/access.decorators.js';
import type { Principal } from '../../common/auth/principal.js';
import { AppError } from '../../common/errors/app-error.js';
import { ApiJson } from '../../common/openapi/api-json.decorator.js';
import { ZodPipe } from '../../common/pipes/zod.pipe.js';
import { BlockedLogService } from './blocked-log.service.js';
import { PolicyCacheService } from './policy-cache.service.js';

@ApiTags('resolve')
@Controller('resolve/events')
export class ResolveEventsController {
  constructor(
    private readonly blocked: BlockedLogService,
    private readonly policies: PolicyCacheService,
  ) {}

  @Post()
  @ResolveKey()
  @ApiJson({
    summary:
      'Batched blocked-origin counts from SDKs (refusals they served from their cache) and their shadow differences (`shadow`, while a candidate exists); tenant key, or platform key + tenant',
    body: blockedEventsBatchSchema,
    response: blockedEventsAcceptedSchema,
    status: 202,
    errors: [404],
  })
  async ingest(
    @CurrentPrincipal() principal: Principal,
    @Body(new ZodPipe(blockedEventsBatchSchema, 'body')) body: BlockedEventsBatch,
  ): Promise<BlockedEventsAccepted> {
    if (principal.kind !== 'key') throw new AppError('forbidden', 'This route needs an API key');
    let tenantId = principal.tenantId;
    if (body.tenant !== undefined) {
      if (!slugSchema.safeParse(body.tenant).success)
        throw new AppError('bad-request', 'tenant is not a valid tenant slug');
      const named = await this.policies.tenantId(body.tenant);
      if (tenantId !== null && named !== tenantId)
        throw new AppError('forbidden', 'This key belongs to another tenant');
      if (named === null) throw new AppError('not-found', `Tenant "${body.tenant}" not found`);
      tenantId = named;
    }
    if (tenantId === null)
      throw new AppError('bad-request', 'A platform key needs "tenant" in the body');
    this.blocked.recordBatch(tenantId, body.events, body.overflow, Date.now(), body.shadow);
    return { accepted: body.events.length, overflow: body.overflow };
  }
}
