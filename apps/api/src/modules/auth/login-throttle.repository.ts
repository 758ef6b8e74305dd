import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../prisma/prisma.service.js';

/** One throttling window after an attempt was counted in it. */
export interface CountedWindow {
  key: string;
  /** Attempts in the open window, this one included. */
  attempts: number;
  /** Seconds until the window closes. */
  retryAfterSeconds: number;
  /** Seconds since the attempt before this one in the window, or null when this is the first. */
  secondsSincePrevious: number | null;
}

/**
 * Login-attempt windows in PostgreSQL, so every replica counts the same attempts (a per-process count
 * gave an attacker one budget per replica). Window times are the database's own clock: replicas' clocks
 * may disagree, the database's is one.
 */
@Injectable()
export class LoginThrottleRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Counts one attempt in each key's window (opening a window where none is open) and returns the counts,
   * in ONE statement before any password work: concurrent attempts on a key serialise on its row, so each
   * sees a distinct count and no burst gets past a limit (checking first and counting after the password
   * check let 100 parallel logins through to 32 checks). Keys are locked in sorted order, so two attempts
   * never deadlock. Closed windows of other keys are dropped on the way, so the table holds open ones only.
   */
  async countAttempt(keys: readonly string[], windowSeconds: number): Promise<CountedWindow[]> {
    const sorted = [...keys].sort();
    const rows = await this.prisma.$queryRaw<
      Array<{ key: string; attempts: number; retry: number; since_previous: number | null }>
    >`
      WITH closed AS (
        DELETE FROM login_failure_windows
         WHERE reset_at <= now() AND key <> ALL(${sorted}::text[])
      )
      INSERT INTO login_failure_windows AS w (key, attempts, reset_at, last_attempt_at)
      SELECT k, 1, now() + make_interval(secs => ${windowSeconds}), clock_timestamp()
        FROM unnest(${sorted}::text[]) AS k ORDER BY k
      ON CONFLICT (key) DO UPDATE SET
        attempts = CASE WHEN w.reset_at <= now() THEN 1 ELSE w.attempts + 1 END,
        reset_at = CASE WHEN w.reset_at <= now() THEN EXCLUDED.reset_at ELSE w.reset_at END,
        previous_attempt_at = CASE WHEN w.reset_at <= now() THEN NULL ELSE w.last_attempt_at END,
        last_attempt_at = clock_timestamp()
      RETURNING key, attempts,
        CEIL(EXTRACT(EPOCH FROM reset_at - now()))::int AS retry,
        EXTRACT(EPOCH FROM clock_timestamp() - previous_attempt_at)::float8 AS since_previous`;
    return rows.map((r) => ({
      key: r.key,
      attempts: r.attempts,
      retryAfterSeconds: Math.max(1, r.retry),
      secondsSincePrevious: r.since_previous,
    }));
  }

  /** Takes a successful attempt back out of `uncount` and closes the `forget` window (when one is named). */
  async refund(forget: string | null, uncount: readonly string[]): Promise<void> {
    await this.prisma.$executeRaw`
      WITH forgotten AS (DELETE FROM login_failure_windows WHERE key = ${forget})
      UPDATE login_failure_windows SET attempts = GREATEST(0, attempts - 1)
       WHERE key = ANY(${uncount}::text[])`;
  }
}
