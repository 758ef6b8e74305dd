import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  candidateImpactQuerySchema,
  candidateImpactSchema,
  candidateImpactTimelineQuerySchema,
  candidateImpactTimelineSchema,
  candidateResponseSchema,
  CHANGE_NOTE_HEADER,
  policyResponseSchema,
  policyWriteSchema,
  promoteBodySchema,
  type CandidateImpact,
  type CandidateImpactQuery,
  type CandidateImpactTimeline,
  type CandidateImpactTimelineQuery,
  type CandidatePolicy,
  type Policy,
  type PolicyWriteInput,
  type PromoteBody,
} from '@corsplane/contracts';
import {
  CurrentActor,
  CurrentTenant,
  TenantRead,
  TenantWrite,
} from '../../common/auth/access.decorators.js';
import type { Actor } from '../../common/auth/principal.js';
import type { TenantRecord } from '../../common/auth/tenant-record.js';
import { AppError } from '../../common/errors/app-error.js';
import { ApiJson } from '../../common/openapi/api-json.decorator.js';
import { ZodPipe } from '../../common/pipes/zod.pipe.js';
import { PolicyCandidatesService } from './policy-candidates.service.js';
import { etagOf, parseIfMatch, requireIfMatch } from './policy-document.js';
import { changeNote } from './policy-origins.controller.js';

const candidateDeletedSchema = z.object({ version: z.number().int() });

/** An optional `If-Match` (the candidate's ETag): undefined when absent, 400 when unreadable. */
function optionalIfMatch(header: string | undefined): number | undefined {
  const v = parseIfMatch(header);
  if (v === null)
    throw new AppError(
      'bad-request',
      'If-Match must be the candidate ETag ("<version>") or the bare version number',
    );
  return v;
}

/** SPEC §4.1 candidate routes: thin, every rule in PolicyCandidatesService. */
@ApiTags('policies')
@Controller('v1/tenants/:slug/policy/candidate')
export class PolicyCandidatesController {
  constructor(private readonly candidates: PolicyCandidatesService) {}

  @Get()
  @TenantRead()
  @ApiJson({
    summary: 'The candidate policy under shadow evaluation (ETag: "<candidate version>")',
    response: candidateResponseSchema,
    errors: [404],
  })
  async get(
    @CurrentTenant() tenant: TenantRecord,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CandidatePolicy> {
    const candidate = await this.candidates.get(tenant);
    void reply.header('etag', etagOf(candidate.version));
    return candidate;
  }

  @Put()
  @TenantWrite()
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description:
      'Required to replace a candidate (its ETag); absent to create one when there is none',
  })
  @ApiJson({
    summary:
      'Create or replace the candidate (the same document and validation as the policy); `note`: a change note',
    body: policyWriteSchema,
    response: candidateResponseSchema,
    errors: [404, 412, 422, 428],
  })
  async put(
    @CurrentTenant() tenant: TenantRecord,
    @Headers('if-match') ifMatch: string | undefined,
    @Body(new ZodPipe(policyWriteSchema, 'policy')) body: PolicyWriteInput,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CandidatePolicy> {
    const { note, ...doc } = body;
    const candidate = await this.candidates.put(
      tenant,
      doc,
      optionalIfMatch(ifMatch),
      actor,
      note ?? null,
    );
    void reply.header('etag', etagOf(candidate.version));
    return candidate;
  }

  @Delete()
  @TenantWrite()
  @ApiHeader({ name: 'If-Match', required: false, description: 'Optional: the candidate ETag' })
  @ApiHeader({ name: CHANGE_NOTE_HEADER, required: false, description: 'A change note' })
  @ApiJson({
    summary: 'Discard the candidate (shadow evaluation stops)',
    response: candidateDeletedSchema,
    errors: [404, 412],
  })
  async remove(
    @CurrentTenant() tenant: TenantRecord,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers(CHANGE_NOTE_HEADER) note: string | undefined,
    @CurrentActor() actor: Actor,
  ): Promise<{ version: number }> {
    const version = await this.candidates.remove(
      tenant,
      optionalIfMatch(ifMatch),
      actor,
      changeNote(note),
    );
    return { version };
  }

  @Post('promote')
  @HttpCode(200)
  @TenantWrite()
  @ApiHeader({ name: 'If-Match', required: true, description: 'The live policy ETag' })
  @ApiJson({
    summary:
      'The candidate becomes live: one new version and one audit row, the candidate cleared (`note`, `candidateVersion` optional)',
    body: promoteBodySchema,
    response: policyResponseSchema,
    status: 200,
    errors: [404, 412, 422, 428],
  })
  async promote(
    @CurrentTenant() tenant: TenantRecord,
    @Headers('if-match') ifMatch: string | undefined,
    @Body(new ZodPipe(promoteBodySchema.optional(), 'body')) body: PromoteBody | undefined,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Policy> {
    const live = await this.candidates.promote(tenant, requireIfMatch(ifMatch), body ?? {}, actor);
    void reply.header('etag', etagOf(live.version));
    return live;
  }

  @Get('impact')
  @TenantRead()
  @ApiJson({
    summary:
      'What the candidate would change: shadow differences per origin, direction and reason (paged rows + totals)',
    query: candidateImpactQuerySchema,
    response: candidateImpactSchema,
    errors: [404],
  })
  impact(
    @CurrentTenant() tenant: TenantRecord,
    @Query(new ZodPipe(candidateImpactQuerySchema, 'query')) q: CandidateImpactQuery,
  ): Promise<CandidateImpact> {
    return this.candidates.impact(tenant, q);
  }

  @Get('impact/timeline')
  @TenantRead()
  @ApiJson({
    summary:
      'The shadow differences per hour or UTC day, per direction, zero-filled (one request per chart)',
    query: candidateImpactTimelineQuerySchema,
    response: candidateImpactTimelineSchema,
    errors: [404],
  })
  impactTimeline(
    @CurrentTenant() tenant: TenantRecord,
    @Query(new ZodPipe(candidateImpactTimelineQuerySchema, 'query'))
    q: CandidateImpactTimelineQuery,
  ): Promise<CandidateImpactTimeline> {
    return this.candidates.impactTimeline(tenant, q);
  }
}
