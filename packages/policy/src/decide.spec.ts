import { compilePolicy } from './compile.js';
import { decide } from './decide.js';
import { PolicyValidationError } from './errors.js';
import type { Decision, PolicyDocument } from './types.js';
import { emptyPolicy } from './validate.js';

const VARY_PREFLIGHT =
  'Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network';
const NOW = Date.parse('2026-06-01T00:00:00Z');

const compile = (doc: Omit<Partial<PolicyDocument>, 'origins'> & { origins?: unknown[] }) =>
  compilePolicy({ ...emptyPolicy(), ...doc });
const get = (origin?: string | string[], extra: Record<string, string> = {}) => ({
  method: 'GET',
  headers: origin === undefined ? extra : { origin, ...extra },
});
const preflight = (
  origin: string,
  method: string | string[],
  extra: Record<string, string | string[]> = {},
) => ({
  method: 'OPTIONS',
  headers: { origin, 'access-control-request-method': method, ...extra },
});

const acme = compile({
  origins: [
    { pattern: 'https://app.acme.com', note: 'prod' },
    'https://*.example.com',
    'http://localhost:*',
    'https://*.tenant.io:*',
    'https://api.acme.com:8443',
  ],
  allowedMethods: ['PUT', 'DELETE', 'patch'],
  allowedHeaders: ['content-type', 'authorization', 'x-trace-id'],
  exposedHeaders: ['x-request-id', 'x-ratelimit-remaining'],
  allowCredentials: true,
  maxAgeSeconds: 600,
});

const allowedActual = (
  origin: string,
  reason: Decision['reason'],
  matchedPattern: string,
): Decision => ({
  allowed: true,
  reason,
  matchedPattern,
  matchedSource: 'tenant',
  preflight: false,
  headers: {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    'access-control-expose-headers': 'x-request-id, x-ratelimit-remaining',
    vary: 'Origin',
  },
});
const refusedActual = (reason: Decision['reason']): Decision => ({
  allowed: false,
  reason,
  matchedPattern: null,
  matchedSource: null,
  preflight: false,
  headers: { vary: 'Origin' },
});
const refusedPreflight = (reason: Decision['reason']): Decision => ({
  allowed: false,
  reason,
  matchedPattern: null,
  matchedSource: null,
  preflight: true,
  status: 403,
  headers: { vary: VARY_PREFLIGHT },
});

describe('decide: actual requests from listed origins (Fetch §3.2.3 CORS check)', () => {
  it.each([
    ['https://app.acme.com', 'exact-match', 'https://app.acme.com'],
    ['https://api.acme.com:8443', 'exact-match', 'https://api.acme.com:8443'],
    ['https://a.example.com', 'wildcard-match', 'https://*.example.com'],
    ['https://a.b.c.example.com', 'wildcard-match', 'https://*.example.com'], // any depth
    ['http://localhost', 'wildcard-match', 'http://localhost:*'], // any port, or none
    ['http://localhost:5173', 'wildcard-match', 'http://localhost:*'],
    ['https://x.tenant.io:9000', 'wildcard-match', 'https://*.tenant.io:*'],
    ['https://x.tenant.io', 'wildcard-match', 'https://*.tenant.io:*'],
  ] as const)('%s is allowed (%s) and reflected with Vary: Origin', (origin, reason, pattern) => {
    expect(decide(acme, get(origin))).toEqual(allowedActual(origin, reason, pattern));
  });
});

describe('decide: several wildcards on one domain, by scheme and port', () => {
  const ports = compile({
    origins: [
      'https://*.acme.com',
      'https://*.acme.com:8443',
      'wss://*.acme.com:*',
      'http://*.acme.com:8080',
    ],
  });
  it.each([
    ['https://a.acme.com', 'https://*.acme.com'],
    ['https://a.acme.com:8443', 'https://*.acme.com:8443'],
    ['wss://a.acme.com:1234', 'wss://*.acme.com:*'],
    ['http://a.acme.com:8080', 'http://*.acme.com:8080'],
    ['http://a.acme.com', null],
    ['https://a.acme.com:9443', null],
  ])('%s → %s', (origin, pattern) => {
    expect(decide(ports, get(origin)).matchedPattern).toBe(pattern);
  });
});

