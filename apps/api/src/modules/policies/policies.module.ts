import { Module } from '@nestjs/common';
import { PoliciesController } from './policies.controller.js';
import { PoliciesRepository } from './policies.repository.js';
import { PoliciesService } from './policies.service.js';
import { PolicyExportService } from './policy-export.service.js';
import { PolicyOriginsController } from './policy-origins.controller.js';
import { PolicyOriginsRepository } from './policy-origins.repository.js';
import { PolicyOriginsService } from './policy-origins.service.js';

@Module({
  controllers: [PoliciesController, PolicyOriginsController],
  providers: [
    PoliciesRepository,
    PoliciesService,
    PolicyOriginsRepository,
    PolicyOriginsService,
    PolicyExportService,
  ],
  exports: [PoliciesService],
})
export class PoliciesModule {}
