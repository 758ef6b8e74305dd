import { emptyPolicy, MAX_POLICY_ORIGINS, validatePolicy } from './validate.js';
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
      // Fetch §3.2.3: with credentials a browser reads `*` as a header named "*", and the
      // service cannot name the response's headers in its place.
      'exposedHeaders * with credentials',
      { exposedHeaders: ['*'], allowCredentials: true },
      'exposedHeaders[0]',
      'wildcard-with-credentials',
    ],
    [
      // Private Network Access: the opt-in answers one site, never every site.
      'allowPrivateNetwork with a * origin',
      { origins: ['*'], allowPrivateNetwork: true },
      'origins[0].pattern',
      'private-network-with-any-origin',
    ],
    // URL standard "port state": 1-65535; Fetch §2.9: port 0 is a bad port; no leading zeros.
    ['port 0', { origins: ['https://a.com:0'] }, 'origins[0].pattern', 'invalid-port'],
    ['port 00', { origins: ['https://a.com:00'] }, 'origins[0].pattern', 'invalid-port'],
    ['port 65536', { origins: ['https://a.com:65536'] }, 'origins[0].pattern', 'invalid-port'],
    ['a leading zero', { origins: ['https://a.com:08443'] }, 'origins[0].pattern', 'invalid-port'],
    [
      'a leading zero on the default port',
      { origins: ['https://a.com:0443'] },
      'origins[0].pattern',
      'invalid-port',
    ],
    [
      'a leading zero on a wildcard domain',
      { origins: ['https://*.a.com:01'] },
      'origins[0].pattern',
      'invalid-port',
    ],
    [
      // RFC 1035 §2.3.4 (SPEC §3): a label is at most 63 characters.
      'a 64-character label',
      { origins: [`https://${'a'.repeat(64)}.com`] },
      'origins[0].pattern',
      'invalid-host',
    ],
    [
      // RFC 1035 §2.3.4 (SPEC §3): a host is at most 253 characters.
      'a 254-character host',
      {
        origins: [
          `https://${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(69)}.com`,
        ],
      },
      'origins[0].pattern',
      'invalid-host',
    ],
    ['CONNECT', { allowedMethods: ['CONNECT'] }, 'allowedMethods[0]', 'forbidden-method'],
    ['trace (any case)', { allowedMethods: ['trace'] }, 'allowedMethods[0]', 'forbidden-method'],
    ['TRACK', { allowedMethods: ['GET', 'TRACK'] }, 'allowedMethods[1]', 'forbidden-method'],
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
      allowedHeaders: ['cookie', '*', 'x y'],
      exposedHeaders: ['*'],
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
      ['allowedHeaders[2]', 'invalid-header'],
      ['exposedHeaders[0]', 'wildcard-with-credentials'],
      ['maxAgeSeconds', 'negative-max-age'],
    ]);
    expect(result.errors[1]).toMatchObject({ value: 'https://*.com' });
    expect(result.warnings.map(({ path, reason }) => [path, reason])).toEqual([
      ['allowedHeaders[0]', 'forbidden-header'],
    ]);
  });

  it(`refuses more than ${MAX_POLICY_ORIGINS} origins before parsing any (SPEC §2.3)`, () => {
    const origins = Array.from({ length: MAX_POLICY_ORIGINS + 1 }, () => 'not an origin');
    const result = validate({ origins });
    expect(result.errors).toEqual([
      {
        path: 'origins',
        value: MAX_POLICY_ORIGINS + 1,
        reason: 'too-many-origins',
        message: 'origins: holds 100,001 entries; a policy holds at most 100,000 (SPEC §2.3)',
      },
    ]);
  });

  it(`accepts exactly ${MAX_POLICY_ORIGINS} origins`, () => {
    const origins = Array.from({ length: MAX_POLICY_ORIGINS }, (_, i) => `https://t${i}.acme.com`);
    const result = validate({ origins });
    expect(result.errors).toEqual([]);
    expect(result.policy?.origins).toHaveLength(MAX_POLICY_ORIGINS);
  });
});

describe('validatePolicy: `*` methods and request headers with credentials (SPEC §2)', () => {
  it.each([
    ['allowedMethods', { allowedMethods: ['*'] }],
    ['allowedHeaders', { allowedHeaders: ['*', 'authorization'] }],
  ])('accepts * in %s with credentials', (_list, doc) => {
    const result = validate({ origins: ['https://a.com'], allowCredentials: true, ...doc });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it('accepts exposedHeaders * and allowPrivateNetwork with listed origins and no credentials', () => {
    const result = validate({
      origins: ['https://a.com'],
      exposedHeaders: ['*'],
      allowPrivateNetwork: true,
    });
    expect(result.ok).toBe(true);
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
    // Fetch §2.2.2: scripts cannot set a forbidden request header, so listing it has no effect.
    [
      'a forbidden request header',
      { allowedHeaders: ['Cookie'] },
      'allowedHeaders[0]',
      'forbidden-header',
    ],
    ['Origin', { allowedHeaders: ['Origin'] }, 'allowedHeaders[0]', 'forbidden-header'],
    ['Host', { allowedHeaders: ['host'] }, 'allowedHeaders[0]', 'forbidden-header'],
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
    [
      // Fetch §2.2.2 lists it as forbidden, and it is also an Access-Control-* name: one warning.
      'Access-Control-Request-Method',
      { allowedHeaders: ['Access-Control-Request-Method'] },
      'allowedHeaders[0]',
      'forbidden-header',
    ],
    [
      // Fetch §3.2.3: a CORS response header, sent by some clients by mistake.
      'Access-Control-Allow-Origin in allowedHeaders',
      { allowedHeaders: ['Access-Control-Allow-Origin'] },
      'allowedHeaders[0]',
      'cors-header-in-allowed-headers',
    ],
    [
      // Fetch §2.2.2: forbidden response-header names are never exposed to scripts.
      'Set-Cookie in exposedHeaders',
      { exposedHeaders: ['Set-Cookie'] },
      'exposedHeaders[0]',
      'unexposable-header',
    ],
    [
      'set-cookie2 in exposedHeaders',
      { exposedHeaders: ['set-cookie2'] },
      'exposedHeaders[0]',
      'unexposable-header',
    ],
    [
      // SPEC §2: the CORS protocol's own headers are not the application's to expose.
      'Access-Control-Allow-Origin in exposedHeaders',
      { exposedHeaders: ['x-request-id', 'access-control-allow-origin'] },
      'exposedHeaders[1]',
      'unexposable-header',
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

  it('warns that report-only with credentials lets unlisted origins through without credentials (SPEC §3)', () => {
    const result = validate({ mode: 'report-only', allowCredentials: true });
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([
      expect.objectContaining({ path: 'mode', reason: 'report-only-with-credentials' }),
    ]);
    expect(validate({ mode: 'enforce', allowCredentials: true }).warnings).toEqual([]);
    expect(validate({ mode: 'report-only', allowCredentials: false }).warnings).toEqual([]);
  });

  it('uses the current time for expiry warnings by default', () => {
    const past = validatePolicy({
      origins: [{ pattern: 'https://a.com', expiresAt: '2000-01-01T00:00:00Z' }],
    });
    expect(past.warnings).toHaveLength(1);
  });
});
