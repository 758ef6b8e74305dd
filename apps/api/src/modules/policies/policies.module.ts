import { Module } from '@nestjs/common';
import { PlatformPolicyModule } from '../platform-policy/platform-policy.module.js';
import { PoliciesController } from './policies.controller.js';
import { PoliciesRepository } from './policies.repository.js';
import { PoliciesService } from './policies.service.js';
import { PolicyExportService } from './policy-export.service.js';
import { PolicyCandidatesController } from './policy-candidates.controller.js';
import { PolicyCandidatesRepository } from './policy-candidates.repository.js';
import { PolicyCandidatesService } from './policy-candidates.service.js';
import { PolicyOriginsController } from './policy-origins.controller.js';
import { PolicyOriginsRepository } from './policy-origins.repository.js';
import { PolicyOriginsService } from './policy-origins.service.js';
import { SimulatePolicies } from './simulate-policies.js';

@Module({
  imports: [PlatformPolicyModule],
  controllers: [PoliciesController, PolicyOriginsController, PolicyCandidatesController],
  providers: [
    PoliciesRepository,
    PoliciesService,
    PolicyOriginsRepository,
    PolicyOriginsService,
    PolicyExportService,
    PolicyCandidatesRepository,
    PolicyCandidatesService,
    SimulatePolicies,
  ],
  exports: [PoliciesService],
})
export class PoliciesModule {}
