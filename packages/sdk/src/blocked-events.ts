// Counts refusals served from the SDK's cache and sends them to `POST /resolve/events` in
// batches, so the service's blocked-origin log stays exact without a call per request.
import {
  MAX_BLOCKED_EVENTS_PER_BATCH,
  type BlockedEventsBatch,
  type ShadowEventInput,
} from '@corsplane/contracts';

export type { BlockedEventInput as BlockedEvent } from '@corsplane/contracts';
export type BlockedEventReason = BlockedEventsBatch['events'][number]['reason'];
/** The body of `POST /resolve/events`. */
export type BlockedEventsBody = Omit<BlockedEventsBatch, 'overflow'> & { overflow: number };

/**
 * Bytes of JSON one batch may hold: the service reads at most 1 MiB per POST (RESOLVE_EVENTS_BODY_LIMIT_BYTES),
 * so larger flushes go out as several batches.
 */
const MAX_BATCH_BYTES = 512 * 1024;
/** A generous size of one event's JSON besides its origin (reason, count, two ISO dates, punctuation). */
const EVENT_OVERHEAD_BYTES = 160;
/** The longest origin `POST /resolve/events` accepts. */
const MAX_ORIGIN_LENGTH = 2048;
/**
 * The origin under which shadow differences beyond `maxKeys` are counted: the service stores it as its
 * per-tenant "(overflow)" row, so totals stay exact. At most directions × reasons such keys exist.
 */
export const SHADOW_OVERFLOW_ORIGIN = '(overflow)';

export type ShadowDirection = ShadowEventInput['direction'];
export type ShadowReason = ShadowEventInput['reason'];

interface ShadowCounter {
  origin: string;
  direction: ShadowDirection;
  reason: ShadowReason;
  count: number;
  firstSeen: number;
  lastSeen: number;
}

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
  /** Whether a failed send is worth retrying (default: always). */
  retryable?: (error: unknown) => boolean;
}

export class BlockedEventBatcher {
  private counters = new Map<string, Counter>();
  private overflow = 0;
  /** Shadow differences (SPEC §3), sent with the refusals; bounded by the same `maxKeys`. */
  private shadow = new Map<string, ShadowCounter>();
  private timer: NodeJS.Timeout | null = null;
  private sending: Promise<void> = Promise.resolve();

  constructor(private readonly options: BlockedEventBatcherOptions) {}

  record(value: string, reason: BlockedEventReason): void {
    // The service keeps origins of up to 2,048 characters; a longer (hostile, malformed) one is shortened.
    const origin =
      value.length > MAX_ORIGIN_LENGTH ? `${value.slice(0, MAX_ORIGIN_LENGTH - 1)}…` : value;
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

  /** One request the tenant's candidate policy would decide otherwise (shadow evaluation, SPEC §3). */
  recordShadow(value: string, direction: ShadowDirection, reason: ShadowReason): void {
    let origin =
      value.length > MAX_ORIGIN_LENGTH ? `${value.slice(0, MAX_ORIGIN_LENGTH - 1)}…` : value;
    let key = `${direction}\n${reason}\n${origin}`;
    if (!this.shadow.has(key) && this.shadow.size >= this.options.maxKeys) {
      origin = SHADOW_OVERFLOW_ORIGIN;
      key = `${direction}\n${reason}\n${origin}`;
    }
    this.countShadow(key, { origin, direction, reason, count: 1, firstSeen: 0, lastSeen: 0 });
    this.timer ??= setTimeout(() => void this.flush(), this.options.intervalMs).unref();
  }

  private countShadow(key: string, c: ShadowCounter): void {
    const now = Date.now();
    const counter = this.shadow.get(key);
    if (counter !== undefined) {
      counter.count += c.count;
      counter.lastSeen = Math.max(counter.lastSeen, c.lastSeen || now);
      counter.firstSeen = Math.min(counter.firstSeen, c.firstSeen || now);
    } else {
      this.shadow.set(key, { ...c, firstSeen: c.firstSeen || now, lastSeen: c.lastSeen || now });
    }
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
    if (this.counters.size === 0 && this.overflow === 0 && this.shadow.size === 0) return;
    const pending = [...this.counters.values()];
    let overflow = this.overflow;
    let shadow = [...this.shadow.values()];
    this.counters = new Map();
    this.overflow = 0;
    this.shadow = new Map();
    let start = 0;
    do {
      const end = batchEnd(pending, start);
      const body: BlockedEventsBody = {
        events: pending.slice(start, end).map((c) => ({
          origin: c.origin,
          reason: c.reason,
          count: c.count,
          firstSeen: new Date(c.firstSeen).toISOString(),
          lastSeen: new Date(c.lastSeen).toISOString(),
        })),
        overflow,
      };
      // Shadow differences ride along, within a byte budget of their own (events + shadow < the 1 MiB limit).
      const sentShadow = shadow.slice(0, shadowEnd(shadow));
      if (sentShadow.length > 0) body.shadow = sentShadow.map(shadowEvent);
      if (this.options.tenant !== undefined) body.tenant = this.options.tenant;
      try {
        await this.options.send(body);
      } catch (error) {
        this.options.onError(error as Error);
        // What was not sent waits for the next flush, unless the service refused the batch itself.
        if (this.options.retryable?.(error) ?? true) {
          this.restore(pending.slice(start), overflow);
          for (const c of shadow) this.countShadow(`${c.direction}\n${c.reason}\n${c.origin}`, c);
        }
        return;
      }
      overflow = 0;
      shadow = shadow.slice(sentShadow.length);
      start = end;
    } while (start < pending.length || shadow.length > 0);
  }

  private restore(batch: Counter[], overflow: number): void {
    for (const counter of batch) {
      const key = `${counter.reason}\n${counter.origin}`;
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

/** Bytes of JSON the shadow part of one batch may hold (beside MAX_BATCH_BYTES of events). */
const MAX_SHADOW_BATCH_BYTES = 384 * 1024;

/** How many shadow counters (from the start) fit one batch: at least one, within both limits. */
function shadowEnd(counters: ShadowCounter[]): number {
  let bytes = 0;
  let end = 0;
  while (
    end < counters.length &&
    end < MAX_BLOCKED_EVENTS_PER_BATCH &&
    (end === 0 ||
      bytes + Buffer.byteLength(counters[end]!.origin) + EVENT_OVERHEAD_BYTES <=
        MAX_SHADOW_BATCH_BYTES)
  ) {
    bytes += Buffer.byteLength(counters[end]!.origin) + EVENT_OVERHEAD_BYTES;
    end++;
  }
  return end;
}

function shadowEvent(c: ShadowCounter): ShadowEventInput {
  return {
    origin: c.origin,
    direction: c.direction,
    reason: c.reason,
    count: c.count,
    firstSeen: new Date(c.firstSeen).toISOString(),
    lastSeen: new Date(c.lastSeen).toISOString(),
  };
}

/** The end of the batch that starts at `start`: within the service's event count and body size limits. */
function batchEnd(counters: Counter[], start: number): number {
  let bytes = 0;
  let end = start;
  while (
    end < counters.length &&
    end - start < MAX_BLOCKED_EVENTS_PER_BATCH &&
    (end === start ||
      bytes + counters[end]!.origin.length + EVENT_OVERHEAD_BYTES <= MAX_BATCH_BYTES)
  ) {
    bytes += eventBytes(counters[end]!);
    end++;
  }
  return end;
}

function eventBytes(counter: Counter): number {
  return Buffer.byteLength(counter.origin) + EVENT_OVERHEAD_BYTES;
}
