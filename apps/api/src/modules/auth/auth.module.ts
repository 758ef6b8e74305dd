import { Module } from '@nestjs/common';
import { TenantsModule } from '../tenants/tenants.module.js';
import { UsersModule } from '../users/users.module.js';
import { AuthController } from './auth.controller.js';
import { AuthRepository } from './auth.repository.js';
import { AuthService } from './auth.service.js';
import { LoginThrottleRepository } from './login-throttle.repository.js';
import { LoginThrottleService } from './login-throttle.service.js';
import { OidcClientService } from './oidc-client.service.js';
import { OidcController } from './oidc.controller.js';

@Module({
  imports: [UsersModule, TenantsModule],
  controllers: [AuthController, OidcController],
  providers: [
    AuthRepository,
    AuthService,
    LoginThrottleRepository,
    LoginThrottleService,
    OidcClientService,
  ],
  exports: [AuthService, LoginThrottleService],
})
export class AuthModule {}
