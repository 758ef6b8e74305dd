// A parser for `text/event-stream` (HTML Living Standard §9.2.6, "Interpreting an event stream"),
// fed with decoded text chunks as they arrive. Only what corsplane's `/resolve/changes` uses:
// `event`, `data` (joined with "\n" when repeated) and comments; `id` and `retry` are ignored.

export interface ServerSentEvent {
  event: string;
  data: string;
}

/** The longest line kept while waiting for its end: a stream that never ends a line is cut off. */
const MAX_LINE_LENGTH = 1 << 20;

export class SseParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];

  /**
   * Takes the next chunk and returns the events it completed. `onLine` sees every line, comments included
   * (the caller uses it to know the stream is alive). Throws when a line grows past 1 MiB.
   */
  push(chunk: string, onLine?: () => void): ServerSentEvent[] {
    this.buffer += chunk;
    const events: ServerSentEvent[] = [];
    let start = 0;
    for (;;) {
      const end = lineEnd(this.buffer, start);
      if (end === -1) break;
      onLine?.();
      this.line(this.buffer.slice(start, end), events);
      // CRLF counts as one line ending.
      start =
        this.buffer.charCodeAt(end) === 13 && this.buffer.charCodeAt(end + 1) === 10
          ? end + 2
          : end + 1;
    }
    this.buffer = this.buffer.slice(start);
    if (this.buffer.length > MAX_LINE_LENGTH) throw new Error('event stream line too long');
    return events;
  }

  private line(line: string, events: ServerSentEvent[]): void {
    if (line === '') {
      // A blank line dispatches the event, if it had data (§9.2.6 "dispatch the event").
      if (this.data.length > 0)
        events.push({ event: this.event || 'message', data: this.data.join('\n') });
      this.event = '';
      this.data = [];
      return;
    }
    if (line.charCodeAt(0) === 58 /* : */) return; // a comment
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
  }
}

/** Index of the next CR or LF at or after `from`, or -1. A lone CR at the very end waits for a possible LF. */
function lineEnd(s: string, from: number): number {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 10) return i;
    if (c === 13) return i + 1 < s.length ? i : -1;
  }
  return -1;
}
