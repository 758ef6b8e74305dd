// Per-route rules (SPEC §2.1): validation, path normalisation, the longest-match lookup, and the
// decisions a route makes. Each case names the rule it encodes.
import { compilePolicy } from './compile.js';
import { decide } from './decide.js';
import { PolicyValidationError } from './errors.js';
import {
  MAX_POLICY_ROUTES,
  MAX_ROUTE_PATH_LENGTH,
  normalisePathPart,
  parseRoutePath,
} from './route-path.js';
import { buildRouteTable, findRoute } from './route-table.js';
import type { IssueReason } from './types.js';
import { emptyPolicy, MAX_POLICY_ORIGINS, validatePolicy } from './validate.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const validate = (doc: object) => validatePolicy({ ...emptyPolicy(), ...doc }, { now: NOW });
const compile = (doc: Record<string, unknown>) => compilePolicy({ ...emptyPolicy(), ...doc });
const VARY_PREFLIGHT =
  'Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network';

describe('route paths: normalisation (SPEC §2.1: byte comparison after decoding unreserved characters only)', () => {
  it.each([
    ['/api', '/api'],
    ['/%61pi', '/api'], // RFC 3986 §2.3: ALPHA is unreserved, decoded
    ['/%41%30%2d%2E%5f%7e', '/A0-._~'], // every unreserved class, hex in either case
    ['/a%2fb', '/a%2Fb'], // RFC 3986 §2.2: "/" is reserved, kept encoded; hex upper-cased (§6.2.2.1)
    ['/a%20b', '/a%20b'], // space is not unreserved
    ['/a%zzb', '/a%zzb'], // not an escape: kept byte for byte
    ['/a%4', '/a%4'], // truncated escape at the end
    ['/a%', '/a%'],
  ])('%s → %s', (raw, normalised) => {
    expect(normalisePathPart(raw, 0, raw.length)).toBe(normalised);
  });
});

describe('route paths: parseRoutePath (SPEC §2.1 `path`)', () => {
  it.each([
    ['/webhooks/stripe', '/webhooks/stripe', false, ['webhooks', 'stripe']],
    ['/api/*', '/api/*', true, ['api']],
    ['/*', '/*', true, []], // every path
    ['/', '/', false, ['']],
    ['/%61pi/*', '/api/*', true, ['api']],
    ["/a:b@c!$&'()+,;=/d", "/a:b@c!$&'()+,;=/d", false, ["a:b@c!$&'()+,;=", 'd']], // RFC 3986 pchar
  ])('%s is accepted as %s', (raw, normalised, prefix, segments) => {
    expect(parseRoutePath(raw)).toEqual({ ok: true, normalised, prefix, segments });
  });

  it.each([
    ['', 'starts with "/"'],
    ['api/*', 'starts with "/"'],
    ['/api*', '"*" is allowed only as the last segment'],
    ['/a/*/b', '"*" is allowed only as the last segment'],
    ['/api?x=1', 'the query and fragment'],
    ['/api#top', 'the query and fragment'],
    ['/a%2', '"%" starts an escape'],
    ['/a%g1', '"%" starts an escape'],
    ['/a b', 'percent-encode it'],
    ['/é', 'percent-encode it'],
    [`/${'a'.repeat(MAX_ROUTE_PATH_LENGTH)}`, `longer than ${MAX_ROUTE_PATH_LENGTH}`],
  ])('%j is refused (%s)', (raw, message) => {
    const result = parseRoutePath(raw);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(message);
  });
});

