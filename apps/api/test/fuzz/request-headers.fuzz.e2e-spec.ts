import fc from 'fast-check';
import { jest } from '@jest/globals';
import {
  createKey,
  createTenant,
  createUser,
  sessionCookie,
  replacePolicy,
  uniq,
  validPolicy,
} from '../factories/factories.js';
import {
  FUZZ_RUNS,
  fuzzParameters,
  rawExchange,
  reportAndCheckStatuses,
  startFuzzServer,
  type FuzzServer,
} from './fuzz-support.js';

// Fuzz family 2: request headers on /resolve and the admin routes: Authorization shapes, session cookies
// and cookie junk, Origin / Sec-Fetch-Site, request ids, content types, conditional headers, oversized
// values. Never a 5xx; a cookie-authenticated write that names another site never succeeds (SPEC §4);
// a /resolve answer never allows an unlisted origin; no request left hanging. Then bytes node's
// own client will not send (CR/LF, NUL, obs-fold, bad names), over raw sockets.
jest.setTimeout(900_000);

let s: FuzzServer;
let cookie: string;
let adminBearer: string;
let tenantKey: string;
let slug: string;

beforeAll(async () => {
  s = await startFuzzServer();
  const admin = await createUser(s.t, { platformRole: 'admin' });
  adminBearer = admin.bearer;
  cookie = await sessionCookie(s.t, admin.email);
  const tenant = await createTenant(s.t);
  slug = tenant.slug;
  await replacePolicy(s.t, admin, slug, validPolicy());
  tenantKey = (await createKey(s.t, tenant)).bearer;
});
afterAll(() => s?.close());

/** Header values node's client accepts (it refuses CR, LF, NUL and other controls itself). */
const headerSafe = (v: string) => v.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?');
const junk = fc.string({ unit: 'binary', maxLength: 60 }).map(headerSafe);
const opt = <T>(a: fc.Arbitrary<T>, freq = 3) => fc.option(a, { freq, nil: undefined });

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const authorizationArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('@admin', '@key') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '',
      'Bearer',
      'Bearer ',
      'bearer  cpa_x',
      'Basic YWRtaW46YWRtaW4=',
      'Bearer cpa_zzzzzzzz_nope',
      'Bearer cpk_live_zzzzzzzz_nope',
      'Bearer cpk_live_',
      'Bearer a b',
      'Token x',
      'Bearer \u00ff\u00fe',
    ),
  },
  { weight: 2, arbitrary: junk.map((j) => `Bearer ${j}`) },
  { weight: 1, arbitrary: junk },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 300, max: 9000 }).map((n) => `Bearer cpa_${'a'.repeat(n)}`),
  },
);
const cookieArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant('@session') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'corsplane_session=',
      'corsplane_session=attacker-chosen-value',
      'corsplane_session=a; corsplane_session=b',
      'corsplane_session="quoted"',
      'corsplane_session=%00',
      '=; ;;',
      'a=b; c',
      'corsplane_session',
    ),
  },
  { weight: 2, arbitrary: junk.map((j) => `corsplane_session=${j}`) },
  { weight: 1, arbitrary: junk },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 1000, max: 8000 })
      .map((n) => `corsplane_session=${'x'.repeat(n)}`),
  },
);
const originArb = fc.oneof(
  fc.constantFrom(
    '@own',
    'https://evil.example',
    'null',
    'HTTP://127.0.0.1',
    'http://127.0.0.1',
    'http://localhost',
    '',
  ),
  junk,
);
const sfsArb = fc.oneof(
  fc.constantFrom('same-origin', 'same-site', 'cross-site', 'none', 'CROSS-SITE'),
  junk,
);

