import { emptyPolicy, validatePolicy } from './validate.js';
import type { IssueReason } from './types.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const validate = (doc: unknown) => validatePolicy(doc, { now: NOW });
const base = { ...emptyPolicy(), allowedMethods: ['GET', 'PUT'] };

describe('validatePolicy: refusals (SPEC §2, each an HTTP 422 detail)', () => {
  it.each<[string, object, string, IssueReason]>([
    ['a path in a pattern', { origins: ['https://a.com/app'] }, 'origins[0].pattern', 'has-path'],
    ['a query', { origins: ['https://a.com?q'] }, 'origins[0].pattern', 'has-query'],
    ['a fragment', { origins: ['https://a.com#f'] }, 'origins[0].pattern', 'has-fragment'],
    ['userinfo', { origins: ['https://u@a.com'] }, 'origins[0].pattern', 'has-userinfo'],
    [
      'a trailing slash',
      { origins: [{ pattern: 'https://a.com/' }] },
      'origins[0].pattern',
      'trailing-slash',
    ],
    [
      'an unparsable host',
      { origins: ['https://a_b c.com'] },
      'origins[0].pattern',
      'invalid-origin',
    ],
    [
      'a bad host character',
      { origins: ['https://a!b.com'] },
      'origins[0].pattern',
      'invalid-host',
    ],
    [
      'a wildcard on a public suffix',
      { origins: ['https://*.com'] },
      'origins[0].pattern',
      'public-suffix-wildcard',
    ],
    [
      'a wildcard on a multi-label suffix',
      { origins: ['https://*.co.uk'] },
      'origins[0].pattern',
      'public-suffix-wildcard',
    ],
    [
      'a wildcard on a private suffix',
      { origins: ['https://*.github.io'] },
      'origins[0].pattern',
      'public-suffix-wildcard',
    ],
    [
      '* with credentials',
      { origins: ['*'], allowCredentials: true },
      'origins[0].pattern',
      'wildcard-with-credentials',
    ],
    [
      'allowedHeaders * with credentials',
      { allowedHeaders: ['*'], allowCredentials: true },
      'allowedHeaders[0]',
      'wildcard-with-credentials',
    ],
    [
      'exposedHeaders * with credentials',
      { exposedHeaders: ['*'], allowCredentials: true },
      'exposedHeaders[0]',
      'wildcard-with-credentials',
    ],
    [
      'allowedMethods * with credentials',
      { allowedMethods: ['*'], allowCredentials: true },
      'allowedMethods[0]',
      'wildcard-with-credentials',
    ],
    ['CONNECT', { allowedMethods: ['CONNECT'] }, 'allowedMethods[0]', 'forbidden-method'],
    ['trace (any case)', { allowedMethods: ['trace'] }, 'allowedMethods[0]', 'forbidden-method'],
    ['TRACK', { allowedMethods: ['GET', 'TRACK'] }, 'allowedMethods[1]', 'forbidden-method'],
    [
      'a forbidden request header',
      { allowedHeaders: ['Cookie'] },
      'allowedHeaders[0]',
      'forbidden-header',
    ],
    [
      'a proxy- header',
      { allowedHeaders: ['proxy-authorization'] },
      'allowedHeaders[0]',
      'forbidden-header',
    ],
    [
      'a sec- header',
      { allowedHeaders: ['sec-fetch-site'] },
      'allowedHeaders[0]',
      'forbidden-header',
    ],
    ['a non-token method', { allowedMethods: ['GET POST'] }, 'allowedMethods[0]', 'invalid-method'],
    ['a non-string method', { allowedMethods: [42] }, 'allowedMethods[0]', 'invalid-method'],
    ['a non-token header', { allowedHeaders: ['x:y'] }, 'allowedHeaders[0]', 'invalid-header'],
    ['an empty exposed header', { exposedHeaders: [''] }, 'exposedHeaders[0]', 'invalid-header'],
    ['a negative max age', { maxAgeSeconds: -1 }, 'maxAgeSeconds', 'negative-max-age'],
    ['a fractional max age', { maxAgeSeconds: 1.5 }, 'maxAgeSeconds', 'invalid-max-age'],
    ['a huge max age', { maxAgeSeconds: 2 ** 31 }, 'maxAgeSeconds', 'invalid-max-age'],
    ['a string max age', { maxAgeSeconds: '600' }, 'maxAgeSeconds', 'invalid-max-age'],
    [
      'a duplicate after normalisation',
      { origins: ['https://a.com', 'HTTPS://A.com:443'] },
      'origins[1].pattern',
      'duplicate',
    ],
    ['an unknown field', { allowOrigins: [] }, 'allowOrigins', 'unknown-field'],
    [
      'an unknown entry field',
      { origins: [{ pattern: 'https://a.com', comment: 'x' }] },
      'origins[0].comment',
      'unknown-field',
    ],
    ['a bad mode', { mode: 'audit' }, 'mode', 'invalid-mode'],
    [
      'a non-boolean credentials flag',
      { allowCredentials: 'yes' },
      'allowCredentials',
      'invalid-type',
    ],
    [
      'a non-boolean private network flag',
      { allowPrivateNetwork: 1 },
      'allowPrivateNetwork',
      'invalid-type',
    ],
    ['origins not a list', { origins: 'https://a.com' }, 'origins', 'invalid-type'],
    ['an entry of the wrong type', { origins: [7] }, 'origins[0]', 'invalid-type'],
    [
      'a pattern of the wrong type',
      { origins: [{ pattern: 7 }] },
      'origins[0].pattern',
      'invalid-type',
    ],
    [
      'a long note',
      { origins: [{ pattern: 'https://a.com', note: 'x'.repeat(501) }] },
      'origins[0].note',
      'invalid-note',
    ],
    [
      'a non-string note',
      { origins: [{ pattern: 'https://a.com', note: 5 }] },
      'origins[0].note',
      'invalid-note',
    ],
    [
      'an unparsable expiry',
      { origins: [{ pattern: 'https://a.com', expiresAt: 'soon' }] },
      'origins[0].expiresAt',
      'invalid-expiry',
    ],
    [
      'a numeric expiry',
      { origins: [{ pattern: 'https://a.com', expiresAt: 1 }] },
      'origins[0].expiresAt',
      'invalid-expiry',
    ],
  ])('refuses %s', (_name, doc, path, reason) => {
    const result = validate({ ...base, ...doc });
    expect(result.ok).toBe(false);
    expect(result.policy).toBeUndefined();
    expect(result.errors).toEqual([
      expect.objectContaining({ path, reason, message: expect.stringContaining(path) }),
    ]);
  });

  it('refuses a document that is not an object', () => {
    for (const doc of [null, [], 'policy', 3]) {
      expect(validate(doc).errors).toEqual([
        expect.objectContaining({ path: '', reason: 'invalid-type' }),
      ]);
    }
  });

  it('reports every problem of a document in one call, each with its path and value', () => {
    const result = validate({
      origins: [
        'https://*.com',
        'https://ok.com',
        'https://a.com/',
        '*',
        { pattern: 'https://b.com', expiresAt: 'x' },
      ],
      allowCredentials: true,
      allowedMethods: ['TRACE'],
      allowedHeaders: ['cookie', '*'],
      maxAgeSeconds: -5,
      extra: true,
    });
    expect(result.errors.map(({ path, reason }) => [path, reason])).toEqual([
      ['extra', 'unknown-field'],
      ['origins[0].pattern', 'public-suffix-wildcard'],
      ['origins[2].pattern', 'trailing-slash'],
      ['origins[3].pattern', 'wildcard-with-credentials'],
      ['origins[4].expiresAt', 'invalid-expiry'],
      ['allowedMethods[0]', 'forbidden-method'],
      ['allowedHeaders[0]', 'forbidden-header'],
      ['allowedHeaders[1]', 'wildcard-with-credentials'],
      ['maxAgeSeconds', 'negative-max-age'],
    ]);
    expect(result.errors[1]).toMatchObject({ value: 'https://*.com' });
  });
});

