import type { AddressInfo } from 'node:net';
import type { TestApp } from './test-app.js';

// A GET /resolve/changes client for the e2e suites: frames read with fetch() as an SDK reads them. Every wait
// polls for its condition with a generous deadline.

export const WAIT_MS = 20_000;

interface Frame {
  event?: string;
  data?: string;
  comment?: string;
}

/** An open event stream: frames parsed as they arrive (HTML §9.2.6: blocks separated by a blank line). */
export class SseClient {
  readonly frames: Frame[] = [];
  ended = false;
  private readonly waiters = new Set<() => void>();

  private constructor(readonly res: Response) {
    void this.pump();
  }

  static async open(
    baseUrl: string,
    bearer: string,
    query = '',
  ): Promise<{ status: number; client: SseClient | null; res: Response }> {
    const res = await fetch(`${baseUrl}/resolve/changes${query}`, {
      headers: { authorization: bearer, 'accept-encoding': 'gzip, br' },
    });
    if (res.status !== 200) return { status: res.status, client: null, res };
    return { status: 200, client: new SseClient(res), res };
  }

  private async pump(): Promise<void> {
    const reader = (this.res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          this.frames.push(parseFrame(buffer.slice(0, end)));
          buffer = buffer.slice(end + 2);
        }
        this.wake();
      }
    } catch {
      // The connection was cut: the stream ended too.
    }
    this.ended = true;
    this.wake();
  }

  private wake(): void {
    for (const w of this.waiters) w();
  }

  /** Resolves when `check` holds (re-checked on every frame and at the end), or fails after WAIT_MS. */
  until<T>(what: string, check: () => T | undefined): Promise<T> {
    return new Promise((resolve, reject) => {
      const test = () => {
        const v = check();
        if (v === undefined) return;
        clearTimeout(timer);
        this.waiters.delete(test);
        resolve(v);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(test);
        reject(new Error(`timed out waiting for ${what}; frames: ${JSON.stringify(this.frames)}`));
      }, WAIT_MS);
      this.waiters.add(test);
      test();
    });
  }

  /** The events (comments left out), data parsed. */
  events(): Array<{ event: string; data: unknown }> {
    return this.frames
      .filter((f) => f.event !== undefined)
      .map((f) => ({ event: f.event as string, data: JSON.parse(f.data ?? 'null') as unknown }));
  }

  /** Waits for the n-th event (0-based). */
  event(n: number): Promise<{ event: string; data: unknown }> {
    return this.until(`event #${n}`, () => this.events()[n]);
  }

  untilEnded(): Promise<true> {
    return this.until('the end of the stream', () => (this.ended ? true : undefined));
  }
}

function parseFrame(block: string): Frame {
  const frame: Frame = {};
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) frame.comment = line.slice(1).trim();
    else if (line.startsWith('event: ')) frame.event = line.slice(7);
    else if (line.startsWith('data: ')) frame.data = line.slice(6);
  }
  return frame;
}

export async function listen(t: TestApp): Promise<string> {
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

export async function openStream(baseUrl: string, bearer: string, query = ''): Promise<SseClient> {
  const { status, client, res } = await SseClient.open(baseUrl, bearer, query);
  if (client === null) throw new Error(`stream refused: ${status} ${await res.text()}`);
  // The initial comment: the subscription is registered.
  await client.until('the first comment', () => client.frames[0]);
  return client;
}
