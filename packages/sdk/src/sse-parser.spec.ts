// The event-stream parser against the framing rules of HTML §9.2.6 that /resolve/changes relies on.
import { SseParser } from './sse-parser.js';

describe('SseParser', () => {
  it('dispatches an event at the blank line, with its type and data', () => {
    expect(new SseParser().push('event: policy\ndata: {"v":1}\n\n')).toEqual([
      { event: 'policy', data: '{"v":1}' },
    ]);
  });

  it('joins chunks split anywhere, CRLF included', () => {
    const parser = new SseParser();
    // A lone CR ends a line once the next character shows it is not CRLF.
    const stream = 'event: revoked\r\ndata: {}\r\n\r\nevent: policy\rdata: x\r\r: next';
    const events = [...stream].flatMap((c) => parser.push(c));
    expect(events).toEqual([
      { event: 'revoked', data: '{}' },
      { event: 'policy', data: 'x' },
    ]);
  });

  it('skips comments, reports every line to onLine, and ignores events without data', () => {
    let lines = 0;
    const events = new SseParser().push(
      ': ping\n\nevent: policy\n\nid: 3\ndata: a\ndata: b\n\n',
      () => lines++,
    );
    expect(events).toEqual([{ event: 'message', data: 'a\nb' }]);
    expect(lines).toBe(8);
  });

  it('keeps the value after a colon without a space, and a field without a colon as empty', () => {
    expect(new SseParser().push('event:policy\ndata\n\n')).toEqual([{ event: 'policy', data: '' }]);
  });

  it('refuses a line that never ends past 1 MiB', () => {
    const parser = new SseParser();
    expect(() => parser.push('data: ' + 'x'.repeat(1 << 20))).toThrow('too long');
  });
});
