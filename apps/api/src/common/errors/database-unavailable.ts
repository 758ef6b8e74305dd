/** PostgreSQL could not be reached (or dropped the connection): callers answer 503, never a made-up result. */
export class DatabaseUnavailableError extends Error {
  constructor(message = 'The database is unreachable', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
}

/** Socket errors of a connection that cannot be made or was lost. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
/** Prisma's codes for the same: can't reach, timed out, server closed it, pool timeout, too many connections. */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2037']);
/** Driver-adapter error kinds (Prisma 7 adapters) that mean the same. */
const ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);
/** node-postgres' own messages for a lost or never-made connection (they carry no code). */
const PG_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Cannot use a pool after calling end',
  'Client was closed and is not queryable',
];

/**
 * SQLSTATE classes that mean "no usable server right now": 08 (connection exception), 57P01–57P03 (admin or
 * crash shutdown, cannot connect now: starting up or shutting down), 53300 (too many connections).
 */
function isUnavailableSqlState(code: string): boolean {
  return (
    code.startsWith('08') ||
    code === '57P01' ||
    code === '57P02' ||
    code === '57P03' ||
    code === '53300'
  );
}

function matches(e: Record<string, unknown>): boolean {
  const code = e.code;
  if (typeof code === 'string') {
    if (SOCKET_CODES.has(code) || PRISMA_CODES.has(code)) return true;
    // A pg DatabaseError (it has `severity`) with a connection-class SQLSTATE.
    if (typeof e.severity === 'string' && isUnavailableSqlState(code)) return true;
  }
  if (typeof e.kind === 'string' && ADAPTER_KINDS.has(e.kind)) return true;
  if (typeof e.originalCode === 'string' && isUnavailableSqlState(e.originalCode)) return true;
  const message = e.message;
  return typeof message === 'string' && PG_MESSAGES.some((m) => message.includes(m));
}

/**
 * True when `err` says the database is unreachable: our own DatabaseUnavailableError, a node-postgres socket
 * or connection error, or Prisma's wrapping of one (its `cause` and `meta.driverAdapterError` are followed).
 * Anything else (a bug, a constraint) is not: it stays a 500 so it gets noticed.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length > 0) {
    const e = queue.shift();
    if (e === null || typeof e !== 'object' || seen.has(e) || seen.size > 16) continue;
    seen.add(e);
    if (e instanceof DatabaseUnavailableError) return true;
    const o = e as Record<string, unknown>;
    if (matches(o)) return true;
    queue.push(o.cause);
    const meta = o.meta as Record<string, unknown> | undefined;
    if (meta && typeof meta === 'object') queue.push(meta.driverAdapterError);
    if (Array.isArray(o.errors)) queue.push(...(o.errors as unknown[])); // AggregateError (dual-stack connect)
  }
  return false;
}

/**
 * True when PostgreSQL refused a value as text it cannot store: 22021 (a NUL character, or bytes invalid in
 * UTF-8) or 22P05 (untranslatable character). That is the client's input, not our bug: a 400.
 */
export function isUnstorableText(err: unknown): boolean {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length > 0) {
    const e = queue.shift();
    if (e === null || typeof e !== 'object' || seen.has(e) || seen.size > 16) continue;
    seen.add(e);
    const o = e as Record<string, unknown>;
    const code = typeof o.originalCode === 'string' ? o.originalCode : o.code;
    if (code === '22021' || code === '22P05') return true;
    queue.push(o.cause);
    const meta = o.meta as Record<string, unknown> | undefined;
    if (meta && typeof meta === 'object') queue.push(meta.driverAdapterError);
  }
  return false;
}
