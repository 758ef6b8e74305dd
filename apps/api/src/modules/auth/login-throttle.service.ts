import { Inject, Injectable } from '@nestjs/common';
import { ENV, type Env } from '../../config/env.schema.js';
import { AppError } from '../../common/errors/app-error.js';
import { LoginThrottleRepository, type CountedWindow } from './login-throttle.repository.js';

/** What the login throttle decided for one attempt; `succeeded` must follow a right password. */
export interface LoginAttempt {
  succeeded(): Promise<void>;
}

/**
 * Login throttling (README, "Sign-in throttling"). Every attempt is counted BEFORE the password is checked,
 * in three windows of LOGIN_LOCKOUT_SECONDS:
 * - per (account, address): LOGIN_MAX_FAILURES_PER_ACCOUNT password checks;
 * - per address: LOGIN_MAX_FAILURES_PER_IP password checks, all accounts together;
 * - per account: once it has LOGIN_MAX_FAILURES_PER_ACCOUNT attempts from anywhere, an address that already
 *   tried it waits 1, 2, 4… seconds (at most the window) after the account's previous attempt.
 * The account backoff never applies to an address with no attempt on the account, so nobody can lock the
 * owner out from a clean address; a success gives the attempt back.
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    @Inject(ENV) private readonly env: Env,
    private readonly windows: LoginThrottleRepository,
  ) {}

  /** Counts the attempt, or throws 429 (with Retry-After) when it may not check a password now. */
  async begin(email: string, ip: string): Promise<LoginAttempt> {
    const keys = { pair: `pair:${ip}|${email}`, address: `ip:${ip}`, account: `account:${email}` };
    const counted = await this.windows.countAttempt(
      Object.values(keys),
      this.env.LOGIN_LOCKOUT_SECONDS,
    );
    const byKey = new Map(counted.map((w) => [w.key, w]));
    const pair = byKey.get(keys.pair) as CountedWindow;
    const address = byKey.get(keys.address) as CountedWindow;
    const account = byKey.get(keys.account) as CountedWindow;
    const wait =
      (pair.attempts > this.env.LOGIN_MAX_FAILURES_PER_ACCOUNT && pair.retryAfterSeconds) ||
      (address.attempts > this.env.LOGIN_MAX_FAILURES_PER_IP && address.retryAfterSeconds) ||
      (pair.attempts > 1 && this.accountBackoff(account));
    if (wait) {
      throw new AppError(
        'too-many-requests',
        'Too many failed logins: try again later',
        undefined,
        {
          'retry-after': String(wait),
        },
      );
    }
    return {
      succeeded: () => this.windows.refund(keys.pair, [keys.address, keys.account]),
    };
  }

  /**
   * Counts one use of an invitation token from this address (lookups and accepts: each tells whether a
   * guessed token exists) in its own per-address window, LOGIN_MAX_FAILURES_PER_IP per LOGIN_LOCKOUT_SECONDS,
   * or throws 429. A valid token gives the attempt back, so only guesses use the budget up.
   */
  async beginInvitation(ip: string): Promise<LoginAttempt> {
    const key = `invitation-ip:${ip}`;
    const [window] = await this.windows.countAttempt([key], this.env.LOGIN_LOCKOUT_SECONDS);
    if (window && window.attempts > this.env.LOGIN_MAX_FAILURES_PER_IP) {
      throw new AppError(
        'too-many-requests',
        'Too many invitation links tried from this address: try again later',
        undefined,
        { 'retry-after': String(window.retryAfterSeconds) },
      );
    }
    return { succeeded: () => this.windows.refund(null, [key]) };
  }

  /** Seconds an address that already tried this account must still wait, or 0. */
  private accountBackoff(account: CountedWindow): number {
    const before = account.attempts - 1;
    const over = before - this.env.LOGIN_MAX_FAILURES_PER_ACCOUNT;
    if (over < 0 || account.secondsSincePrevious === null) return 0;
    const gap = Math.min(2 ** Math.min(over, 30), this.env.LOGIN_LOCKOUT_SECONDS);
    const left = gap - account.secondsSincePrevious;
    return left > 0 ? Math.ceil(left) : 0;
  }
}
