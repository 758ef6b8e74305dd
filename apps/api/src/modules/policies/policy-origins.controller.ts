import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  addOriginSchema,
  CHANGE_NOTE_HEADER,
  changeNoteSchema,
  exportQuerySchema,
  importQuerySchema,
  importResultSchema,
  originDeleteResultSchema,
  originEntrySchema,
  originListSchema,
  originsQuerySchema,
  originWriteResultSchema,
  patchOriginSchema,
  type AddOrigin,
  type ExportQuery,
  type ImportQuery,
  type ImportResult,
  type OriginDeleteResult,
  type OriginList,
  type OriginsQuery,
  type OriginWriteResult,
  type PatchOrigin,
} from '@corsplane/contracts';
import { parseOriginPattern } from '@corsplane/policy';
import { z } from 'zod';
import {
  CurrentActor,
  CurrentTenant,
  TenantRead,
  TenantWrite,
} from '../../common/auth/access.decorators.js';
import type { Actor } from '../../common/auth/principal.js';
import type { TenantRecord } from '../../common/auth/tenant-record.js';
import { AppError } from '../../common/errors/app-error.js';
import { ApiJson, openApiSchema } from '../../common/openapi/api-json.decorator.js';
import { ZodPipe } from '../../common/pipes/zod.pipe.js';
import { importFormatOf } from './origin-import.parser.js';
import { PolicyExportService } from './policy-export.service.js';
import { PolicyOriginsService } from './policy-origins.service.js';

/**
 * The change note of a write without a JSON body of its own (SPEC §4.1). Header values are bytes: UTF-8
 * travels percent-encoded (`encodeURIComponent`), which is decoded when it decodes.
 */
export function changeNote(header: string | undefined): string | null {
  if (header === undefined) return null;
  let text = header;
  try {
    text = decodeURIComponent(header);
  } catch {
    // Not percent-encoding (a literal "100%"): the header as sent.
  }
  const parsed = changeNoteSchema.safeParse(text);
  if (!parsed.success)
    throw new AppError('bad-request', `${CHANGE_NOTE_HEADER} must be 1 to 1,000 characters`);
  return parsed.data;
}

/** `:pattern` is the URL-encoded normalised pattern; another spelling of it (`https://A.com:443`) finds it too. */
const patternParamSchema = z
  .string()
  .min(1)
  .max(4096)
  .transform((p) => {
    const parsed = parseOriginPattern(p);
    return parsed.ok ? parsed.pattern.normalised : p;
  });

const CHANGE_NOTE_DOC = ApiHeader({
  name: 'X-Change-Note',
  required: false,
  description: 'A change note, kept with the version and the audit row (percent-encode non-ASCII)',
});

@ApiTags('policy origins')
@Controller('v1/tenants/:slug/policy')
export class PolicyOriginsController {
  constructor(
    private readonly origins: PolicyOriginsService,
    private readonly exports: PolicyExportService,
  ) {}

  @Get('origins')
  @TenantRead()
  @ApiJson({
    summary:
      'Entries of the live policy in document order, paged (`q`: substring of pattern or note)',
    query: originsQuerySchema,
    response: originListSchema,
    errors: [404],
  })
  list(
    @CurrentTenant() tenant: TenantRecord,
    @Query(new ZodPipe(originsQuerySchema, 'query')) q: OriginsQuery,
  ): Promise<OriginList> {
    return this.origins.page(tenant, q);
  }

  @Post('origins')
  @TenantWrite()
  @CHANGE_NOTE_DOC
  @ApiJson({
    summary:
      'Add one origin (no If-Match: single-origin writes commute); one version, one audit row',
    body: addOriginSchema,
    response: originWriteResultSchema,
    status: 201,
    errors: [404, 409, 422],
  })
  add(
    @CurrentTenant() tenant: TenantRecord,
    @Body(new ZodPipe(addOriginSchema, 'body')) body: AddOrigin,
    @Headers(CHANGE_NOTE_HEADER) note: string | undefined,
    @CurrentActor() actor: Actor,
  ): Promise<OriginWriteResult> {
    return this.origins.add(tenant, body, actor, changeNote(note));
  }

