import querystring from 'node:querystring';
import fc from 'fast-check';
import { jest } from '@jest/globals';
import type { PolicyInput } from '@corsplane/contracts';
import { compilePolicy, decide, type CompiledPolicy, type CorsRequest } from '@corsplane/policy';
import {
  createKey,
  createTenant,
  createUser,
  replacePolicy,
  validPolicy,
} from '../factories/factories.js';
import {
  FUZZ_RUNS,
  fuzzParameters,
  pct,
  reportAndCheckStatuses,
  startFuzzServer,
  type FuzzServer,
} from './fuzz-support.js';

// Fuzz family 1: GET /resolve query values (origin, method, headers, privateNetwork, tenant, extra and
// repeated parameters; hostile, huge, unicode, CRLF, percent-junk) with every kind of key. Each answer:
// never a 5xx; a 200 carries exactly the engine's decision for the same input (the oracle), and never an
// Access-Control-Allow-Origin other than `*` (for a `*` tenant) or the request's own origin when listed;
// every request answered (none left hanging).
jest.setTimeout(900_000);

let s: FuzzServer;
const tenants: Record<string, { policy: PolicyInput; compiled: CompiledPolicy; key: string }> = {};
let platformKey: string;

const POLICIES: Record<string, PolicyInput> = {
  acme: validPolicy(),
  star: validPolicy({
    origins: [{ pattern: '*', note: null, expiresAt: null }],
    allowCredentials: false,
    allowedHeaders: ['*'],
  }),
  watch: validPolicy({ mode: 'report-only', allowPrivateNetwork: true }),
  legacy: validPolicy({
    origins: [
      { pattern: 'http://localhost:3000', note: null, expiresAt: null },
      { pattern: 'https://old.acme.com', note: null, expiresAt: '2020-01-01T00:00:00Z' },
      { pattern: 'null', note: null, expiresAt: null },
    ],
  }),
};

beforeAll(async () => {
  s = await startFuzzServer();
  const admin = await createUser(s.t, { platformRole: 'admin' });
  const suffix = Math.random().toString(36).slice(2, 8);
  for (const [name, policy] of Object.entries(POLICIES)) {
    const tenant = await createTenant(s.t, { slug: `${name}-${suffix}` });
    await replacePolicy(s.t, admin, tenant.slug, policy);
    const key = await createKey(s.t, tenant);
    tenants[tenant.slug] = { policy, compiled: compilePolicy(policy), key: key.secret };
  }
  platformKey = (await createKey(s.t, null)).secret;
});
afterAll(() => s?.close());

