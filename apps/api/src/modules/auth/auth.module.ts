import { Module } from '@nestjs/common';
import { AuthController } from './auth.controller.js';
import { AuthRepository } from './auth.repository.js';
import { AuthService } from './auth.service.js';
import { LoginThrottleRepository } from './login-throttle.repository.js';
import { LoginThrottleService } from './login-throttle.service.js';

@Module({
  controllers: [AuthController],
  providers: [AuthRepository, AuthService, LoginThrottleRepository, LoginThrottleService],
  exports: [AuthService],
})
export class AuthModule {}
