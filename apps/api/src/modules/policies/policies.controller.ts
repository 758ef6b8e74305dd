import { Body, Controller, Get, Headers, Param, Post, Put, Res } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  policyResponseSchema,
  policySchema,
  policyValidationResponseSchema,
  policyWriteSchema,
  restoreBodySchema,
  type RestoreBody,
  type PolicyWriteInput,
  policyVersionListSchema,
  policyVersionSchema,
  policyVersionsQuerySchema,
  simulateRequestSchema,
  simulateResponseSchema,
  type Policy,
  type PolicyValidationResponse,
  type PolicyVersion,
  type PolicyVersionList,
  type PolicyVersionsQuery,
  type SimulateRequest,
  type SimulateResponse,
  versionNumberSchema,
} from '@corsplane/contracts';
import { Query } from '@nestjs/common';
import {
  CurrentActor,
  CurrentTenant,
  TenantRead,
  TenantWrite,
} from '../../common/auth/access.decorators.js';
import type { Actor } from '../../common/auth/principal.js';
import type { TenantRecord } from '../../common/auth/tenant-record.js';
import { AppError } from '../../common/errors/app-error.js';
import { ZodPipe } from '../../common/pipes/zod.pipe.js';
import { ApiJson } from '../../common/openapi/api-json.decorator.js';
import { PoliciesService } from './policies.service.js';
import { etagOf, parseIfMatch, requireIfMatch } from './policy-document.js';

@ApiTags('policies')
@Controller('v1/tenants/:slug')
export class PoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  @Get('policy')
  @TenantRead()
  @ApiJson({
    summary: 'The current policy (ETag: "<version>")',
    response: policyResponseSchema,
    errors: [404],
  })
  async get(
    @CurrentTenant() tenant: TenantRecord,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Policy> {
    const policy = await this.policies.get(tenant);
    void reply.header('etag', etagOf(policy.version));
    return policy;
  }

  @Put('policy')
  @TenantWrite()
  @ApiHeader({
    name: 'If-Match',
    required: true,
    description: 'The ETag of the GET ("<version>"), or the bare version',
  })
  @ApiJson({
    summary:
      'Replace the policy (optimistic concurrency with If-Match); `note`: an optional change note',
    body: policyWriteSchema,
    response: policyResponseSchema,
    errors: [404, 412, 422, 428],
  })
  async put(
    @CurrentTenant() tenant: TenantRecord,
    @Headers('if-match') ifMatch: string | undefined,
    @Body(new ZodPipe(policyWriteSchema, 'policy')) body: PolicyWriteInput,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Policy> {
    const { note, ...doc } = body;
    const policy = await this.policies.update(
      tenant,
      doc,
      requireIfMatch(ifMatch),
      actor,
      note ?? null,
    );
    void reply.header('etag', etagOf(policy.version));
    return policy;
  }

  @Post('policy/validate')
  @TenantRead()
  @ApiJson({
    summary: 'Dry run: every error and warning of a policy document, nothing saved',
    body: policySchema,
    response: policyValidationResponseSchema,
  })
  validate(@Body() body: unknown): PolicyValidationResponse {
    if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new AppError('bad-request', 'Send a JSON policy document');
    }
    return this.policies.validate(body);
  }

  @Post('simulate')
  @TenantRead()
  @ApiJson({
    summary: 'What /resolve would answer for an origin (stored policy, or a draft in `policy`)',
    body: simulateRequestSchema,
    response: simulateResponseSchema,
    errors: [404, 422],
  })
  simulate(
    @CurrentTenant() tenant: TenantRecord,
    @Body(new ZodPipe(simulateRequestSchema, 'body')) body: SimulateRequest,
  ): Promise<SimulateResponse> {
    return this.policies.simulate(tenant, body);
  }

  @Get('policy/versions')
  @TenantRead()
  @ApiJson({
    summary: 'Policy history, newest first (each version is immutable)',
    query: policyVersionsQuerySchema,
    response: policyVersionListSchema,
    errors: [404],
  })
  versions(
    @CurrentTenant() tenant: TenantRecord,
    @Query(new ZodPipe(policyVersionsQuerySchema, 'query')) q: PolicyVersionsQuery,
  ): Promise<PolicyVersionList> {
    return this.policies.listVersions(tenant, q);
  }

  @Get('policy/versions/:v')
  @TenantRead()
  @ApiJson({
    summary:
      'One version with its whole policy (the history lists versions without their documents)',
    response: policyVersionSchema,
    errors: [400, 404],
  })
  version(
    @CurrentTenant() tenant: TenantRecord,
    @Param('v', new ZodPipe(versionNumberSchema, 'version')) v: number,
  ): Promise<PolicyVersion> {
    return this.policies.getVersion(tenant, v);
  }

  @Post('policy/versions/:v/restore')
  @TenantWrite()
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'Optional: the ETag the restore expects to replace',
  })
  @ApiJson({
    summary: 'Restore an old version as a new version (body, optional: `{ note }`, a change note)',
    body: restoreBodySchema,
    response: policyResponseSchema,
    errors: [404, 412, 422],
  })
  async restore(
    @CurrentTenant() tenant: TenantRecord,
    @Param('v', new ZodPipe(versionNumberSchema, 'version')) v: number,
    @Headers('if-match') ifMatch: string | undefined,
    @Body(new ZodPipe(restoreBodySchema.optional(), 'body')) body: RestoreBody | undefined,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Policy> {
    const expected = parseIfMatch(ifMatch);
    if (expected === null)
      throw new AppError(
        'bad-request',
        'If-Match must be the policy ETag ("<version>") or the bare version number',
      );
    const policy = await this.policies.restore(tenant, v, expected, actor, body?.note ?? null);
    void reply.header('etag', etagOf(policy.version));
    return policy;
  }
}
