import { Body, Controller, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import {
  blockedEventsAcceptedSchema,
  blockedEventsBatchSchema,
  type BlockedEventsAccepted,
  type BlockedEventsBatch,
} from '@corsplane/contracts';
import { ResolveKey } from '../../common/auth/access.decorators.js';
import { AppError, type ErrorCode } from '../../common/errors/app-error.js';
import { ApiJson } from '../../common/openapi/api-json.decorator.js';
import { ZodPipe } from '../../common/pipes/zod.pipe.js';
import { BlockedLogService } from './blocked-log.service.js';
import { ResolveService, type ResolveFailure } from './resolve.service.js';

@ApiTags('resolve')
@Controller('resolve/events')
export class ResolveEventsController {
  constructor(
    private readonly blocked: BlockedLogService,
    private readonly resolver: ResolveService,
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
    @Req() req: FastifyRequest,
    @Body(new ZodPipe(blockedEventsBatchSchema, 'body')) body: BlockedEventsBatch,
  ): Promise<BlockedEventsAccepted> {
    // The same key and tenant rule as GET /resolve (ResolveService): the key was verified before the body
    // was read (app.setup's onRequest hook), so this is a cache hit.
    const key = await this.resolver.authenticate(req.headers.authorization, req.ip);
    if ('status' in key) throw failureError(key);
    const tenantId = await this.resolver.tenantFor(key, body.tenant);
    if (typeof tenantId !== 'string') {
      if (tenantId.status === 400 && body.tenant === undefined)
        throw new AppError('bad-request', 'A platform key needs "tenant" in the body');
      throw failureError(tenantId);
    }
    this.blocked.recordBatch(tenantId, body.events, body.overflow, Date.now(), body.shadow);
    return { accepted: body.events.length, overflow: body.overflow };
  }
}

const CODES: Record<ResolveFailure['status'], ErrorCode> = {
  400: 'bad-request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  429: 'too-many-requests',
  503: 'unavailable',
};

/** A ResolveFailure as the AppError the global filter answers with the same status and message. */
function failureError(f: ResolveFailure): AppError {
  const headers: Record<string, string> = {};
  if (f.status === 401) headers['www-authenticate'] = 'Bearer';
  if (f.retryAfter !== undefined) headers['retry-after'] = String(f.retryAfter);
  return new AppError(CODES[f.status], f.body.message, undefined, headers);
}
