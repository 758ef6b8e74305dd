import { formatLogLine } from './pretty-destination.js';
import { logFormatOf } from './logger.js';

describe('formatLogLine', () => {
  const time = Date.UTC(2026, 11, 2, 9, 5, 7, 42);

  it('shows time, level, message and the extra fields, without the fields every line carries', () => {
    const line = JSON.stringify({
      level: 30,
      time,
      pid: 1,
      hostname: 'h',
      service: 'corsplane-api',
      msg: 'corsplane listening: open http://localhost:3000',
      port: 3000,
      host: '0.0.0.0',
    });
    expect(formatLogLine(line, false)).toBe(
      '09:05:07.042 INFO  corsplane listening: open http://localhost:3000 port=3000 host=0.0.0.0\n',
    );
  });

  it('quotes values with spaces, prints an error stack below, colours the level on a terminal', () => {
    const line = JSON.stringify({
      level: 50,
      time,
      msg: 'close failed',
      note: 'two words',
      err: { message: 'boom', stack: 'Error: boom\n    at x' },
    });
    expect(formatLogLine(line, false)).toBe(
      '09:05:07.042 ERROR close failed note="two words"\n    Error: boom\n        at x\n',
    );
    expect(formatLogLine(line, true)).toContain('\u001b[31mERROR\u001b[0m');
  });

  it('passes a line that is not JSON through', () => {
    expect(formatLogLine('plain\n', false)).toBe('plain\n');
  });
});

describe('logFormatOf', () => {
  it('is pretty on a terminal and JSON otherwise under auto; an explicit setting wins', () => {
    expect(logFormatOf('auto', { isTTY: true })).toBe('pretty');
    expect(logFormatOf('auto', {})).toBe('json');
    expect(logFormatOf('json', { isTTY: true })).toBe('json');
    expect(logFormatOf('pretty', {})).toBe('pretty');
  });
});