const LISTED = [
  'https://app.acme.com',
  'https://shop.acme.com',
  'https://a.b.acme.com',
  'http://localhost:3000',
  'https://old.acme.com',
  'null',
];
const TRICKY = [
  'https://app.acme.com.evil.com',
  'https://evil.com/app.acme.com',
  'https://app.acme.com@evil.com',
  'https://APP.ACME.COM',
  'https://app.acme.com:443',
  'https://app.acme.com:8443',
  'https://app.acme.com/',
  'https://app.acme.com.',
  'http://app.acme.com',
  'https://acme.com',
  'https://.acme.com',
  'https://*.acme.com',
  'https://evilacme.com',
  '*',
  '',
  ' ',
  'https://app.acme.com, https://evil.com',
  'https://app.acme.com,https://app.acme.com',
  'https://app.acme.com\r\nSet-Cookie: owned=1',
  'https://app.acme.com\nx-injected: 1',
  'https://app.acme.com\u0000',
  'https://аpp.acme.com', // Cyrillic а
  'https://xn--pp-8cd.acme.com',
  ' https://app.acme.com',
  'https://app.acme.com ',
  'https://[::1]',
  'https://127.0.0.1:8080',
  'file://',
  'javascript:alert(1)',
  'https://app.acme.com#x',
  'https://app.acme.com?x=1',
  'HTTPS://app.acme.com',
  'https:app.acme.com',
  'https:///app.acme.com',
  'https://app.acme.com\t',
  '%00',
  '\u{1F600}',
  '\ud800',
];
const METHODS = [
  'GET',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'CONNECT',
  'TRACE',
  'put',
  'Put',
  '',
];
const HEADER_NAMES = [
  'content-type',
  'authorization',
  'x-custom',
  'Content-Type',
  'AUTHORIZATION',
  'cookie',
  'x-a,x-b',
  ' ',
  '',
  'x\r\ny',
  '*',
];

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/);
const originArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...LISTED) },
  { weight: 4, arbitrary: fc.constantFrom(...TRICKY) },
  {
    weight: 3,
    arbitrary: fc
      .array(label, { minLength: 1, maxLength: 4 })
      .map((ls) => `https://${ls.join('.')}.acme.com`),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.constantFrom('http', 'https', 'ws', 'ftp', 'HTTPS'),
        fc.webAuthority({ withPort: true, withIPv4: true, withIPv6: true }),
      )
      .map(([scheme, authority]) => `${scheme}://${authority}`),
  },
  { weight: 1, arbitrary: fc.webUrl() },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
  {
    weight: 1,
    arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }).map((x) => `https://${x}.acme.com`),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 1900, max: 5000 }).map((n) => `https://${'a'.repeat(n)}.acme.com`),
  },
);
const methodArb = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...METHODS) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 70 }) },
);
const headersArb = fc.oneof(
  fc.array(fc.constantFrom(...HEADER_NAMES), { maxLength: 6 }).map((hs) => hs.join(', ')),
  fc
    .array(fc.stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,30}$/), { maxLength: 10 })
    .map((hs) => hs.join(',')),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.integer({ min: 8000, max: 9000 }).map((n) => 'x'.repeat(n)),
);
const tenantArb = fc.oneof(
  fc.constantFrom(...Object.keys(POLICIES)).map((name) => `__${name}`), // replaced by the real slug
  fc.constantFrom('nope', 'UPPER', '-x', 'a'.repeat(64), '', "x'--", '../acme'),
  fc.string({ unit: 'binary', maxLength: 30 }),
);
const keyArb = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('acme', 'star', 'watch', 'legacy') },
  { weight: 4, arbitrary: fc.constant('platform') },
  { weight: 1, arbitrary: fc.constantFrom('junk', 'none', 'basic') },
);

type Pair = [string, string];
const queryArb = fc.record({
  origins: fc.oneof(
    { weight: 12, arbitrary: originArb.map((o) => [o]) },
    { weight: 1, arbitrary: fc.constant([] as string[]) },
    { weight: 2, arbitrary: fc.array(originArb, { minLength: 2, maxLength: 3 }) },
  ),
  method: fc.option(methodArb, { freq: 2 }),
  headers: fc.option(headersArb, { freq: 3 }),
  privateNetwork: fc.option(fc.constantFrom('true', 'false', 'TRUE', '1', ''), { freq: 3 }),
  // "__self": the key's own tenant (for a platform key: one of the four).
  tenants: fc.oneof(
    { weight: 6, arbitrary: fc.constant(['__self']) },
    { weight: 3, arbitrary: fc.constant([] as string[]) },
    { weight: 2, arbitrary: fc.array(tenantArb, { minLength: 1, maxLength: 2 }) },
  ),
  self: fc.constantFrom(...Object.keys(POLICIES)),
  extra: fc.array(
    fc.tuple(fc.string({ unit: 'binary-ascii', maxLength: 10 }), fc.string({ maxLength: 10 })),
    { maxLength: 2 },
  ),
  flood: fc.nat({ max: 40 }).map((n) => (n > 36 ? n : 0)),
  key: keyArb,
  rawTail: fc.option(
    fc.constantFrom(
      '&',
      '&&',
      '=',
      '%',
      '%zz',
      '%C0%AF',
      '%FF%FE',
      '+',
      'origin',
      'origin=',
      '%E0%A4%A',
    ),
    { freq: 8 },
  ),
});

function slugFor(name: string): string | undefined {
  return Object.keys(tenants).find((slug) => slug.startsWith(`${name}-`));
}