describe('route table: longest match (SPEC §2.1), one hash lookup per segment', () => {
  const routes = [
    '/*',
    '/api/*',
    '/api/v1/*',
    '/api/v1/users',
    '/webhooks/stripe',
    '/',
    '/x/*',
    '/x',
  ];
  const table = buildRouteTable(
    routes.map((path) => {
      const parsed = parseRoutePath(path);
      if (!parsed.ok) throw new Error(path);
      return { segments: parsed.segments, prefix: parsed.prefix, value: path };
    }),
  );
  it.each([
    ['/api/v1/users', '/api/v1/users'], // exact
    ['/api/v1/users/7', '/api/v1/*'], // below the longest prefix
    ['/api/v1/users?page=2', '/api/v1/users'], // the query is ignored
    ['/api/v1', '/api/v1/*'], // a prefix matches itself
    ['/api/v1/', '/api/v1/*'],
    ['/api/v2/x', '/api/*'],
    ['/api', '/api/*'],
    ['/apix', '/*'], // a prefix ends at a segment boundary
    ['/webhooks/stripe', '/webhooks/stripe'],
    ['/webhooks/stripe/x', '/*'], // an exact route matches only itself
    ['/webhooks', '/*'],
    ['/%61pi/v1/users', '/api/v1/users'], // unreserved escapes decoded in the request too
    ['/api%2Fv1/users', '/*'], // an encoded "/" is not a separator
    ['/', '/'],
    ['/?q', '/'],
    ['/x', '/x'], // exact beats the prefix on the same path (nginx `location =`)
    ['/x/y', '/x/*'],
    [`/api/${'a'.repeat(10_000)}`, '/api/*'], // the scan stops past the longest route segment
    ['*', null], // OPTIONS * and absolute forms match no route: the default
    ['', null],
  ])('%s → %s', (path, route) => {
    expect(findRoute(table, path)).toBe(route);
  });

  it('without a catch-all, an unmatched path falls back to the default (null)', () => {
    const only = buildRouteTable([{ segments: ['api'], prefix: true, value: 'api' }]);
    expect(findRoute(only, '/other')).toBeNull();
    expect(findRoute(only, '/api')).toBe('api');
    expect(findRoute(only, `/${'b'.repeat(50)}`)).toBeNull();
  });
});

describe('validatePolicy: routes (SPEC §2.1)', () => {
  it('normalises each route: its path, and only the fields it sets', () => {
    const result = validate({
      origins: ['https://app.acme.com'],
      routes: [
        { path: '/%61pi/*', allowedMethods: ['get', 'put'], maxAgeSeconds: 60 },
        { path: '/public/*', origins: ['*'] },
      ],
    });
    expect(result.errors).toEqual([]);
    expect(result.policy?.routes).toEqual([
      { path: '/api/*', allowedMethods: ['GET', 'PUT'], maxAgeSeconds: 60 },
      { path: '/public/*', origins: [{ pattern: '*', note: null, expiresAt: null }] },
    ]);
  });

  it('keeps `routes` out of a policy that has none', () => {
    expect(validate({}).policy).not.toHaveProperty('routes');
    expect(validate({ routes: [] }).policy?.routes).toEqual([]);
  });

  it.each<[string, object, string, IssueReason]>([
    ['routes is not a list', { routes: {} }, 'routes', 'invalid-type'],
    ['a route is not an object', { routes: ['/api/*'] }, 'routes[0]', 'invalid-type'],
    ['a path is missing', { routes: [{ maxAgeSeconds: 1 }] }, 'routes[0].path', 'invalid-type'],
    ['a bad path', { routes: [{ path: 'api' }] }, 'routes[0].path', 'invalid-route-path'],
    [
      'two routes on one path, after normalisation',
      { routes: [{ path: '/api/*' }, { path: '/%61pi/*' }] },
      'routes[1].path',
      'duplicate',
    ],
    [
      'routes inside a route',
      { routes: [{ path: '/a', routes: [] }] },
      'routes[0].routes',
      'unknown-field',
    ],
    [
      'version inside a route',
      { routes: [{ path: '/a', version: 2 }] },
      'routes[0].version',
      'unknown-field',
    ],
    [
      // SPEC §2.1: errors name routes[1].origins[0].pattern
      "a bad origin of the route's own",
      { routes: [{ path: '/a' }, { path: '/b', origins: ['https://*.com'] }] },
      'routes[1].origins[0].pattern',
      'public-suffix-wildcard',
    ],
    [
      // Fetch §3.2.5: the route's credentials with the default's `*` make the error.
      "the route's credentials with the inherited `*`",
      { origins: ['*'], routes: [{ path: '/a', allowCredentials: true }] },
      'routes[0].origins[0].pattern',
      'wildcard-with-credentials',
    ],
    [
      "the route's private network with the inherited `*`",
      { origins: ['*'], routes: [{ path: '/a', allowPrivateNetwork: true }] },
      'routes[0].origins[0].pattern',
      'private-network-with-any-origin',
    ],
    [
      "the route's `*` with the inherited credentials",
      { allowCredentials: true, routes: [{ path: '/a', origins: ['*'] }] },
      'routes[0].origins[0].pattern',
      'wildcard-with-credentials',
    ],
    [
      'a bad field value',
      { routes: [{ path: '/a', maxAgeSeconds: -1 }] },
      'routes[0].maxAgeSeconds',
      'negative-max-age',
    ],
  ])('refuses %s at %s', (_name, doc, path, reason) => {
    const result = validate(doc);
    expect(result.ok).toBe(false);
    expect(result.errors).toContainEqual(expect.objectContaining({ path, reason }));
    expect(result.errors.find((e) => e.path === path)?.message).toMatch(
      new RegExp(`^${path.replace(/[[\].]/g, '\\$&')}: `),
    );
  });

  it("reports an inherited field's own problem once, where it is written", () => {
    const result = validate({
      origins: ['https://*.com'],
      maxAgeSeconds: 9000,
      routes: [{ path: '/a', allowedMethods: ['PUT'] }],
    });
    expect(result.errors.map((e) => e.path)).toEqual(['origins[0].pattern']);
    expect(result.warnings.map((e) => e.path)).toEqual(['maxAgeSeconds']);
  });

  it('warns on a route as on a policy (routes[i].…)', () => {
    const result = validate({
      origins: ['http://app.acme.com'],
      routes: [{ path: '/a', allowCredentials: true }],
    });
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([
      expect.objectContaining({
        path: 'routes[0].origins[0].pattern',
        reason: 'insecure-origin-with-credentials',
      }),
    ]);
  });

  it(`refuses more than ${MAX_POLICY_ROUTES} routes, before reading any`, () => {
    const routes = Array.from({ length: MAX_POLICY_ROUTES + 1 }, () => 'not a route');
    expect(validate({ routes }).errors).toEqual([
      expect.objectContaining({ path: 'routes', reason: 'too-many-routes', value: 101 }),
    ]);
    const ok = Array.from({ length: MAX_POLICY_ROUTES }, (_, i) => ({ path: `/r${i}` }));
    expect(validate({ routes: ok }).ok).toBe(true);
  });

  it(`counts the routes' origin entries in the ${MAX_POLICY_ORIGINS.toLocaleString('en-US')} bound (SPEC §2.3)`, () => {
    const half = Array.from({ length: MAX_POLICY_ORIGINS / 2 + 1 }, () => 'x');
    const result = validate({ origins: half, routes: [{ path: '/a', origins: half }, 'skip'] });
    expect(result.errors[0]).toEqual(
      expect.objectContaining({
        path: 'origins',
        reason: 'too-many-origins',
        value: MAX_POLICY_ORIGINS + 2,
      }),
    );
    expect(result.errors[0]?.message).toContain("its routes' included");
  });
});

