import { Module } from '@nestjs/common';
import {
  PlatformPolicyController,
  TenantBaselineController,
} from './platform-policy.controller.js';
import { PlatformPolicyRepository } from './platform-policy.repository.js';
import { PlatformPolicyService } from './platform-policy.service.js';

@Module({
  controllers: [PlatformPolicyController, TenantBaselineController],
  providers: [PlatformPolicyRepository, PlatformPolicyService],
  exports: [PlatformPolicyService],
})
export class PlatformPolicyModule {}