describe('decide: several entries match, the most specific is reported', () => {
  const layered = compile({
    origins: [
      'https://*.acme.com',
      'https://app.acme.com:*',
      'https://app.acme.com',
      'https://*.eu.acme.com:*',
      'https://*.eu.acme.com:8443',
    ],
  });
  it.each([
    ['https://app.acme.com', 'https://app.acme.com'], // exact over host:* and *.domain
    ['https://app.acme.com:9000', 'https://app.acme.com:*'], // host:* over *.domain
    ['https://x.app.acme.com', 'https://*.acme.com'],
    ['https://x.eu.acme.com', 'https://*.eu.acme.com:*'], // the deepest domain
    ['https://x.eu.acme.com:8443', 'https://*.eu.acme.com:8443'], // its port over :*
  ])('%s → %s', (origin, pattern) => {
    expect(decide(layered, get(origin)).matchedPattern).toBe(pattern);
  });
});

describe('decide: security probes never reflect an unlisted origin', () => {
  it.each([
    ['https://evil-example.com', 'a suffix that is not on a label boundary', 'origin-not-allowed'],
    ['https://evilexample.com', 'the domain glued to another label', 'origin-not-allowed'],
    [
      'https://example.com.evil.com',
      'the domain as a prefix of an attacker domain',
      'origin-not-allowed',
    ],
    ['https://example.com', 'the apex of a wildcard', 'origin-not-allowed'],
    ['http://app.acme.com', 'http instead of https', 'origin-not-allowed'],
    ['https://app.acme.com:8443', 'another port', 'origin-not-allowed'],
    ['https://api.acme.com', 'the default port of a port-specific entry', 'origin-not-allowed'],
    ['http://x.example.com', 'the wildcard over another scheme', 'origin-not-allowed'],
    ['https://x.example.com:444', 'the wildcard on another port', 'origin-not-allowed'],
    ['https://localhost:3000', 'a port wildcard over another scheme', 'origin-not-allowed'],
    ['https://tenant.io', 'the apex of a port-and-subdomain wildcard', 'origin-not-allowed'],
    ['https://attacker.com', 'an unrelated origin', 'origin-not-allowed'],
    ['null', 'the opaque origin when not listed', 'origin-not-allowed'],
    ['HTTPS://APP.ACME.COM', 'an upper-case variant', 'malformed-origin'],
    ['https://App.acme.com', 'a mixed-case host', 'malformed-origin'],
    ['https://app.acme.com/', 'a trailing slash', 'malformed-origin'],
    ['https://app.acme.com/path', 'a path', 'malformed-origin'],
    ['https://app.acme.com:443', 'the default port spelled out', 'malformed-origin'],
    ['https://evil.com@app.acme.com', 'userinfo', 'malformed-origin'],
    ['https://app.acme.com\\@evil.com', 'a backslash', 'malformed-origin'],
    ['https:/app.acme.com', 'a single slash', 'malformed-origin'],
    ['https://app%2Eacme.com', 'percent-encoding', 'malformed-origin'],
    ['https://app.acme.com, https://evil.com', 'several origins in one header', 'malformed-origin'],
    [
      'https://app.acme.com https://evil.com',
      'several origins separated by a space',
      'malformed-origin',
    ],
    [' https://app.acme.com', 'leading whitespace', 'malformed-origin'],
    ['https://app.acme.com\t', 'a trailing tab', 'malformed-origin'],
    ['https://äpp.acme.com', 'non-ASCII', 'malformed-origin'],
    [`https://${'a.'.repeat(1100)}example.com`, 'over 2,048 bytes', 'malformed-origin'],
    // RFC 1035 §2.3.4 (SPEC §3): a host over 253 characters, a label over 63, under a wildcard.
    [`https://${'a.'.repeat(122)}example.com`, 'a 255-character host', 'malformed-origin'],
    [`https://${'a'.repeat(64)}.example.com`, 'a 64-character label', 'malformed-origin'],
    // Fetch §2.9: port 0 is a bad port, even under a `:*` entry.
    ['http://localhost:0', 'port 0', 'malformed-origin'],
    // URL standard host parser: sent as http://127.0.0.1:3000, never in short form.
    ['http://127.1:3000', 'a short IPv4 form', 'malformed-origin'],
    ['http://localhost.123', 'a last label that is a number', 'malformed-origin'],
    ['', 'an empty value', 'malformed-origin'],
  ] as const)('%j (%s) is refused: %s', (origin, _why, reason) => {
    const decision = decide(acme, get(origin));
    expect(decision).toEqual(refusedActual(reason));
  });

  it('refuses several Origin lines handed over as an array', () => {
    expect(decide(acme, get(['https://app.acme.com', 'https://evil.com']))).toEqual(
      refusedActual('malformed-origin'),
    );
  });
});

