import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { BlockedLogService } from './blocked-log.service.js';
import { ChangeListenerService } from './change-listener.service.js';
import { DatabaseCircuit } from './database-circuit.service.js';
import { KeyCacheService } from './key-cache.service.js';
import { PolicyCacheService } from './policy-cache.service.js';
import { ResolveEventsController } from './resolve-events.controller.js';
import { ResolveRepository } from './resolve.repository.js';
import { ResolveChangesRoute } from './resolve-changes.route.js';
import { ResolveChangesService } from './resolve-changes.service.js';
import { ResolveEdge } from './resolve-edge.js';
import { ResolvePolicyRoute } from './resolve-policy.route.js';
import { ResolveService } from './resolve.service.js';

/**
 * `GET|HEAD /resolve` and `/resolve/headers` (the node:http edge), `GET /resolve/policy`, `GET /resolve/changes`,
 * `POST /resolve/events`, the one ResolveService behind them, their caches and the blocked log.
 */
@Module({
  imports: [ApiKeysModule, MetricsModule],
  controllers: [ResolveEventsController],
  providers: [
    DatabaseCircuit,
    ResolveRepository,
    KeyCacheService,
    PolicyCacheService,
    BlockedLogService,
    ChangeListenerService,
    ResolveService,
    ResolveEdge,
    ResolvePolicyRoute,
    ResolveChangesService,
    ResolveChangesRoute,
  ],
  exports: [
    ResolveService,
    PolicyCacheService,
    KeyCacheService,
    BlockedLogService,
    ChangeListenerService,
    DatabaseCircuit,
  ],
})
export class ResolveModule {}
