// The SDK's end of `GET /resolve/changes` (SPEC §5): one stream per resolver, reconnected with
// jittered exponential backoff. Each (re)connection is reported, so the resolver revalidates every
// policy it holds by ETag: whatever changed while no stream was open is caught up that way.
import { ServiceRefusal, type ServiceClient } from './service-client.js';
import { SseParser } from './sse-parser.js';

export interface ChangeStreamHandlers {
  /** The stream is open (its response head arrived): changes committed from now on will be sent. */
  onOpen(): void;
  /** The stream ended or could not be opened; `error` says why. */
  onLost(error: Error): void;
  onEvent(event: string, data: string): void;
}

export interface ChangeStreamOptions {
  client: ServiceClient;
  /** `tenant=` of the stream (a platform key serving one tenant), or undefined. */
  tenant: string | undefined;
  handlers: ChangeStreamHandlers;
  /** First reconnect delay; doubles up to maxBackoffMs, each delay drawn uniformly below it. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** No byte for this long (the service sends a comment at least every 15 s): the stream is dead. */
  idleTimeoutMs?: number;
}

export class ChangeStream {
  private controller: AbortController | null = null;
  private timer: NodeJS.Timeout | null = null;
  private idle: NodeJS.Timeout | null = null;
  private stopped = false;
  private attempt = 0;
  private readonly minBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly idleTimeoutMs: number;

  constructor(private readonly options: ChangeStreamOptions) {
    this.minBackoffMs = options.minBackoffMs ?? 250;
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 45_000;
  }

  start(): void {
    if (this.stopped || this.controller !== null || this.timer !== null) return;
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.clearIdle();
    this.controller?.abort();
    this.controller = null;
  }

  private async run(): Promise<void> {
    const controller = new AbortController();
    this.controller = controller;
    let opened = false;
    try {
      const response = await this.options.client.changes(this.options.tenant, controller.signal);
      opened = true;
      this.attempt = 0;
      this.touch(controller);
      this.options.handlers.onOpen();
      await this.read(response, controller);
      throw new Error('corsplane closed the change stream');
    } catch (error) {
      this.clearIdle();
      if (this.controller === controller) this.controller = null;
      if (this.stopped) return;
      const reason = error instanceof Error ? error : new Error(String(error));
      this.options.handlers.onLost(reason);
      // A refused key is final until the resolver is recreated; anything else is retried.
      if (reason instanceof ServiceRefusal && reason.status === 401) return;
      this.schedule(opened);
    }
  }

  private async read(response: Response, controller: AbortController): Promise<void> {
    const body = response.body;
    if (body === null) return;
    const parser = new SseParser();
    const decoder = new TextDecoder();
    const reader = body.getReader();
    const alive = () => this.touch(controller);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        alive();
        for (const { event, data } of parser.push(decoder.decode(value, { stream: true }))) {
          this.options.handlers.onEvent(event, data);
        }
      }
    } finally {
      reader.releaseLock();
    }
  }

  /** Full jitter (AWS architecture blog, "Exponential Backoff And Jitter"): spreads reconnecting SDKs. */
  private schedule(wasOpen: boolean): void {
    // A stream that was open and then ended (API restart, deploy) is retried quickly, once.
    const ceiling = Math.min(this.maxBackoffMs, this.minBackoffMs * 2 ** this.attempt);
    this.attempt++;
    const delay = wasOpen ? Math.random() * this.minBackoffMs : Math.random() * ceiling;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.stopped) void this.run();
    }, delay);
    this.timer.unref();
  }

  private touch(controller: AbortController): void {
    this.clearIdle();
    this.idle = setTimeout(
      () => controller.abort(new Error('change stream idle')),
      this.idleTimeoutMs,
    );
    this.idle.unref();
  }

  private clearIdle(): void {
    if (this.idle !== null) clearTimeout(this.idle);
    this.idle = null;
  }
}
