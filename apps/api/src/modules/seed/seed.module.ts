import { Module } from '@nestjs/common';
import { PoliciesModule } from '../policies/policies.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { UsersModule } from '../users/users.module.js';
import { SeedService } from './seed.service.js';

@Module({
  imports: [TenantsModule, PoliciesModule, UsersModule],
  providers: [SeedService],
  exports: [SeedService],
})
export class SeedModule {}
