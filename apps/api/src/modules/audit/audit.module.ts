import { Global, Module } from '@nestjs/common';
import { AuditController } from './audit.controller.js';
import { AuditRepository } from './audit.repository.js';
import { AuditService } from './audit.service.js';
import { TenantsRepository } from '../tenants/tenants.repository.js';

@Global()
@Module({
  controllers: [AuditController],
  providers: [AuditRepository, AuditService, TenantsRepository],
  exports: [AuditService],
})
export class AuditModule {}
