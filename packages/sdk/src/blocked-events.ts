// Counts refusals served from the SDK's cache and sends them to `POST /resolve/events` in
// batches, so the service's blocked-origin log stays exact without a call per request.
import type { BlockedEventsBatch } from '@corsplane/contracts';

export type { BlockedEventInput as BlockedEvent } from '@corsplane/contracts';
export type BlockedEventReason = BlockedEventsBatch['events'][number]['reason'];
/** The body of `POST /resolve/events`. */
export type BlockedEventsBody = Omit<BlockedEventsBatch, 'overflow'> & { overflow: number };

interface Counter {
  origin: string;
  reason: BlockedEventReason;
  count: number;
  firstSeen: number;
  lastSeen: number;
}

export interface BlockedEventBatcherOptions {
  send: (body: BlockedEventsBody) => Promise<void>;
  intervalMs: number;
  maxKeys: number;
  tenant: string | undefined;
  onError: (error: Error) => void;
}

export class BlockedEventBatcher {
  private counters = new Map<string, Counter>();
  private overflow = 0;
  private timer: NodeJS.Timeout | null = null;
  private sending: Promise<void> = Promise.resolve();

  constructor(private readonly options: BlockedEventBatcherOptions) {}

  record(origin: string, reason: BlockedEventReason): void {
    const key = `${reason}\n${origin}`;
    const now = Date.now();
    const counter = this.counters.get(key);
    if (counter !== undefined) {
      counter.count++;
      counter.lastSeen = now;
    } else if (this.counters.size < this.options.maxKeys) {
      this.counters.set(key, { origin, reason, count: 1, firstSeen: now, lastSeen: now });
    } else {
      this.overflow++;
    }
    this.timer ??= setTimeout(() => void this.flush(), this.options.intervalMs).unref();
  }

  /** Sends what is pending; on failure the counts are kept for the next flush. */
  flush(): Promise<void> {
    this.timer = null;
    this.sending = this.sending.then(() => this.sendPending());
    return this.sending;
  }

  async close(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    await this.flush();
  }

  private async sendPending(): Promise<void> {
    if (this.counters.size === 0 && this.overflow === 0) return;
    const batch = this.counters;
    const overflow = this.overflow;
    this.counters = new Map();
    this.overflow = 0;
    const events = [...batch.values()].map((c) => ({
      origin: c.origin,
      reason: c.reason,
      count: c.count,
      firstSeen: new Date(c.firstSeen).toISOString(),
      lastSeen: new Date(c.lastSeen).toISOString(),
    }));
    const body: BlockedEventsBody = { events, overflow };
    if (this.options.tenant !== undefined) body.tenant = this.options.tenant;
    try {
      await this.options.send(body);
    } catch (error) {
      this.options.onError(error as Error);
      this.restore(batch, overflow);
    }
  }

  private restore(batch: Map<string, Counter>, overflow: number): void {
    for (const [key, counter] of batch) {
      const current = this.counters.get(key);
      if (current !== undefined) {
        current.count += counter.count;
        current.firstSeen = Math.min(current.firstSeen, counter.firstSeen);
      } else if (this.counters.size < this.options.maxKeys) {
        this.counters.set(key, counter);
      } else {
        this.overflow += counter.count;
      }
    }
    this.overflow += overflow;
    this.timer ??= setTimeout(() => void this.flush(), this.options.intervalMs).unref();
  }
}
