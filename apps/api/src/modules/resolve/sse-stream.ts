import type { ServerResponse } from 'node:http';

/**
 * Bytes a stream may hold unsent before its client counts as not reading: thousands of frames (an event is
 * under 200 bytes), so only a client that stopped reading reaches it. Such a stream is cut, never buffered
 * without bound.
 */
export const MAX_UNSENT_BYTES = 64 * 1024;

/** The heartbeat frame: a comment line, which EventSource and the SDK ignore (HTML §9.2.6). */
export const PING_FRAME = ': ping\n\n';

/**
 * One server-sent event (HTML §9.2.6, text/event-stream): `event:` and one `data:` line. `data` is JSON from
 * JSON.stringify, which escapes every line break, so it is always one line. Built once per change and written
 * to every stream concerned.
 */
export function sseFrame(event: 'policy' | 'revoked', data: string): string {
  return `event: ${event}\ndata: ${data}\n\n`;
}

/**
 * The one writer of `GET /resolve/changes` responses: the head, frames, the end. A stream whose client does not
 * read (more than MAX_UNSENT_BYTES queued in Node) is destroyed; `write` then answers false and the response's
 * `close` event tells the owner.
 */
export class SseStream {
  /** True once the stream was destroyed because its client did not read. */
  slow = false;

  constructor(private readonly res: ServerResponse) {}

  /** The 200 head and a first comment, flushed at once so the client knows it is subscribed. */
  open(requestId: string): void {
    this.res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      // nginx: pass each frame on at once instead of buffering the response (deploy/nginx.conf says so too).
      'x-accel-buffering': 'no',
      'x-request-id': requestId,
    });
    this.res.write(': subscribed\n\n');
  }

  get isOpen(): boolean {
    return !this.res.destroyed && !this.res.writableEnded;
  }

  /** Writes a frame; false (and the connection destroyed) when the client has stopped reading. */
  write(frame: string): boolean {
    if (!this.isOpen) return false;
    this.res.write(frame);
    if (this.res.writableLength > MAX_UNSENT_BYTES) {
      this.slow = true;
      this.res.destroy();
      return false;
    }
    return true;
  }

  /** Ends the response cleanly (after a last frame, if given): the client sees the stream end, not an error. */
  end(frame?: string): void {
    if (!this.isOpen) return;
    if (frame !== undefined) this.res.end(frame);
    else this.res.end();
  }

  onClose(listener: () => void): void {
    this.res.once('close', listener);
  }
}