describe('validatePolicy: warnings (accepted, shown in the console)', () => {
  it.each<[string, object, string, IssueReason]>([
    ['the null origin', { origins: ['null'] }, 'origins[0].pattern', 'null-origin'],
    [
      'plain http with credentials',
      { origins: ['http://app.acme.com'], allowCredentials: true },
      'origins[0].pattern',
      'insecure-origin-with-credentials',
    ],
    [
      'plain http wildcard with credentials',
      { origins: ['http://*.acme.com'], allowCredentials: true },
      'origins[0].pattern',
      'insecure-origin-with-credentials',
    ],
    [
      'a max age above the Chromium cap',
      { maxAgeSeconds: 7201 },
      'maxAgeSeconds',
      'max-age-above-browser-cap',
    ],
    [
      'an entry already expired',
      { origins: [{ pattern: 'https://a.com', expiresAt: '2026-01-01T00:00:00Z' }] },
      'origins[0].expiresAt',
      'expired-entry',
    ],
  ])('warns about %s', (_name, doc, path, reason) => {
    const result = validate({ ...base, ...doc });
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([expect.objectContaining({ path, reason })]);
  });

  it.each([
    ['http://localhost:3000'],
    ['http://127.0.0.1:8080'],
    ['http://[::1]'],
    ['http://*.localhost'],
    ['https://app.acme.com'],
  ])('does not warn about %s with credentials', (pattern) => {
    expect(validate({ origins: [pattern], allowCredentials: true }).warnings).toEqual([]);
  });

  it('does not warn about plain http without credentials, or the Chromium cap itself', () => {
    expect(validate({ origins: ['http://a.com'], maxAgeSeconds: 7200 }).warnings).toEqual([]);
  });
});