describe('decide: requests without Origin (Fetch §3.2.1, not CORS)', () => {
  it('adds no Access-Control-* header but varies on Origin for a list policy (Fetch §3.2.6)', () => {
    expect(decide(acme, get())).toEqual({
      allowed: true,
      reason: 'no-origin',
      matchedPattern: null,
      matchedSource: null,
      preflight: false,
      headers: { vary: 'Origin' },
    });
  });

  it('treats OPTIONS with Access-Control-Request-Method but no Origin as not CORS', () => {
    const decision = decide(acme, {
      method: 'OPTIONS',
      headers: { 'access-control-request-method': 'PUT' },
    });
    expect(decision).toMatchObject({ reason: 'no-origin', preflight: false });
  });
});

describe('decide: the `*` policy (Fetch §3.2.5, §3.2.6)', () => {
  const anyOrigin = compile({
    origins: ['*'],
    exposedHeaders: ['x-request-id'],
    allowedMethods: ['PUT'],
  });
  const star = {
    'access-control-allow-origin': '*',
    'access-control-expose-headers': 'x-request-id',
  };

  it('answers every well-formed origin with * and no Vary', () => {
    for (const origin of ['https://a.com', 'http://localhost:1', 'null']) {
      expect(decide(anyOrigin, get(origin))).toEqual({
        allowed: true,
        reason: 'any-origin',
        matchedPattern: '*',
        matchedSource: 'tenant',
        preflight: false,
        headers: star,
      });
    }
  });

  it('sends * without Origin too, so a cached response serves every origin', () => {
    expect(decide(anyOrigin, get())).toEqual({
      allowed: true,
      reason: 'no-origin',
      matchedPattern: null,
      matchedSource: null,
      preflight: false,
      headers: star,
    });
  });

  it('still refuses a malformed Origin, with Vary so no cache mixes the answers', () => {
    expect(decide(anyOrigin, get('https://a.com/'))).toEqual(refusedActual('malformed-origin'));
  });

  it('answers preflights with *', () => {
    expect(decide(anyOrigin, preflight('https://a.com', 'PUT'))).toEqual({
      allowed: true,
      reason: 'any-origin',
      matchedPattern: '*',
      matchedSource: 'tenant',
      preflight: true,
      status: 204,
      headers: {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'PUT',
        vary: VARY_PREFLIGHT,
      },
    });
  });

  it('can never be compiled with credentials', () => {
    expect(() => compile({ origins: ['*'], allowCredentials: true })).toThrow(
      PolicyValidationError,
    );
  });
});

describe('decide: the null origin', () => {
  it('is allowed only when listed, and reflected as "null"', () => {
    const withNull = compile({ origins: ['null'] });
    expect(decide(withNull, get('null'))).toMatchObject({
      allowed: true,
      reason: 'exact-match',
      matchedPattern: 'null',
      headers: { 'access-control-allow-origin': 'null', vary: 'Origin' },
    });
    expect(decide(withNull, get('https://a.com'))).toEqual(refusedActual('origin-not-allowed'));
  });
});

