import { Body, Controller, Get, Headers, Put, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  baselineResponseSchema,
  baselineSchema,
  baselineVersionListSchema,
  policyVersionsQuerySchema,
  tenantBaselineResponseSchema,
  type Baseline,
  type BaselineInput,
  type BaselineVersionList,
  type PolicyVersionsQuery,
  type TenantBaseline,
} from '@corsplane/contracts';
import {
  CurrentActor,
  CurrentTenant,
  PlatformAdmin,
  PlatformRead,
  TenantRead,
} from '../../common/auth/access.decorators.js';
import type { Actor } from '../../common/auth/principal.js';
import type { TenantRecord } from '../../common/auth/tenant-record.js';
import { ZodPipe } from '../../common/pipes/zod.pipe.js';
import { ApiJson } from '../../common/openapi/api-json.decorator.js';
import { etagOf, requireIfMatch } from '../policies/policy-document.js';
import { PlatformPolicyService } from './platform-policy.service.js';

@ApiTags('platform policy')
@Controller('v1/platform/policy')
export class PlatformPolicyController {
  constructor(private readonly baseline: PlatformPolicyService) {}

  @Get()
  @PlatformRead()
  @ApiJson({
    summary:
      'The platform baseline every tenant includes (ETag: "<version>"; 0 before the first save)',
    response: baselineResponseSchema,
  })
  async get(@Res({ passthrough: true }) reply: FastifyReply): Promise<Baseline> {
    const baseline = await this.baseline.get();
    void reply.header('etag', etagOf(baseline.version));
    return baseline;
  }

  @Put()
  @PlatformAdmin()
  @ApiHeader({
    name: 'If-Match',
    required: true,
    description: 'The ETag of the GET ("<version>"), or the bare version',
  })
  @ApiJson({
    summary:
      'Replace the baseline; `{tenant}` in a host is checked for every existing tenant (422 names the slug)',
    body: baselineSchema,
    response: baselineResponseSchema,
    errors: [412, 422, 428],
  })
  async put(
    @Headers('if-match') ifMatch: string | undefined,
    @Body(new ZodPipe(baselineSchema, 'baseline')) body: BaselineInput,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Baseline> {
    const baseline = await this.baseline.update(body, requireIfMatch(ifMatch, 'baseline'), actor);
    void reply.header('etag', etagOf(baseline.version));
    return baseline;
  }

  @Get('versions')
  @PlatformRead()
  @ApiJson({
    summary: 'Baseline history, newest first (each version is immutable)',
    query: policyVersionsQuerySchema,
    response: baselineVersionListSchema,
  })
  versions(
    @Query(new ZodPipe(policyVersionsQuerySchema, 'query')) q: PolicyVersionsQuery,
  ): Promise<BaselineVersionList> {
    return this.baseline.listVersions(q.limit, q.before);
  }
}

/** What the baseline adds to one tenant's policy, readable by everyone who reads the tenant's policy. */
@ApiTags('policies')
@Controller('v1/tenants/:slug/policy/baseline')
export class TenantBaselineController {
  constructor(private readonly baseline: PlatformPolicyService) {}

  @Get()
  @TenantRead()
  @ApiJson({
    summary: 'The platform baseline entries this tenant includes, `{tenant}` expanded (read-only)',
    response: tenantBaselineResponseSchema,
    errors: [404],
  })
  get(@CurrentTenant() tenant: TenantRecord): Promise<TenantBaseline> {
    return this.baseline.forTenant(tenant);
  }
}