describe('validatePolicy: normalisation', () => {
  it('fills defaults, normalises patterns, methods and header names, and keeps the version', () => {
    const result = validate({
      origins: [
        'HTTPS://App.Acme.com:443',
        { pattern: 'https://*.acme.com', note: 'all apps', expiresAt: '2026-12-31T00:00:00+01:00' },
      ],
      allowedMethods: ['get', 'PUT', 'put', 'patch', 'PATCH'],
      allowedHeaders: ['Content-Type', 'content-type', 'X-Trace'],
      exposedHeaders: ['X-Request-Id'],
      version: 7,
    });
    expect(result).toEqual({
      ok: true,
      errors: [],
      warnings: [],
      policy: {
        mode: 'enforce',
        origins: [
          { pattern: 'https://app.acme.com', note: null, expiresAt: null },
          {
            pattern: 'https://*.acme.com',
            note: 'all apps',
            expiresAt: '2026-12-30T23:00:00.000Z',
          },
        ],
        // Fetch §2.2.1: only DELETE, GET, HEAD, OPTIONS, POST and PUT are normalised to upper case.
        allowedMethods: ['GET', 'PUT', 'patch', 'PATCH'],
        allowedHeaders: ['content-type', 'x-trace'],
        exposedHeaders: ['x-request-id'],
        allowCredentials: false,
        maxAgeSeconds: null,
        allowPrivateNetwork: false,
        version: 7,
      },
    });
  });

  it('accepts the empty deny-all policy and report-only mode', () => {
    expect(validate(emptyPolicy()).ok).toBe(true);
    expect(validate({ mode: 'report-only', maxAgeSeconds: 0 }).policy).toMatchObject({
      mode: 'report-only',
      maxAgeSeconds: 0,
    });
  });

  it('uses the current time for expiry warnings by default', () => {
    const past = validatePolicy({
      origins: [{ pattern: 'https://a.com', expiresAt: '2000-01-01T00:00:00Z' }],
    });
    expect(past.warnings).toHaveLength(1);
  });
});