const targetArb = fc.constantFrom(
  { method: 'GET', path: () => '/resolve?origin=https%3A%2F%2Fapp.acme.com' },
  { method: 'GET', path: () => '/resolve?origin=https%3A%2F%2Fevil.example&method=PUT' },
  { method: 'GET', path: () => '/v1/tenants' },
  { method: 'GET', path: () => '/v1/auth/me' },
  { method: 'GET', path: () => '/v1/auth/oidc/login?next=%2Ftenants' },
  { method: 'GET', path: () => '/v1/auth/oidc/callback?code=x&state=y' },
  { method: 'GET', path: () => `/v1/tenants/${slug}/policy` },
  {
    method: 'POST',
    path: () => '/v1/tenants',
    body: () => JSON.stringify({ slug: uniq('hf'), name: 'x' }),
  },
  {
    method: 'PATCH',
    path: () => `/v1/tenants/${slug}`,
    body: () => JSON.stringify({ name: 'renamed' }),
  },
  {
    method: 'PUT',
    path: () => `/v1/tenants/${slug}/policy`,
    body: () => JSON.stringify(validPolicy()),
  },
  {
    method: 'POST',
    path: () => `/v1/tenants/${slug}/keys`,
    body: () => JSON.stringify({ name: 'k' }),
  },
  { method: 'POST', path: () => '/v1/auth/tokens', body: () => JSON.stringify({ name: 't' }) },
  { method: 'DELETE', path: () => `/v1/tenants/${slug}/keys/00000000-0000-4000-8000-000000000000` },
  {
    method: 'POST',
    path: () => '/resolve/events',
    body: () => JSON.stringify({ events: [], overflow: 0 }),
  },
  { method: 'GET', path: () => '/readyz' },
  { method: 'GET', path: () => '/nope' },
);

const headersArb = fc.record({
  target: targetArb,
  authorization: opt(authorizationArb, 2),
  cookie: opt(cookieArb, 2),
  origin: opt(originArb, 2),
  secFetchSite: opt(sfsArb, 3),
  requestId: opt(fc.oneof(fc.uuid(), junk, fc.constant('x'.repeat(200))), 4),
  contentType: opt(
    fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/JSON',
      '',
    ),
    3,
  ),
  ifMatch: opt(
    fc.oneof(fc.constantFrom('"1"', '1', '*', 'W/"1"', '"999999999999999999999"', '-1'), junk),
    4,
  ),
  ifNoneMatch: opt(junk, 6),
  accept: opt(fc.oneof(fc.constantFrom('*/*', 'text/html', 'application/json'), junk), 5),
  forwardedFor: opt(fc.oneof(fc.ipV4(), fc.ipV6(), junk), 5),
  extra: fc.array(fc.tuple(fc.stringMatching(/^x-[a-z0-9-]{1,20}$/), junk), { maxLength: 4 }),
  oversized: fc.nat({ max: 60 }).map((n) => (n === 60 ? 20_000 : 0)),
});