describe('decide: preflights (Fetch §3.2.2 classification, §3.2.3 checks)', () => {
  it('answers a successful preflight with 204 and every header the browser checks', () => {
    const decision = decide(
      acme,
      preflight('https://app.acme.com', 'PUT', {
        'access-control-request-headers': 'authorization,content-type',
      }),
    );
    expect(decision).toEqual({
      allowed: true,
      reason: 'exact-match',
      matchedPattern: 'https://app.acme.com',
      matchedSource: 'tenant',
      preflight: true,
      status: 204,
      headers: {
        'access-control-allow-origin': 'https://app.acme.com',
        'access-control-allow-credentials': 'true',
        'access-control-allow-methods': 'PUT, DELETE, patch',
        'access-control-allow-headers': 'authorization,content-type',
        'access-control-max-age': '600',
        vary: VARY_PREFLIGHT,
      },
    });
  });

  it('reflects a wildcard-matched origin in a preflight', () => {
    const decision = decide(acme, preflight('https://x.example.com', 'DELETE'));
    expect(decision).toMatchObject({
      allowed: true,
      reason: 'wildcard-match',
      headers: { 'access-control-allow-origin': 'https://x.example.com' },
    });
  });

  it.each(['GET', 'HEAD', 'POST'])(
    'lets the safelisted method %s pass without listing',
    (method) => {
      const none = compile({ origins: ['https://a.com'] });
      // With nothing listed, Access-Control-Allow-Methods names the requested method.
      expect(decide(none, preflight('https://a.com', method))).toMatchObject({
        allowed: true,
        headers: { 'access-control-allow-methods': method },
      });
    },
  );

  it.each([
    ['DELETE', true],
    ['patch', true],
    ['PATCH', false], // methods compare case-sensitively: `patch` was listed
    ['put', false], // browsers upper-case put themselves; a lower-case one is not listed
    ['get', false],
    ['OPTIONS', false],
  ])('method %s allowed: %s', (method, allowed) => {
    const decision = decide(acme, preflight('https://app.acme.com', method));
    expect(decision.allowed).toBe(allowed);
    if (!allowed) expect(decision).toEqual(refusedPreflight('method-not-allowed'));
  });

  it('lets any method through with `*` and names the requested one', () => {
    const anyMethod = compile({ origins: ['https://a.com'], allowedMethods: ['*'] });
    expect(decide(anyMethod, preflight('https://a.com', 'PROPFIND'))).toMatchObject({
      allowed: true,
      headers: { 'access-control-allow-methods': 'PROPFIND' },
    });
  });

  it.each([['GET POST'], [''], ['PUT\r\nX-Injected: 1'], [['PUT', 'DELETE']]])(
    'refuses the non-token method %j',
    (method) => {
      expect(decide(acme, preflight('https://app.acme.com', method))).toEqual(
        refusedPreflight('method-not-allowed'),
      );
    },
  );

  it.each([
    ['x-trace-id', true],
    ['Content-Type, X-Trace-Id', true], // names compare case-insensitively
    ['content-type , content-type', true], // OWS and duplicates tolerated
    ['x-other', false],
    ['content-type,x-other', false],
  ])('request headers %j allowed: %s', (requested, allowed) => {
    const decision = decide(
      acme,
      preflight('https://app.acme.com', 'PUT', { 'access-control-request-headers': requested }),
    );
    if (allowed) expect(decision.headers['access-control-allow-headers']).toBe(requested);
    else expect(decision).toEqual(refusedPreflight('header-not-allowed'));
  });

  it('omits Access-Control-Allow-Headers when none were requested', () => {
    const decision = decide(
      acme,
      preflight('https://app.acme.com', 'PUT', { 'access-control-request-headers': '' }),
    );
    expect(decision.allowed).toBe(true);
    expect(decision.headers).not.toHaveProperty('access-control-allow-headers');
  });

  describe('`*` in allowed headers (Fetch §3.2.3)', () => {
    const anyHeader = compile({ origins: ['https://a.com'], allowedHeaders: ['*'] });
    const withAuthorization = compile({
      origins: ['https://a.com'],
      allowedHeaders: ['*', 'Authorization'],
    });
    const ask = (policy: typeof anyHeader, names: string) =>
      decide(
        policy,
        preflight('https://a.com', 'POST', { 'access-control-request-headers': names }),
      );

    it('covers any name', () => expect(ask(anyHeader, 'x-a,x-b,content-type').allowed).toBe(true));
    it('never covers authorization', () =>
      expect(ask(anyHeader, 'authorization,x-a')).toEqual(refusedPreflight('header-not-allowed')));
    it('allows authorization when it is listed by name', () =>
      expect(ask(withAuthorization, 'authorization,x-a').allowed).toBe(true));
  });

  it.each([
    ['a space inside a name', 'content type'],
    ['over 8 KiB', `x-a,${'x'.repeat(8 * 1024)}`],
    ['more than 64 names', Array.from({ length: 65 }, () => 'x-trace-id').join(',')],
    ['a 1 MiB value', 'x-a,'.repeat(256 * 1024)],
  ])('refuses hostile Access-Control-Request-Headers: %s', (_why, value) => {
    expect(
      decide(
        acme,
        preflight('https://app.acme.com', 'PUT', { 'access-control-request-headers': value }),
      ),
    ).toEqual(refusedPreflight('header-not-allowed'));
  });

  it('refuses several Access-Control-Request-Headers lines handed over as an array', () => {
    const decision = decide(
      acme,
      preflight('https://app.acme.com', 'PUT', {
        'access-control-request-headers': ['x-a', 'x-b'],
      }),
    );
    expect(decision).toEqual(refusedPreflight('header-not-allowed'));
  });

  it.each([
    ['https://attacker.com', 'origin-not-allowed'],
    ['https://example.com', 'origin-not-allowed'],
    ['https://app.acme.com/', 'malformed-origin'],
  ] as const)(
    'fails a preflight from %s with no Access-Control-Allow-* header',
    (origin, reason) => {
      expect(decide(acme, preflight(origin, 'PUT'))).toEqual(refusedPreflight(reason));
    },
  );

  it('treats OPTIONS without Access-Control-Request-Method as an ordinary request', () => {
    const decision = decide(acme, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.acme.com' },
    });
    expect(decision).toEqual(
      allowedActual('https://app.acme.com', 'exact-match', 'https://app.acme.com'),
    );
  });

  it('omits Access-Control-Max-Age when maxAgeSeconds is null, and sends 0 when it is 0', () => {
    const noMaxAge = compile({ origins: ['https://a.com'] });
    expect(decide(noMaxAge, preflight('https://a.com', 'GET')).headers).not.toHaveProperty(
      'access-control-max-age',
    );
    const zero = compile({ origins: ['https://a.com'], maxAgeSeconds: 0 });
    expect(decide(zero, preflight('https://a.com', 'GET')).headers['access-control-max-age']).toBe(
      '0',
    );
  });
});