it(`answers ${FUZZ_RUNS} generated /resolve queries without a 5xx, with the engine's decision and no reflected unlisted origin`, async () => {
  const t0 = performance.now();
  let compared = 0;
  let allowedSeen = 0;
  await fc.assert(
    fc.asyncProperty(queryArb, async (q) => {
      const pairs: Pair[] = [];
      for (const o of q.origins) pairs.push(['origin', o]);
      if (q.method !== null) pairs.push(['method', q.method]);
      if (q.headers !== null) pairs.push(['headers', q.headers]);
      if (q.privateNetwork !== null) pairs.push(['privateNetwork', q.privateNetwork]);
      for (const tn of q.tenants) {
        const self = q.key === 'platform' || !(q.key in POLICIES) ? q.self : q.key;
        pairs.push([
          'tenant',
          tn === '__self'
            ? slugFor(self)!
            : tn.startsWith('__')
              ? (slugFor(tn.slice(2)) ?? tn)
              : tn,
        ]);
      }
      for (const [k, v] of q.extra) pairs.push([k, v]);
      for (let i = 0; i < q.flood; i++) pairs.push([`p${i}`, 'x']);
      let qs = pairs.map(([k, v]) => `${pct(k)}=${pct(v)}`).join('&');
      if (q.rawTail !== null) qs += q.rawTail;
      const path = qs.length > 0 ? `/resolve?${qs}` : '/resolve';
      const authorization =
        q.key === 'none'
          ? undefined
          : q.key === 'junk'
            ? 'Bearer cpk_live_zzzzzzzz_nope'
            : q.key === 'basic'
              ? 'Basic YWRtaW46YWRtaW4='
              : `Bearer ${q.key === 'platform' ? platformKey : tenants[slugFor(q.key)!]!.key}`;
      const res = await s.send({ path, headers: authorization ? { authorization } : {} });

      expect(res.status).toBeLessThan(500);
      if (res.status === 431) return; // the request line alone was over node's header limit
      const body = JSON.parse(res.body) as {
        statusCode?: number;
        allowed?: boolean;
        reason?: string;
        tenant?: string;
        headers?: Record<string, string>;
      };
      if (res.status !== 200) {
        expect(body.statusCode).toBe(res.status);
        return;
      }
      // The same input through the engine, parsed exactly as the server parses it.
      const parsed = querystring.parse(qs, '&', '=', { maxKeys: 32 }) as Record<
        string,
        string | string[] | undefined
      >;
      const entry = tenants[body.tenant as string];
      expect(entry).toBeDefined();
      const origin = parsed.origin as string | string[];
      const request: CorsRequest = { method: 'GET', headers: { origin } };
      if (parsed.method !== undefined) {
        const h: Record<string, string | string[]> = {
          origin,
          'access-control-request-method': parsed.method,
        };
        if (parsed.headers !== undefined) h['access-control-request-headers'] = parsed.headers;
        if (parsed.privateNetwork === 'true') h['access-control-request-private-network'] = 'true';
        request.method = 'OPTIONS';
        request.headers = h;
      }
      const expected = decide(entry!.compiled, request);
      expect({ allowed: body.allowed, reason: body.reason, headers: body.headers }).toEqual({
        allowed: expected.allowed,
        reason: expected.reason,
        headers: expected.headers,
      });
      compared++;
      if (body.allowed) allowedSeen++;
      // Independently of the engine: only `*` (a `*` tenant) or the request's own, listed origin.
      const acao = body.headers?.['access-control-allow-origin'];
      for (const v of Object.values(body.headers ?? {})) expect(v).not.toMatch(/[\r\n\0]/);
      if (acao !== undefined && entry!.policy.mode === 'enforce') {
        if (acao === '*') expect(entry!.policy.origins.some((o) => o.pattern === '*')).toBe(true);
        else {
          expect(typeof origin === 'string' && origin === acao).toBe(true);
          expect(
            decide(entry!.compiled, { method: 'GET', headers: { origin: acao } }).allowed,
          ).toBe(true);
        }
      }
    }),
    fuzzParameters(FUZZ_RUNS),
  );
  reportAndCheckStatuses('/resolve query', s, FUZZ_RUNS, performance.now() - t0);
  process.stdout.write(
    `  compared with the engine: ${compared} decisions (${allowedSeen} allowed)\n`,
  );
  expect(compared).toBeGreaterThan(FUZZ_RUNS / 10);
  expect(allowedSeen).toBeGreaterThan(50);
});