it(`answers ${FUZZ_RUNS} generated header sets without a 5xx, and never lets a cross-site cookie write through`, async () => {
  const t0 = performance.now();
  const own = s.origin;
  let crossSiteCookieWrites = 0;
  let succeededWrites = 0;
  await fc.assert(
    fc.asyncProperty(headersArb, async (h) => {
      const headers: Record<string, string> = {};
      if (h.authorization !== undefined)
        headers.authorization =
          h.authorization === '@admin'
            ? adminBearer
            : h.authorization === '@key'
              ? tenantKey
              : h.authorization;
      if (h.cookie !== undefined) headers.cookie = h.cookie === '@session' ? cookie : h.cookie;
      if (h.origin !== undefined) headers.origin = h.origin === '@own' ? own : h.origin;
      if (h.secFetchSite !== undefined) headers['sec-fetch-site'] = h.secFetchSite;
      if (h.requestId !== undefined) headers['x-request-id'] = h.requestId;
      if (h.ifMatch !== undefined) headers['if-match'] = h.ifMatch;
      if (h.ifNoneMatch !== undefined) headers['if-none-match'] = h.ifNoneMatch;
      if (h.accept !== undefined) headers.accept = h.accept;
      if (h.forwardedFor !== undefined) headers['x-forwarded-for'] = h.forwardedFor;
      for (const [k, v] of h.extra) headers[k] = v;
      if (h.oversized > 0) headers['x-padding'] = 'p'.repeat(h.oversized);
      const body = h.target.body?.();
      if (body !== undefined) headers['content-type'] = h.contentType ?? 'application/json';
      if (h.oversized > 0) {
        // Over node's 16 KiB header limit: the server answers 431 and closes at once, which node's client
        // may report as a reset before it reads the answer; a raw socket reads it reliably.
        const head = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`);
        const raw = await rawExchange(
          s.port,
          Buffer.from(
            `${h.target.method} ${h.target.path()} HTTP/1.1\r\nHost: 127.0.0.1\r\n${head.join('')}Content-Length: ${Buffer.byteLength(body ?? '')}\r\nConnection: close\r\n\r\n${body ?? ''}`,
            'latin1',
          ),
        );
        expect(raw.status).toBe(431);
        return;
      }
      const res = await s
        .send({ method: h.target.method, path: h.target.path(), headers, body })
        .catch((e: Error) => {
          throw new Error(
            `${e.message}: ${h.target.method} ${h.target.path()} ${JSON.stringify(headers)}`,
          );
        });

      expect(res.status).toBeLessThan(500);
      if (res.status >= 400 && res.status !== 431 && res.body !== '') {
        const err = JSON.parse(res.body) as { statusCode: number };
        expect(err.statusCode).toBe(res.status);
      }
      // CSRF (SPEC §4): the session cookie is the only credential and the request names another site.
      const crossSite =
        headers['sec-fetch-site'] === 'cross-site' ||
        (headers.origin !== undefined && headers.origin.toLowerCase() !== own.toLowerCase());
      const cookieOnly = headers.authorization === undefined && headers.cookie === cookie;
      if (
        WRITE_METHODS.has(h.target.method) &&
        cookieOnly &&
        crossSite &&
        !h.target.path().startsWith('/resolve')
      ) {
        crossSiteCookieWrites++;
        // Never through; and 403 unless the body was refused first (415 for a non-JSON content type).
        expect(res.status).toBeGreaterThanOrEqual(400);
        const jsonBody =
          body === undefined ||
          h.contentType === undefined ||
          h.contentType.startsWith('application/json');
        if (jsonBody && res.status !== 431) expect(res.status).toBe(403);
      }
      if (WRITE_METHODS.has(h.target.method) && res.status < 300) succeededWrites++;
      if (res.status === 200 && h.target.path().startsWith('/resolve?')) {
        const d = JSON.parse(res.body) as { headers: Record<string, string> };
        const acao = d.headers['access-control-allow-origin'];
        expect(acao === undefined || acao === 'https://app.acme.com').toBe(true);
      }
    }),
    fuzzParameters(FUZZ_RUNS),
  );
  reportAndCheckStatuses('request headers', s, FUZZ_RUNS, performance.now() - t0);
  process.stdout.write(
    `  cross-site cookie writes refused: ${crossSiteCookieWrites}; writes that succeeded: ${succeededWrites}\n`,
  );
  expect(crossSiteCookieWrites).toBeGreaterThan(50);
  expect(succeededWrites).toBeGreaterThan(50);
});

describe('bytes node’s client will not send (raw sockets)', () => {
  const targets = [
    'GET /resolve?origin=https%3A%2F%2Fapp.acme.com',
    'GET /v1/tenants',
    'POST /v1/tenants',
  ];
  const lines = [
    'Authorization: Bearer x\r\nX-Injected: 1',
    'Authorization: Bearer a\u0000b',
    'Cookie: corsplane_session=a\rb',
    'Origin: https://evil.example\r\n Set-Cookie: x=1',
    'X-Folded: a\r\n b',
    'Bad Name: x',
    'X-Ctl: \u0001\u0002',
    ': empty-name',
    'Content-Length: 5\r\nContent-Length: 6',
    'Transfer-Encoding: chunked\r\nContent-Length: 3',
    'Transfer-Encoding: gzip, chunked',
    `X-Huge: ${'h'.repeat(20_000)}`,
    ...Array.from({ length: 200 }, (_, i) => `X-Many-${i}: ${'m'.repeat(100)}`).reduce<string[]>(
      (acc, l, i) => (i === 0 ? [l] : [`${acc[0]}\r\n${l}`]),
      [],
    ),
  ];
  it.each(
    targets.flatMap((t) =>
      lines.map((l) => [t, l.slice(0, 60).replace(/[\r\n]/g, '⏎'), l] as const),
    ),
  )('%s with %s → 4xx, never 5xx', async (target, _shown, line) => {
    const auth = target.startsWith('GET /resolve') ? tenantKey : adminBearer;
    const res = await rawExchange(
      s.port,
      `${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${auth}\r\n${line}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`,
    );
    expect(res.status).toBeGreaterThanOrEqual(200);
    expect(res.status).toBeLessThan(500);
    // A header that was refused or split never reaches the answer.
    expect(res.text).not.toMatch(/\r\n(x-injected|set-cookie: x=1)/i);
  });
});
