import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../prisma/prisma.service.js';

/** An open window that reached its limit, and how long until it closes. */
export interface LimitReached {
  key: string;
  retryAfterSeconds: number;
}

/**
 * Failed-login windows in PostgreSQL, so every replica counts the same failures (a per-process
 * count gave an attacker one budget per replica). Times are the database's own `now()`: replicas'
 * clocks may disagree, the database's is one.
 */
@Injectable()
export class LoginThrottleRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The first of `limits` whose open window has `max` failures or more, or null. */
  async firstAtLimit(
    limits: ReadonlyArray<{ key: string; max: number }>,
  ): Promise<LimitReached | null> {
    const rows = await this.prisma.$queryRaw<
      Array<{ key: string; failures: number; retry: number }>
    >`
      SELECT key, failures, CEIL(EXTRACT(EPOCH FROM reset_at - now()))::int AS retry
        FROM login_failure_windows
       WHERE key = ANY(${limits.map((l) => l.key)}::text[]) AND reset_at > now()`;
    for (const { key, max } of limits) {
      const row = rows.find((r) => r.key === key);
      if (row && row.failures >= max) return { key, retryAfterSeconds: Math.max(1, row.retry) };
    }
    return null;
  }

  /**
   * Counts one failure in each key's window, opening a new window where none is open; in the same
   * statement, drops windows that closed (other than these keys), so the table holds open ones only.
   * Concurrent failures on one key serialise on its row: none is lost.
   */
  async recordFailure(keys: readonly string[], windowSeconds: number): Promise<void> {
    await this.prisma.$executeRaw`
      WITH closed AS (
        DELETE FROM login_failure_windows
         WHERE reset_at <= now() AND key <> ALL(${keys}::text[])
      )
      INSERT INTO login_failure_windows (key, failures, reset_at)
      SELECT k, 1, now() + make_interval(secs => ${windowSeconds}) FROM unnest(${keys}::text[]) AS k
      ON CONFLICT (key) DO UPDATE SET
        failures = CASE WHEN login_failure_windows.reset_at <= now() THEN 1
                        ELSE login_failure_windows.failures + 1 END,
        reset_at = CASE WHEN login_failure_windows.reset_at <= now() THEN EXCLUDED.reset_at
                        ELSE login_failure_windows.reset_at END`;
  }

  async forget(key: string): Promise<void> {
    await this.prisma.$executeRaw`DELETE FROM login_failure_windows WHERE key = ${key}`;
  }
}
