import { LRUCache } from 'lru-cache';

/** Thrown instead of a key lookup when the client has presented too many unknown keys lately (answered 429). */
export class UnknownKeysThrottledError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('Too many unknown keys from this client');
  }
}

interface Window {
  startedAt: number;
  unknown: number;
}

/**
 * Per-client fixed windows of unknown keys. A key whose checksum fails never gets here (it costs no lookup);
 * what is counted is a lookup that found nothing: a legacy-format or checksum-valid key that does not exist.
 * Past `maxPerWindow` such lookups, the client's next cache misses are refused until its window ends, so one
 * client cannot turn made-up keys into a stream of database queries. Keys already verified (cache hits) are
 * never throttled. Memory: at most `maxClients` windows (LRU), ~150 bytes each.
 */
export class UnknownKeyThrottle {
  private readonly windows: LRUCache<string, Window>;

  constructor(
    private readonly maxPerWindow: number,
    private readonly windowMs: number,
    maxClients: number,
  ) {
    this.windows = new LRUCache<string, Window>({ max: maxClients });
  }

  /** Seconds the client must wait before its next lookup, or 0 when it may look a key up now. */
  retryAfterSeconds(client: string, now = Date.now()): number {
    const w = this.windows.get(client);
    if (w === undefined || now - w.startedAt >= this.windowMs || w.unknown < this.maxPerWindow)
      return 0;
    return Math.max(1, Math.ceil((w.startedAt + this.windowMs - now) / 1000));
  }

  /** A lookup for this client found no key. */
  recordUnknown(client: string, now = Date.now()): void {
    const w = this.windows.get(client);
    if (w === undefined || now - w.startedAt >= this.windowMs)
      this.windows.set(client, { startedAt: now, unknown: 1 });
    else w.unknown++;
  }
}
