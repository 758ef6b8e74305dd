import { compilePolicy } from './compile.js';
import { explain, refusedName } from './explain.js';
import type { CorsRequest, PolicyDocument } from './types.js';
import { emptyPolicy } from './validate.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const compile = (doc: Partial<PolicyDocument>) => compilePolicy({ ...emptyPolicy(), ...doc });
const get = (origin: string): CorsRequest => ({ method: 'GET', headers: { origin } });
const preflight = (origin: string, method: string, headers?: string): CorsRequest => ({
  method: 'OPTIONS',
  headers: {
    origin,
    'access-control-request-method': method,
    ...(headers === undefined ? {} : { 'access-control-request-headers': headers }),
  },
});

const policy = compile({
  origins: [
    { pattern: 'https://app.acme.com', note: 'prod' },
    { pattern: 'https://old-partner.example.net', expiresAt: '2025-01-01T00:00:00.000Z' },
    { pattern: 'https://*.example.com', note: 'previews' },
  ],
  allowedMethods: ['PUT'],
  allowedHeaders: ['content-type', 'x-trace-id'],
});
const app = { pattern: 'https://app.acme.com', source: 'tenant', expiresAt: null, note: 'prod' };

describe('explain', () => {
  it.each<[string, CorsRequest, string, string | null, unknown]>([
    ['exact match', get('https://app.acme.com'), 'exact-match', null, app],
    [
      'wildcard match',
      get('https://pr-1.example.com'),
      'wildcard-match',
      null,
      { pattern: 'https://*.example.com', source: 'tenant', expiresAt: null, note: 'previews' },
    ],
    ['not listed', get('https://evil.test'), 'origin-not-allowed', null, null],
    ['malformed', get('https://a.com/path'), 'malformed-origin', null, null],
    [
      'expired: the expired entry',
      get('https://old-partner.example.net'),
      'expired',
      null,
      {
        pattern: 'https://old-partner.example.net',
        source: 'tenant',
        expiresAt: '2025-01-01T00:00:00.000Z',
        note: null,
      },
    ],
    [
      'method refused',
      preflight('https://app.acme.com', 'DELETE'),
      'method-not-allowed',
      'DELETE',
      app,
    ],
    [
      'headers refused, in request order, lower case, once each',
      preflight('https://app.acme.com', 'PUT', 'X-B, content-type, x-a, x-b'),
      'header-not-allowed',
      'x-b, x-a',
      app,
    ],
    [
      'private network refused',
      {
        method: 'OPTIONS',
        headers: {
          origin: 'https://app.acme.com',
          'access-control-request-method': 'PUT',
          'access-control-request-private-network': 'true',
        },
      },
      'private-network-not-allowed',
      null,
      app,
    ],
    [
      'malformed method: no name',
      preflight('https://app.acme.com', 'DE LETE'),
      'method-not-allowed',
      null,
      app,
    ],
    [
      'malformed header list: no name',
      preflight('https://app.acme.com', 'PUT', 'a b'),
      'header-not-allowed',
      null,
      app,
    ],
  ])('%s', (_name, request, reason, name, entry) => {
    const out = explain(policy, request, { now: NOW });
    expect(out.decision.reason).toBe(reason);
    expect(out.refusedName).toBe(name);
    expect(out.entry).toEqual(entry);
  });

  it('`*` in allowed headers never covers authorization (Fetch §3.2.3)', () => {
    const any = compile({ origins: [{ pattern: 'https://a.com' }], allowedHeaders: ['*'] });
    const out = explain(any, preflight('https://a.com', 'GET', 'x-any, authorization'), {
      now: NOW,
    });
    expect(out.refusedName).toBe('authorization');
  });

  it('names the refusal in report-only mode too, with the matched entry', () => {
    const ro = compile({ mode: 'report-only', origins: [{ pattern: 'https://a.com' }] });
    const out = explain(ro, preflight('https://a.com', 'PATCH'), { now: NOW });
    expect(out.decision).toMatchObject({
      allowed: true,
      reportOnly: true,
      reason: 'method-not-allowed',
    });
    expect(out.refusedName).toBe('PATCH');
    expect(out.entry?.pattern).toBe('https://a.com');
  });

  it('an expired exact entry shadowed by a live wildcard reports the wildcard', () => {
    const out = explain(policy, get('https://x.example.com'), { now: NOW });
    expect(out.entry?.pattern).toBe('https://*.example.com');
  });

  it('refusedName reads only method and header refusals', () => {
    const request = preflight('https://app.acme.com', 'DELETE', 'x-a');
    expect(refusedName(policy, request, { reason: 'expired' })).toBeNull();
    expect(refusedName(policy, request, { reason: 'header-not-allowed' })).toBe('x-a');
  });
});

describe('explain: requests without one usable value', () => {
  it('decides at the current time when no clock is given', () => {
    expect(explain(policy, get('https://app.acme.com')).entry).toEqual(app);
  });

  it('names no entry without an Origin, or with several Origin lines', () => {
    expect(explain(policy, { method: 'GET', headers: {} }, { now: NOW }).entry).toBeNull();
    const twice: CorsRequest = {
      method: 'GET',
      headers: { origin: ['https://app.acme.com', 'https://evil.test'] },
    };
    expect(explain(policy, twice, { now: NOW }).entry).toBeNull();
  });

  it('names no header when the request headers came as several lines', () => {
    const request: CorsRequest = {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.acme.com',
        'access-control-request-method': 'PUT',
        'access-control-request-headers': ['x-a', 'x-b'],
      },
    };
    expect(refusedName(policy, request, { reason: 'header-not-allowed' })).toBeNull();
  });
});