describe('decide: Private Network Access preflights', () => {
  const pna = compile({ origins: ['https://a.com'], allowPrivateNetwork: true });
  const ask = (policy: typeof pna, value: string) =>
    decide(
      policy,
      preflight('https://a.com', 'GET', { 'access-control-request-private-network': value }),
    );

  it('answers Access-Control-Allow-Private-Network: true when requested and allowed', () => {
    expect(ask(pna, 'true')).toMatchObject({
      allowed: true,
      headers: { 'access-control-allow-private-network': 'true' },
    });
  });

  it('fails the preflight when requested and not allowed', () => {
    expect(ask(compile({ origins: ['https://a.com'] }), 'true')).toEqual(
      refusedPreflight('private-network-not-allowed'),
    );
  });

  it('ignores the header unless it is "true"', () => {
    expect(ask(compile({ origins: ['https://a.com'] }), 'false').headers).not.toHaveProperty(
      'access-control-allow-private-network',
    );
  });
});

describe('decide: expiring entries', () => {
  const expiring = compile({
    origins: [
      { pattern: 'https://old.acme.com', expiresAt: '2026-01-01T00:00:00Z' },
      { pattern: 'https://*.acme.com', expiresAt: '2027-01-01T00:00:00Z' },
      { pattern: 'https://*.legacy.io', expiresAt: '2026-01-01T00:00:00Z' },
      { pattern: 'https://*.b.legacy.io', expiresAt: '2027-01-01T00:00:00Z' },
      { pattern: 'http://localhost:*', expiresAt: '2026-01-01T00:00:00Z' },
      { pattern: 'null', expiresAt: '2026-01-01T00:00:00Z' },
    ],
  });
  const at = (origin: string, now: number) => decide(expiring, get(origin), { now });

  it('matches an entry before its expiry and not after (reason "expired")', () => {
    expect(at('https://x.legacy.io', Date.parse('2025-12-31T00:00:00Z'))).toMatchObject({
      allowed: true,
      matchedPattern: 'https://*.legacy.io',
    });
    expect(at('https://x.legacy.io', NOW)).toEqual(refusedActual('expired'));
    expect(at('http://localhost:3000', NOW)).toEqual(refusedActual('expired'));
    expect(at('null', NOW)).toEqual(refusedActual('expired'));
  });

  it('falls back to a live entry that also matches', () => {
    expect(at('https://old.acme.com', NOW)).toMatchObject({
      allowed: true,
      reason: 'wildcard-match',
      matchedPattern: 'https://*.acme.com',
    });
    expect(at('https://x.b.legacy.io', NOW)).toMatchObject({
      allowed: true,
      matchedPattern: 'https://*.b.legacy.io',
    });
  });

  it('prefers the most specific live wildcard', () => {
    expect(at('https://x.b.legacy.io', Date.parse('2025-06-01T00:00:00Z'))).toMatchObject({
      matchedPattern: 'https://*.b.legacy.io',
    });
  });

  it('still reports an unrelated origin as not allowed', () => {
    expect(at('https://other.io', NOW)).toEqual(refusedActual('origin-not-allowed'));
  });

  it('uses the current time when none is given', () => {
    const future = compile({
      origins: [{ pattern: 'https://a.com', expiresAt: '2999-01-01T00:00:00Z' }],
    });
    expect(decide(future, get('https://a.com')).allowed).toBe(true);
  });

  it('lets an expired `*` fall through to the listed entries', () => {
    const policy = compile({
      origins: [{ pattern: '*', expiresAt: '2026-01-01T00:00:00Z' }, 'https://a.com'],
    });
    expect(decide(policy, get('https://a.com'), { now: NOW })).toMatchObject({
      allowed: true,
      reason: 'exact-match',
    });
    expect(decide(policy, get('https://b.com'), { now: NOW })).toEqual(refusedActual('expired'));
    expect(decide(policy, get('null'), { now: NOW })).toEqual(refusedActual('expired'));
    // While the `*` could expire, a request without Origin is answered as for a list policy.
    expect(decide(policy, get(), { now: NOW }).headers).toEqual({ vary: 'Origin' });
  });

  it('reports an expired exact entry as expired', () => {
    const policy = compile({
      origins: [{ pattern: 'https://a.com', expiresAt: '2026-01-01T00:00:00Z' }],
    });
    expect(decide(policy, get('https://a.com'), { now: NOW })).toEqual(refusedActual('expired'));
  });
});