  @Post('origins/import')
  @TenantWrite()
  @CHANGE_NOTE_DOC
  @ApiConsumes('application/json', 'text/csv', 'text/plain')
  @ApiBody({
    description:
      'A JSON array of patterns or entries; CSV with the columns pattern,note,expiresAt (header row optional); or one pattern a line',
    schema: openApiSchema(z.array(z.union([z.string(), originEntrySchema])), 'input'),
  })
  @ApiJson({
    summary:
      'Add many origins, all or nothing (422 with one error per bad line; `dryRun=true`: the report, nothing saved, 200)',
    query: importQuerySchema,
    response: importResultSchema,
    errors: [404, 413, 415, 422],
  })
  async import(
    @CurrentTenant() tenant: TenantRecord,
    @Query(new ZodPipe(importQuerySchema, 'query')) q: ImportQuery,
    @Headers('content-type') contentType: string | undefined,
    @Headers(CHANGE_NOTE_HEADER) note: string | undefined,
    @Body() body: unknown,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<
    ImportResult | (ImportResult & { statusCode: number; error: string; message: string })
  > {
    const format = importFormatOf(contentType);
    if (format === null)
      throw new AppError('unsupported-media-type', 'Send application/json, text/csv or text/plain');
    const dryRun = q.dryRun === 'true';
    const result = await this.origins.import(tenant, format, body, dryRun, actor, changeNote(note));
    if (dryRun || result.errors.length === 0) return result;
    // The SPEC's error body and the report in one: nothing was saved.
    void reply.code(422);
    const n = result.errors.length;
    return {
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: `${n} line${n === 1 ? '' : 's'} of the import ${n === 1 ? 'is' : 'are'} invalid: nothing was saved`,
      ...result,
    };
  }

  @Patch('origins/:pattern')
  @TenantWrite()
  @CHANGE_NOTE_DOC
  @ApiJson({
    summary: "Change one origin's note or expiry; one version, one audit row",
    body: patchOriginSchema,
    response: originWriteResultSchema,
    errors: [404, 422],
  })
  patch(
    @CurrentTenant() tenant: TenantRecord,
    @Param('pattern', new ZodPipe(patternParamSchema, 'pattern')) pattern: string,
    @Body(new ZodPipe(patchOriginSchema, 'body')) body: PatchOrigin,
    @Headers(CHANGE_NOTE_HEADER) note: string | undefined,
    @CurrentActor() actor: Actor,
  ): Promise<OriginWriteResult> {
    return this.origins.patch(tenant, pattern, body, actor, changeNote(note));
  }

  @Delete('origins/:pattern')
  @TenantWrite()
  @CHANGE_NOTE_DOC
  @ApiJson({
    summary: 'Remove one origin; one version, one audit row',
    response: originDeleteResultSchema,
    errors: [404],
  })
  remove(
    @CurrentTenant() tenant: TenantRecord,
    @Param('pattern', new ZodPipe(patternParamSchema, 'pattern')) pattern: string,
    @Headers(CHANGE_NOTE_HEADER) note: string | undefined,
    @CurrentActor() actor: Actor,
  ): Promise<OriginDeleteResult> {
    return this.origins.remove(tenant, pattern, actor, changeNote(note));
  }

  @Get('export')
  @TenantRead()
  @ApiProduces('application/json', 'text/csv')
  @ApiJson({
    summary:
      'The live policy as a file: JSON (the policy document) or CSV (pattern,note,expiresAt, importable as is)',
    query: exportQuerySchema,
    errors: [404],
  })
  async export(
    @CurrentTenant() tenant: TenantRecord,
    @Query(new ZodPipe(exportQuerySchema, 'query')) q: ExportQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const file = await this.exports.export(tenant, q.format);
    void reply
      .header('content-type', file.contentType)
      .header('content-disposition', `attachment; filename="${file.filename}"`)
      .header('etag', `"${file.version}"`);
    return file.body;
  }
}
