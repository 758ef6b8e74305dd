import { Inject, Injectable } from '@nestjs/common';
import { LOGGER, type Logger } from '../../common/logging/logger.js';
import {
  DatabaseUnavailableError,
  isDatabaseUnavailable,
} from '../../common/errors/database-unavailable.js';

/** After a failure that says the database is unreachable, calls fail at once for this long. */
export const CIRCUIT_OPEN_MS = 1_000;
/** A lookup on the request path that takes longer than this counts as "unreachable" (a black-holed server). */
export const LOOKUP_TIMEOUT_MS = 3_000;

/**
 * The resolve path's view of the database: every lookup a cache miss makes (key, tenant, policy) and the
 * blocked-origin flush go through `run`. A connection-class failure (see isDatabaseUnavailable) becomes a
 * DatabaseUnavailableError and opens the circuit for CIRCUIT_OPEN_MS, so during an outage a flood of misses
 * costs no connection attempts: they fail in microseconds (→ stale entry or 503), and the next attempt after
 * the window finds out whether PostgreSQL is back. Other errors pass through unchanged.
 */
@Injectable()
export class DatabaseCircuit {
  private openUntil = 0;
  private down = false;

  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  /** False while the last lookup found the database unreachable. */
  get available(): boolean {
    return !this.down;
  }

  async run<T>(fn: () => Promise<T>, timeoutMs?: number): Promise<T> {
    if (this.down && Date.now() < this.openUntil)
      throw new DatabaseUnavailableError('The database is unreachable (retrying shortly)');
    try {
      const result = await (timeoutMs === undefined ? fn() : withTimeout(fn(), timeoutMs));
      if (this.down) {
        this.down = false;
        this.logger.info('database reachable again: resolve lookups resumed');
      }
      return result;
    } catch (err) {
      if (!isDatabaseUnavailable(err)) throw err;
      this.openUntil = Date.now() + CIRCUIT_OPEN_MS;
      if (!this.down) {
        this.down = true;
        this.logger.warn(
          { err },
          'database unreachable: serving cached answers, 503 for the rest, retrying every second',
        );
      }
      throw err instanceof DatabaseUnavailableError
        ? err
        : new DatabaseUnavailableError(undefined, { cause: err });
    }
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DatabaseUnavailableError(`No answer from the database within ${ms} ms`)),
      ms,
    );
  });
  // The late result (or error) of a timed-out call is ignored.
  p.catch(() => undefined);
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