describe('decide: `*` methods and headers with credentials (SPEC §3, Fetch §3.2.3)', () => {
  // With credentials a browser reads `*` as a literal name, so the answer names the request's.
  const credentialedAny = compile({
    origins: ['https://a.com'],
    allowedMethods: ['*'],
    allowedHeaders: ['*'],
    allowCredentials: true,
    maxAgeSeconds: 60,
  });
  const withAuthorization = compile({
    origins: ['https://a.com'],
    allowedMethods: ['*'],
    allowedHeaders: ['*', 'Authorization'],
    allowCredentials: true,
  });
  const ask = (policy: typeof credentialedAny, method: string, names?: string) =>
    decide(
      policy,
      preflight(
        'https://a.com',
        method,
        names === undefined ? {} : { 'access-control-request-headers': names },
      ),
    );

  it.each([
    ['PROPFIND', 'x-a,content-type'],
    ['PUT', 'X-Trace-Id'],
    ['patch', 'x-a'],
  ])('answers %s with %s by name, never *', (method, names) => {
    expect(ask(credentialedAny, method, names)).toEqual({
      allowed: true,
      reason: 'exact-match',
      matchedPattern: 'https://a.com',
      matchedSource: 'tenant',
      preflight: true,
      status: 204,
      headers: {
        'access-control-allow-origin': 'https://a.com',
        'access-control-allow-credentials': 'true',
        'access-control-allow-methods': method,
        'access-control-allow-headers': names,
        'access-control-max-age': '60',
        vary: VARY_PREFLIGHT,
      },
    });
  });

  it('sends no Access-Control-Allow-Headers when none were requested', () => {
    expect(ask(credentialedAny, 'DELETE').headers).not.toHaveProperty(
      'access-control-allow-headers',
    );
  });

  // Fetch §3.2.3: `*` never covers Authorization; it must be listed by name.
  it.each(['authorization', 'x-a, Authorization'])('refuses %j unless listed', (names) => {
    expect(ask(credentialedAny, 'PUT', names)).toEqual(refusedPreflight('header-not-allowed'));
    expect(ask(withAuthorization, 'PUT', names).headers['access-control-allow-headers']).toBe(
      names,
    );
  });
});