describe('decide: per-route rules (SPEC §2.1)', () => {
  const policy = compile({
    origins: ['https://app.acme.com', 'https://*.acme.com'],
    allowedMethods: ['PUT'],
    allowedHeaders: ['content-type'],
    exposedHeaders: ['x-request-id'],
    allowCredentials: true,
    maxAgeSeconds: 600,
    routes: [
      { path: '/public/*', origins: ['*'], allowCredentials: false },
      { path: '/webhooks/stripe', origins: [] },
      { path: '/api/*', allowedMethods: ['GET', 'POST', 'DELETE'], maxAgeSeconds: 60 },
      { path: '/legacy/*', exposedHeaders: [], allowCredentials: false },
      { path: '/audit/*', mode: 'report-only', allowCredentials: false },
    ],
  });
  const get = (origin: string | undefined, path?: string) => ({
    method: 'GET',
    headers: origin === undefined ? {} : { origin },
    ...(path === undefined ? {} : { path }),
  });
  const preflight = (origin: string, method: string, path: string) => ({
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method },
    path,
  });

  it('without a path, the default decides and no route is named', () => {
    const d = decide(policy, get('https://app.acme.com'));
    expect(d.allowed).toBe(true);
    expect(d).not.toHaveProperty('route');
    expect(d.headers['access-control-allow-credentials']).toBe('true');
  });

  it('a path no route matches gets the default', () => {
    expect(decide(policy, get('https://app.acme.com', '/other'))).toEqual(
      decide(policy, get('https://app.acme.com')),
    );
  });

  it('a route with its own `*` answers every origin without credentials (Fetch §3.2.5)', () => {
    expect(decide(policy, get('https://evil.example', '/public/logo.png'))).toEqual({
      allowed: true,
      reason: 'any-origin',
      matchedPattern: '*',
      matchedSource: 'tenant',
      preflight: false,
      headers: {
        'access-control-allow-origin': '*',
        'access-control-expose-headers': 'x-request-id',
      },
      route: '/public/*',
    });
    // Fetch §3.2.6: the `*` route's answer does not depend on Origin, so it is sent without one.
    expect(decide(policy, get(undefined, '/public/'))).toEqual({
      allowed: true,
      reason: 'no-origin',
      matchedPattern: null,
      matchedSource: null,
      preflight: false,
      headers: {
        'access-control-allow-origin': '*',
        'access-control-expose-headers': 'x-request-id',
      },
      route: '/public/*',
    });
  });

  it('a route with no origins refuses the default’s origins, and names itself', () => {
    expect(decide(policy, get('https://app.acme.com', '/webhooks/stripe?x=1'))).toEqual({
      allowed: false,
      reason: 'origin-not-allowed',
      matchedPattern: null,
      matchedSource: null,
      preflight: false,
      headers: { vary: 'Origin' },
      route: '/webhooks/stripe',
    });
  });

  it('a route inherits the origins, credentials and headers it does not set', () => {
    const d = decide(policy, preflight('https://app.acme.com', 'DELETE', '/api/items/7'));
    expect(d).toEqual({
      allowed: true,
      reason: 'exact-match',
      matchedPattern: 'https://app.acme.com',
      matchedSource: 'tenant',
      preflight: true,
      status: 204,
      headers: {
        'access-control-allow-origin': 'https://app.acme.com',
        'access-control-allow-credentials': 'true',
        'access-control-allow-methods': 'GET, POST, DELETE',
        'access-control-max-age': '60',
        vary: VARY_PREFLIGHT,
      },
      route: '/api/*',
    });
    // The default does not list DELETE; the route's list replaces the default's, it does not add.
    expect(decide(policy, preflight('https://app.acme.com', 'PUT', '/api/x')).reason).toBe(
      'method-not-allowed',
    );
    expect(decide(policy, preflight('https://app.acme.com', 'DELETE', '/')).reason).toBe(
      'method-not-allowed',
    );
  });

  it("an inherited origin answers with the route's own actual headers (exact, wildcard)", () => {
    const headers = (origin: string) => ({ 'access-control-allow-origin': origin, vary: 'Origin' });
    expect(decide(policy, get('https://app.acme.com', '/legacy/x'))).toEqual({
      allowed: true,
      reason: 'exact-match',
      matchedPattern: 'https://app.acme.com',
      matchedSource: 'tenant',
      preflight: false,
      headers: headers('https://app.acme.com'),
      route: '/legacy/*',
    });
    expect(decide(policy, get('https://a.acme.com', '/legacy/x'))).toEqual({
      allowed: true,
      reason: 'wildcard-match',
      matchedPattern: 'https://*.acme.com',
      matchedSource: 'tenant',
      preflight: false,
      headers: headers('https://a.acme.com'),
      route: '/legacy/*',
    });
  });

  it('a route may set the mode: report-only lets a refusal through without credentials (SPEC §3)', () => {
    expect(decide(policy, get('https://evil.example', '/audit/x'))).toEqual({
      allowed: true,
      reason: 'origin-not-allowed',
      matchedPattern: null,
      matchedSource: null,
      preflight: false,
      headers: {
        'access-control-allow-origin': 'https://evil.example',
        'access-control-expose-headers': 'x-request-id',
        vary: 'Origin',
      },
      reportOnly: true,
      route: '/audit/*',
    });
  });

  it('a route inheriting a `*` default answers `*` with its own headers', () => {
    const open = compile({
      origins: ['*', 'null'],
      exposedHeaders: ['x-a'],
      routes: [{ path: '/quiet/*', exposedHeaders: [] }],
    });
    expect(decide(open, get('https://any.example', '/quiet/x'))).toEqual({
      allowed: true,
      reason: 'any-origin',
      matchedPattern: '*',
      matchedSource: 'tenant',
      preflight: false,
      headers: { 'access-control-allow-origin': '*' },
      route: '/quiet/*',
    });
    expect(decide(open, get(undefined, '/quiet/x')).headers).toEqual({
      'access-control-allow-origin': '*',
    });
  });

  it('refuses to compile an invalid route (PolicyValidationError names it)', () => {
    expect(() => compile({ routes: [{ path: 'nope' }] })).toThrow(PolicyValidationError);
  });

  it('compiles 100 routes that share the default origins, and finds the right one', () => {
    const origins = Array.from({ length: 2_000 }, (_, i) => `https://t${i}.example.com`);
    const routes = Array.from({ length: MAX_POLICY_ROUTES }, (_, i) => ({
      path: `/r${i}/*`,
      allowedMethods: ['PATCH'],
    }));
    const many = compile({ origins, routes });
    const d = decide(many, preflight('https://t7.example.com', 'PATCH', '/r99/x'));
    expect(d).toEqual(expect.objectContaining({ allowed: true, route: '/r99/*' }));
  });
});
