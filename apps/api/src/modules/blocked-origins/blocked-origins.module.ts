import { Module } from '@nestjs/common';
import { BlockedOriginsController } from './blocked-origins.controller.js';
import { BlockedOriginsRepository } from './blocked-origins.repository.js';
import { BlockedOriginsService } from './blocked-origins.service.js';

@Module({
  controllers: [BlockedOriginsController],
  providers: [BlockedOriginsRepository, BlockedOriginsService],
})
export class BlockedOriginsModule {}
