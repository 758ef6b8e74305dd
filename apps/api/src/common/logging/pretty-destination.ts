import type { DestinationStream } from 'pino';

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO ',
  40: 'WARN ',
  50: 'ERROR',
  60: 'FATAL',
};
const COLORS: Record<number, string> = {
  10: '90',
  20: '36',
  30: '32',
  40: '33',
  50: '31',
  60: '35',
};
/** Fields every line carries, or that the line shows in its own place. */
const SHOWN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'service', 'err']);

function valueText(v: unknown): string {
  if (typeof v === 'string') return /[\s"=]/.test(v) ? JSON.stringify(v) : v;
  return JSON.stringify(v) ?? String(v);
}

/**
 * One pino JSON line as a human-readable one: `12:00:01.123 INFO  message key=value …`, an error's stack on
 * the lines below. For a terminal only: machines get the JSON (LOG_FORMAT).
 */
export function formatLogLine(line: string, color: boolean): string {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const level = typeof rec.level === 'number' ? rec.level : 30;
  const name = LEVELS[level] ?? String(level);
  const time = new Date(typeof rec.time === 'number' ? rec.time : Date.now())
    .toISOString()
    .slice(11, 23);
  const fields = Object.entries(rec)
    .filter(([k]) => !SHOWN.has(k))
    .map(([k, v]) => `${k}=${valueText(v)}`)
    .join(' ');
  const err = rec.err as { stack?: string; message?: string } | undefined;
  const stack = err ? `\n    ${(err.stack ?? err.message ?? '').split('\n').join('\n    ')}` : '';
  const label = color ? `\u001b[${COLORS[level] ?? '0'}m${name}\u001b[0m` : name;
  return `${time} ${label} ${String(rec.msg ?? '')}${fields ? ` ${fields}` : ''}${stack}\n`;
}

/** A pino destination writing formatted lines to `out` (synchronously, so lines keep their order). */
export function prettyDestination(
  out: { write(s: string): unknown; isTTY?: boolean } = process.stdout,
): DestinationStream {
  const color = Boolean(out.isTTY);
  return { write: (line: string) => void out.write(formatLogLine(line, color)) };
}
