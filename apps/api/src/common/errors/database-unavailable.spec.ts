import {
  DatabaseUnavailableError,
  isDatabaseUnavailable,
  isUnstorableText,
} from './database-unavailable.js';
import { toErrorResponse } from './to-error-response.js';

const sys = (code: string) =>
  Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), {
    code,
    syscall: 'connect',
    errno: -1,
  });
const pgError = (code: string, message = 'x') =>
  Object.assign(new Error(message), { code, severity: 'FATAL' });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['our own error', new DatabaseUnavailableError()],
    ['ECONNREFUSED (server stopped)', sys('ECONNREFUSED')],
    ['ECONNRESET', sys('ECONNRESET')],
    [
      'pg: terminated by administrator (fast shutdown)',
      pgError('57P01', 'terminating connection due to administrator command'),
    ],
    ['pg: the database system is starting up', pgError('57P03')],
    ['pg: connection failure class 08', pgError('08006')],
    ['pg: too many connections', pgError('53300')],
    ['pg pool: lost connection', new Error('Connection terminated unexpectedly')],
    ['pg pool: connect timeout', new Error('timeout exceeded when trying to connect')],
    ['Prisma P1001', Object.assign(new Error("Can't reach database server"), { code: 'P1001' })],
    [
      'Prisma P1017',
      Object.assign(new Error('Server has closed the connection.'), { code: 'P1017' }),
    ],
    [
      'Prisma P2010 wrapping a 57P01 from the adapter',
      Object.assign(new Error('Raw query failed'), {
        code: 'P2010',
        meta: { driverAdapterError: { cause: { kind: 'postgres', originalCode: '57P01' } } },
      }),
    ],
    ['an error whose cause is one', new Error('wrapped', { cause: sys('ECONNREFUSED') })],
    [
      'AggregateError of two connect attempts',
      new AggregateError([sys('ECONNREFUSED'), sys('ECONNREFUSED')]),
    ],
  ])('recognises %s', (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it.each([
    ['a plain error', new Error('boom')],
    ['a unique violation', pgError('23505')],
    ['a syntax error', pgError('42601')],
    ['Prisma P2002', Object.assign(new Error('Unique constraint'), { code: 'P2002' })],
    ['undefined', undefined],
    ['a string', 'ECONNREFUSED'],
  ])('does not take %s for an outage', (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });

  it('survives a cause cycle', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(isDatabaseUnavailable(a)).toBe(false);
  });

  it('maps to a 503 with Retry-After in every error body (admin routes too), never a 500', () => {
    expect(toErrorResponse(sys('ECONNREFUSED'))).toEqual({
      status: 503,
      body: { statusCode: 503, error: 'Service Unavailable', message: expect.any(String) },
      headers: { 'retry-after': '5' },
      unexpected: false,
    });
    expect(toErrorResponse(new Error('boom')).status).toBe(500);
  });
});

describe('isUnstorableText', () => {
  it('recognises PostgreSQL refusing a NUL character (directly or wrapped by Prisma) and maps it to 400', () => {
    const nul = pgError('22021', 'invalid byte sequence for encoding "UTF8": 0x00');
    const wrapped = Object.assign(new Error('Database error'), {
      code: 'P2039',
      meta: { driverAdapterError: { cause: { kind: 'postgres', originalCode: '22021' } } },
    });
    expect(isUnstorableText(nul)).toBe(true);
    expect(isUnstorableText(wrapped)).toBe(true);
    expect(isUnstorableText(pgError('23505'))).toBe(false);
    expect(toErrorResponse(wrapped)).toMatchObject({ status: 400, unexpected: false });
  });
});
