import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ENV, type Env } from './config/env.schema.js';
import { PrismaModule } from './prisma/prisma.module.js';
import { AllExceptionsFilter } from './common/filters/all-exceptions.filter.js';
import { GuardsModule } from './common/guards/guards.module.js';
import { createLogger, LOGGER, type Logger } from './common/logging/logger.js';
import { ApiKeysModule } from './modules/api-keys/api-keys.module.js';
import { AuditModule } from './modules/audit/audit.module.js';
import { AuthModule } from './modules/auth/auth.module.js';
import { BlockedOriginsModule } from './modules/blocked-origins/blocked-origins.module.js';
import { ChangesModule } from './modules/changes/changes.module.js';
import { InvitationsModule } from './modules/invitations/invitations.module.js';
import { HealthModule } from './modules/health/health.module.js';
import { MetricsModule } from './modules/metrics/metrics.module.js';
import { PlatformPolicyModule } from './modules/platform-policy/platform-policy.module.js';
import { PoliciesModule } from './modules/policies/policies.module.js';
import { ResolveModule } from './modules/resolve/resolve.module.js';
import { SeedModule } from './modules/seed/seed.module.js';
import { TenantsModule } from './modules/tenants/tenants.module.js';
import { UsersModule } from './modules/users/users.module.js';
import { ConsoleModule } from './modules/console/console.module.js';

@Module({})
export class AppModule {
  /** The whole API for a validated Env (main.ts and the e2e tests build it the same way). */
  static register(env: Env, logger: Logger = createLogger(env.LOG_LEVEL)): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        PrismaModule,
        ChangesModule,
        AuditModule,
        AuthModule,
        TenantsModule,
        PoliciesModule,
        PlatformPolicyModule,
        ApiKeysModule,
        UsersModule,
        InvitationsModule,
        BlockedOriginsModule,
        ResolveModule,
        HealthModule,
        MetricsModule,
        SeedModule,
        ConsoleModule,
        GuardsModule,
      ],
      providers: [
        { provide: ENV, useValue: env },
        { provide: LOGGER, useValue: logger },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
      exports: [ENV, LOGGER],
    };
  }
}
