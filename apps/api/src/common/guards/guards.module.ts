import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeysModule } from '../../modules/api-keys/api-keys.module.js';
import { AuthModule } from '../../modules/auth/auth.module.js';
import { TenantsModule } from '../../modules/tenants/tenants.module.js';
import { AccessGuard } from './access.guard.js';

@Module({
  imports: [AuthModule, ApiKeysModule, TenantsModule],
  providers: [{ provide: APP_GUARD, useClass: AccessGuard }],
})
export class GuardsModule {}