describe('decide: entries validation warns are ignored (SPEC §2 warnings)', () => {
  // A config copied from another tool: forbidden and CORS header names beside real ones.
  const copied = compile({
    origins: ['https://a.com'],
    allowedMethods: ['PUT'],
    allowedHeaders: ['Origin', 'Cookie', 'Access-Control-Allow-Origin', 'Content-Type'],
    exposedHeaders: ['X-Request-Id', 'Set-Cookie', 'Access-Control-Allow-Origin'],
  });
  const onlyIgnored = compile({ origins: ['https://a.com'], exposedHeaders: ['set-cookie'] });
  const ask = (names: string) =>
    decide(copied, preflight('https://a.com', 'PUT', { 'access-control-request-headers': names }));

  it('still allows the real names', () => {
    expect(ask('content-type').headers['access-control-allow-headers']).toBe('content-type');
  });

  // Fetch §2.2.2: a browser never asks for a forbidden name; §3.2.3: ACAO is a response header.
  it.each(['origin', 'cookie', 'access-control-allow-origin', 'content-type,cookie'])(
    'does not let a listed but ignored name %j through',
    (names) => expect(ask(names)).toEqual(refusedPreflight('header-not-allowed')),
  );

  it('exposes only the names browsers can expose (Fetch §2.2.2 forbidden response-header names)', () => {
    expect(decide(copied, get('https://a.com')).headers['access-control-expose-headers']).toBe(
      'x-request-id',
    );
    expect(decide(onlyIgnored, get('https://a.com')).headers).not.toHaveProperty(
      'access-control-expose-headers',
    );
  });
});

