import { Inject, Injectable } from '@nestjs/common';
import { ENV, type Env } from '../../config/env.schema.js';
import { AppError } from '../../common/errors/app-error.js';
import { LoginThrottleRepository } from './login-throttle.repository.js';

/**
 * Counts failed logins per account and per client IP over a window (LOGIN_LOCKOUT_SECONDS): past the limit,
 * login answers 429 with Retry-After until the window ends. The windows live in PostgreSQL, so the limits
 * hold across all replicas together.
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    @Inject(ENV) private readonly env: Env,
    private readonly windows: LoginThrottleRepository,
  ) {}

  private limits(email: string, ip: string): Array<{ key: string; max: number }> {
    return [
      { key: accountKey(email), max: this.env.LOGIN_MAX_FAILURES_PER_ACCOUNT },
      { key: `ip:${ip}`, max: this.env.LOGIN_MAX_FAILURES_PER_IP },
    ];
  }

  async assertAllowed(email: string, ip: string): Promise<void> {
    const closed = await this.windows.firstAtLimit(this.limits(email, ip));
    if (closed === null) return;
    throw new AppError('too-many-requests', 'Too many failed logins: try again later', undefined, {
      'retry-after': String(closed.retryAfterSeconds),
    });
  }

  recordFailure(email: string, ip: string): Promise<void> {
    const keys = this.limits(email, ip).map((l) => l.key);
    return this.windows.recordFailure(keys, this.env.LOGIN_LOCKOUT_SECONDS);
  }

  recordSuccess(email: string): Promise<void> {
    return this.windows.forget(accountKey(email));
  }
}

const accountKey = (email: string) => `account:${email}`;
