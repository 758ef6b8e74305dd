import { Module } from '@nestjs/common';
import { PlatformPolicyModule } from '../platform-policy/platform-policy.module.js';
import { PoliciesModule } from '../policies/policies.module.js';
import { TenantsController } from './tenants.controller.js';
import { TenantsRepository } from './tenants.repository.js';
import { TenantsService } from './tenants.service.js';

@Module({
  imports: [PoliciesModule, PlatformPolicyModule],
  controllers: [TenantsController],
  providers: [TenantsRepository, TenantsService],
  exports: [TenantsRepository, TenantsService],
})
export class TenantsModule {}
