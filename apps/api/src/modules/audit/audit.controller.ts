import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  auditListSchema,
  auditQuerySchema,
  type AuditList,
  type AuditQuery,
} from '@corsplane/contracts';
import { AnyUser, CurrentPrincipal } from '../../common/auth/access.decorators.js';
import type { Principal } from '../../common/auth/principal.js';
import { ZodPipe } from '../../common/pipes/zod.pipe.js';
import { ApiJson } from '../../common/openapi/api-json.decorator.js';
import { AuditService } from './audit.service.js';

@ApiTags('audit')
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @AnyUser()
  @ApiJson({
    summary:
      'Append-only change log (platform roles: every tenant; members: the tenants they belong to)',
    query: auditQuerySchema,
    response: auditListSchema,
  })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query(new ZodPipe(auditQuerySchema, 'query')) q: AuditQuery,
  ): Promise<AuditList> {
    return this.audit.list(principal, q);
  }
}