describe('decide: report-only mode (SPEC §3)', () => {
  const reportOnly = compile({
    mode: 'report-only',
    origins: ['https://a.com'],
    allowedMethods: ['PUT'],
    allowCredentials: true,
  });

  it('allows an unlisted origin like a public request (no credentials), keeping the refusal reason', () => {
    expect(decide(reportOnly, get('https://b.com'))).toEqual({
      allowed: true,
      reason: 'origin-not-allowed',
      reportOnly: true,
      matchedPattern: null,
      matchedSource: null,
      preflight: false,
      headers: {
        'access-control-allow-origin': 'https://b.com',
        vary: 'Origin',
      },
    });
  });

  it('keeps credentials for the origins it lists', () => {
    expect(decide(reportOnly, get('https://a.com')).headers).toMatchObject({
      'access-control-allow-credentials': 'true',
    });
    expect(decide(reportOnly, preflight('https://a.com', 'PUT')).headers).toMatchObject({
      'access-control-allow-credentials': 'true',
    });
  });

  it('allows a preflight that would fail on method, headers or private network, without credentials or private-network access', () => {
    const decision = decide(
      reportOnly,
      preflight('https://a.com', 'DELETE', {
        'access-control-request-headers': 'x-a',
        'access-control-request-private-network': 'true',
      }),
    );
    expect(decision).toEqual({
      allowed: true,
      reason: 'method-not-allowed',
      reportOnly: true,
      matchedPattern: 'https://a.com',
      matchedSource: 'tenant',
      preflight: true,
      status: 204,
      headers: {
        'access-control-allow-origin': 'https://a.com',
        'access-control-allow-methods': 'DELETE',
        'access-control-allow-headers': 'x-a',
        vary: VARY_PREFLIGHT,
      },
    });
    expect(
      decide(
        reportOnly,
        preflight('https://a.com', 'PUT', { 'access-control-request-headers': 'x-a' }),
      ),
    ).toMatchObject({ allowed: true, reason: 'header-not-allowed' });
    expect(
      decide(
        reportOnly,
        preflight('https://a.com', 'PUT', { 'access-control-request-private-network': 'true' }),
      ),
    ).toMatchObject({ allowed: true, reason: 'private-network-not-allowed' });
    expect(decide(reportOnly, preflight('https://b.com', 'PUT'))).toMatchObject({
      allowed: true,
      reason: 'origin-not-allowed',
      matchedPattern: null,
    });
  });

  it('has no reportOnly flag on requests the policy allows', () => {
    expect(decide(reportOnly, get('https://a.com'))).not.toHaveProperty('reportOnly');
  });

  it.each([
    ['a malformed origin', get('https://b.com/'), refusedActual('malformed-origin')],
    [
      'a malformed origin in a preflight',
      preflight('https://b.com/', 'PUT'),
      refusedPreflight('malformed-origin'),
    ],
    [
      'a non-token method',
      preflight('https://a.com', 'PU T'),
      refusedPreflight('method-not-allowed'),
    ],
    [
      'malformed request headers',
      preflight('https://a.com', 'PUT', { 'access-control-request-headers': 'x a' }),
      refusedPreflight('header-not-allowed'),
    ],
  ])('still refuses %s: it is never echoed', (_why, request, expected) => {
    expect(decide(reportOnly, request)).toEqual(expected);
  });
});

describe('compilePolicy', () => {
  it('throws PolicyValidationError listing every problem', () => {
    expect.assertions(3);
    try {
      compilePolicy({ origins: ['https://*.com', 'ftp://a.com/x'], maxAgeSeconds: -1 });
    } catch (error) {
      expect(error).toBeInstanceOf(PolicyValidationError);
      expect((error as PolicyValidationError).errors).toHaveLength(3);
      expect((error as Error).message).toContain('origins[0].pattern');
    }
  });

  it('keeps the normalised document, mode and version', () => {
    const compiled = compilePolicy({
      ...emptyPolicy(),
      origins: ['HTTPS://A.com'],
      version: 3,
      mode: 'report-only',
    });
    expect(compiled).toMatchObject({
      mode: 'report-only',
      version: 3,
      policy: { origins: [{ pattern: 'https://a.com' }] },
    });
    expect(compilePolicy(emptyPolicy()).version).toBeNull();
  });

  it('denies everything with the empty policy', () => {
    const empty = compilePolicy(emptyPolicy());
    expect(decide(empty, get('https://a.com'))).toEqual(refusedActual('origin-not-allowed'));
    expect(decide(empty, preflight('https://a.com', 'GET'))).toEqual(
      refusedPreflight('origin-not-allowed'),
    );
  });

  it('returns answers that callers cannot corrupt for the next request', () => {
    const decision = decide(acme, get('https://app.acme.com'));
    expect(Object.isFrozen(decision) && Object.isFrozen(decision.headers)).toBe(true);
  });
});
