import { Module } from '@nestjs/common';
import { ResolveModule } from '../resolve/resolve.module.js';
import { BlockedOriginsController } from './blocked-origins.controller.js';
import { BlockedOriginsRepository } from './blocked-origins.repository.js';
import { BlockedOriginsService } from './blocked-origins.service.js';

@Module({
  imports: [ResolveModule],
  controllers: [BlockedOriginsController],
  providers: [BlockedOriginsRepository, BlockedOriginsService],
})
export class BlockedOriginsModule {}
