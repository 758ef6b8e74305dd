import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { ENV, type Env } from '../../config/env.schema.js';
import { AppError } from '../../common/errors/app-error.js';

interface Window {
  failures: number;
  resetAt: number;
}

/**
 * Counts failed logins per account and per client IP over a window (LOGIN_LOCKOUT_SECONDS): past the limit,
 * login answers 429 with Retry-After until the window ends. Per process (each replica counts on its own).
 */
@Injectable()
export class LoginThrottleService {
  private readonly windows = new LRUCache<string, Window>({ max: 100_000 });

  constructor(@Inject(ENV) private readonly env: Env) {}

  private limits(email: string, ip: string): Array<[string, number]> {
    return [
      [`account:${email}`, this.env.LOGIN_MAX_FAILURES_PER_ACCOUNT],
      [`ip:${ip}`, this.env.LOGIN_MAX_FAILURES_PER_IP],
    ];
  }

  assertAllowed(email: string, ip: string, now = Date.now()): void {
    for (const [key, max] of this.limits(email, ip)) {
      const w = this.windows.get(key);
      if (w && w.resetAt > now && w.failures >= max) {
        const retryAfter = Math.ceil((w.resetAt - now) / 1000);
        throw new AppError(
          'too-many-requests',
          'Too many failed logins: try again later',
          undefined,
          { 'retry-after': String(retryAfter) },
        );
      }
    }
  }

  recordFailure(email: string, ip: string, now = Date.now()): void {
    for (const [key] of this.limits(email, ip)) {
      const w = this.windows.get(key);
      if (!w || w.resetAt <= now)
        this.windows.set(key, {
          failures: 1,
          resetAt: now + this.env.LOGIN_LOCKOUT_SECONDS * 1000,
        });
      else w.failures += 1;
    }
  }

  recordSuccess(email: string): void {
    this.windows.delete(`account:${email}`);
  }
}
