import { Body, Controller, Delete, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  createTenantSchema,
  tenantListQuerySchema,
  tenantListSchema,
  tenantSchema,
  updateTenantSchema,
  type CreateTenant,
  type Tenant,
  type TenantList,
  type TenantListQuery,
  type UpdateTenant,
} from '@corsplane/contracts';
import {
  AnyUser,
  CurrentActor,
  CurrentPrincipal,
  CurrentTenant,
  PlatformAdmin,
  TenantRead,
} from '../../common/auth/access.decorators.js';
import type { Actor, Principal } from '../../common/auth/principal.js';
import type { TenantRecord } from '../../common/auth/tenant-record.js';
import { ZodPipe } from '../../common/pipes/zod.pipe.js';
import { ApiJson } from '../../common/openapi/api-json.decorator.js';
import { TenantsService } from './tenants.service.js';

@ApiTags('tenants')
@Controller('v1/tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Get()
  @AnyUser()
  @ApiJson({
    summary:
      'Tenants with their policy summary (platform roles: all; others: their memberships), paged in slug order; `q` searches slug and name',
    query: tenantListQuerySchema,
    response: tenantListSchema,
  })
  list(
    @CurrentPrincipal() principal: Principal,
    @Query(new ZodPipe(tenantListQuerySchema, 'query')) q: TenantListQuery,
  ): Promise<TenantList> {
    return this.tenants.list(principal, q);
  }

  @Post()
  @PlatformAdmin()
  @ApiJson({
    summary: 'Create a tenant (starts with a deny-all policy at version 1)',
    body: createTenantSchema,
    response: tenantSchema,
    status: 201,
    errors: [409],
  })
  create(
    @Body(new ZodPipe(createTenantSchema, 'body')) body: CreateTenant,
    @CurrentActor() actor: Actor,
  ): Promise<Tenant> {
    return this.tenants.create(body, actor);
  }

  @Get(':slug')
  @TenantRead()
  @ApiJson({
    summary: 'Get a tenant, with its policy summary',
    response: tenantSchema,
    errors: [404],
  })
  get(@CurrentTenant() tenant: TenantRecord): Promise<Tenant> {
    return this.tenants.get(tenant);
  }

  @Patch(':slug')
  @PlatformAdmin()
  @ApiJson({
    summary: 'Rename a tenant (the slug is immutable)',
    body: updateTenantSchema,
    response: tenantSchema,
    errors: [404],
  })
  update(
    @CurrentTenant() tenant: TenantRecord,
    @Body(new ZodPipe(updateTenantSchema, 'body')) body: UpdateTenant,
    @CurrentActor() actor: Actor,
  ): Promise<Tenant> {
    return this.tenants.update(tenant, body, actor);
  }

  @Delete(':slug')
  @PlatformAdmin()
  @ApiJson({
    summary: 'Delete a tenant with its policy, versions and keys (the audit log keeps its history)',
    status: 204,
    errors: [404],
  })
  async delete(@CurrentTenant() tenant: TenantRecord, @CurrentActor() actor: Actor): Promise<void> {
    await this.tenants.delete(tenant, actor);
  }
}
