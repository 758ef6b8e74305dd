import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  apiKeyListSchema,
  createApiKeySchema,
  createdApiKeySchema,
  idSchema,
  type ApiKey,
  type CreateApiKey,
  type CreatedApiKey,
} from '@corsplane/contracts';
import {
  CurrentActor,
  CurrentTenant,
  PlatformAdmin,
  TenantRead,
  TenantWrite,
} from '../../common/auth/access.decorators.js';
import type { Actor } from '../../common/auth/principal.js';
import type { TenantRecord } from '../../common/auth/tenant-record.js';
import { ZodPipe } from '../../common/pipes/zod.pipe.js';
import { ApiJson } from '../../common/openapi/api-json.decorator.js';
import { ApiKeysService } from './api-keys.service.js';

@ApiTags('keys')
@Controller('v1/tenants/:slug/keys')
export class TenantKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  @TenantRead()
  @ApiJson({
    summary: "The tenant's /resolve keys (prefixes only, never secrets)",
    response: apiKeyListSchema,
    errors: [404],
  })
  list(@CurrentTenant() tenant: TenantRecord): Promise<{ items: ApiKey[] }> {
    return this.keys.list(tenant);
  }

  @Post()
  @TenantWrite()
  @ApiJson({
    summary: 'Create a tenant key; the secret is in this answer only',
    body: createApiKeySchema,
    response: createdApiKeySchema,
    status: 201,
    errors: [404],
  })
  create(
    @CurrentTenant() tenant: TenantRecord,
    @Body(new ZodPipe(createApiKeySchema, 'body')) body: CreateApiKey,
    @CurrentActor() actor: Actor,
  ): Promise<CreatedApiKey> {
    return this.keys.create(tenant, body.name, actor);
  }

  @Delete(':id')
  @TenantWrite()
  @ApiJson({ summary: 'Revoke a tenant key', status: 204, errors: [404] })
  async revoke(
    @CurrentTenant() tenant: TenantRecord,
    @Param('id', new ZodPipe(idSchema, 'key id')) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<void> {
    await this.keys.revoke(tenant, id, actor);
  }
}

/** Platform keys: not tied to a tenant, they call /resolve with `tenant=<slug>`. Platform admins only. */
@ApiTags('keys')
@Controller('v1/keys')
export class PlatformKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  @PlatformAdmin()
  @ApiJson({ summary: 'Platform keys (prefixes only)', response: apiKeyListSchema })
  list(): Promise<{ items: ApiKey[] }> {
    return this.keys.list(null);
  }

  @Post()
  @PlatformAdmin()
  @ApiJson({
    summary: 'Create a platform key; the secret is in this answer only',
    body: createApiKeySchema,
    response: createdApiKeySchema,
    status: 201,
  })
  create(
    @Body(new ZodPipe(createApiKeySchema, 'body')) body: CreateApiKey,
    @CurrentActor() actor: Actor,
  ): Promise<CreatedApiKey> {
    return this.keys.create(null, body.name, actor);
  }

  @Delete(':id')
  @PlatformAdmin()
  @ApiJson({ summary: 'Revoke a platform key', status: 204, errors: [404] })
  async revoke(
    @Param('id', new ZodPipe(idSchema, 'key id')) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<void> {
    await this.keys.revoke(null, id, actor);
  }
}
