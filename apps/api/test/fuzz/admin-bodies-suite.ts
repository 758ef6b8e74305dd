import fc from 'fast-check';
import { jest } from '@jest/globals';
import { compilePolicy, decide } from '@corsplane/policy';
import {
  createKey,
  createTenant,
  createUser,
  uniq,
  validPolicy,
  type TestUser,
} from '../factories/factories.js';
import {
  FUZZ_RUNS,
  fuzzParameters,
  reportAndCheckStatuses,
  startFuzzServer,
  type FuzzServer,
} from './fuzz-support.js';
import { LARGE_BODY_ROUTES } from '../../src/common/http/large-body-routes.js';

/** True when `method path` is a route with a body limit of its own (`:param` matches one segment). */
function hasOwnBodyLimit(method: string, path: string): boolean {
  const segments = (path.split('?')[0] ?? '').split('/');
  return LARGE_BODY_ROUTES.some((route) => {
    const pattern = route.url.split('/');
    return (
      route.method === method &&
      pattern.length === segments.length &&
      pattern.every((part, i) => part.startsWith(':') || part === segments[i])
    );
  });
}

// Fuzz family 3: the body of every admin endpoint that takes one (tenants, policy PUT / validate /
// simulate, single-origin add / patch and import, tenant and platform keys, users, invitations, login, admin tokens) and of POST /resolve/events: near-valid
// documents with fields swapped for junk, dropped or added, arbitrary JSON, malformed and deeply nested
// JSON, oversized bodies. Never a 5xx, always the SPEC error body, a simulate answer never allows an
// unlisted origin, no request left hanging. The family's FUZZ_RUNS inputs are split over two
// files (tenants + policies; keys, users, auth, events) so Jest runs the halves on its two workers.

let s: FuzzServer;
let admin: TestUser;
let victimId: string;
let tenantKey: string;
let putSlug: string;
let simSlug: string;
let putVersion = 1;
let inviteToken: string;
let imports = 0;
const simPolicy = validPolicy();
const simCompiled = compilePolicy(simPolicy);

export function adminBodiesSuite(part: 'tenants-policies' | 'keys-users-auth-events'): void {
  jest.setTimeout(900_000);
  beforeAll(async () => {
    s = await startFuzzServer();
    admin = await createUser(s.t, { platformRole: 'admin' });
    victimId = (await createUser(s.t, { platformRole: 'viewer' })).id;
    const a = await createTenant(s.t);
    const b = await createTenant(s.t);
    putSlug = a.slug;
    simSlug = b.slug;
    await s.t
      .http()
      .put(`/v1/tenants/${simSlug}/policy`)
      .set('authorization', admin.bearer)
      .set('if-match', '"1"')
      .send(simPolicy)
      .expect(200);
    tenantKey = (await createKey(s.t, a)).bearer;
    const invited = await s.t
      .http()
      .post('/v1/invitations')
      .set('authorization', admin.bearer)
      .send({ email: `${uniq('fz-invite')}@example.test`, platformRole: 'viewer' })
      .expect(201);
    inviteToken = decodeURIComponent(String(invited.body.link).split('/invite/')[1] ?? '');
  });
  afterAll(() => s?.close());

  const MISSING = Symbol('missing');
  const junkValue: fc.Arbitrary<unknown> = fc.oneof(
    { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
    {
      weight: 3,
      arbitrary: fc.constantFrom<unknown>(
        null,
        '',
        ' ',
        'x'.repeat(5000),
        -1,
        0,
        1.5,
        2 ** 53 + 1,
        -0,
        true,
        [],
        {},
        '__proto__',
        '\u0000',
        '\ud800',
        '\u202e',
        "'; DROP TABLE tenants;--",
        '<script>alert(1)</script>',
        '../../etc/passwd',
        '%00',
        { $gt: '' },
        ['a', 1, null],
      ),
    },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  );
  /** A valid value most of the time; otherwise junk, or the field left out. */
  const field = <T>(valid: fc.Arbitrary<T>) =>
    fc.oneof(
      { weight: 6, arbitrary: valid as fc.Arbitrary<unknown> },
      { weight: 2, arbitrary: junkValue },
      { weight: 1, arbitrary: fc.constant<unknown>(MISSING) },
    );
  function objectOf(
    fields: Record<string, fc.Arbitrary<unknown>>,
  ): fc.Arbitrary<Record<string, unknown>> {
    return fc
      .tuple(
        fc.record(fields),
        fc.option(fc.tuple(fc.string({ maxLength: 12 }), junkValue), { freq: 8 }),
      )
      .map(([r, extra]) => {
        const o: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(r)) if (v !== MISSING) o[k] = v;
        if (extra !== null) o[extra[0]] = extra[1];
        return o;
      });
  }

  const ORIGIN_PATTERNS = [
    'https://app.acme.com',
    'https://*.acme.com',
    '*',
    'null',
    'http://localhost:3000',
    'https://*.com',
    'https://*.co.uk',
    'https://*',
    'https://a.*.acme.com',
    'https://app.acme.com/',
    'https://app.acme.com:99999',
    'HTTPS://APP.ACME.COM',
    'https://xn--nxasmq6b.com',
    'https://☃.net',
    'https://[::1]:8080',
    'https://127.0.0.1',
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
    'get',
    '*',
    '',
  ];
  const HEADERS = [
    'content-type',
    'authorization',
    'x-custom',
    '*',
    'cookie',
    'set-cookie',
    'x a',
    '',
  ];
  const isoDate = fc
    .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString());
  const originEntryArb = objectOf({
    pattern: field(fc.oneof(fc.constantFrom(...ORIGIN_PATTERNS), fc.webUrl())),
    note: field(fc.oneof(fc.constant(null), fc.string({ maxLength: 50 }))),
    expiresAt: field(fc.oneof(fc.constant(null), isoDate)),
  });
  const policyArb = objectOf({
    mode: field(fc.constantFrom('enforce', 'report-only')),
    origins: field(
      fc.array(
        objectOf({
          pattern: field(fc.oneof(fc.constantFrom(...ORIGIN_PATTERNS), fc.webUrl())),
          note: field(fc.oneof(fc.constant(null), fc.string({ maxLength: 50 }))),
          expiresAt: field(fc.oneof(fc.constant(null), isoDate)),
        }),
        { maxLength: 6 },
      ),
    ),
    allowedMethods: field(fc.array(fc.constantFrom(...METHODS), { maxLength: 5 })),
    allowedHeaders: field(fc.array(fc.constantFrom(...HEADERS), { maxLength: 5 })),
    exposedHeaders: field(fc.array(fc.constantFrom(...HEADERS), { maxLength: 3 })),
    allowCredentials: field(fc.boolean()),
    maxAgeSeconds: field(fc.oneof(fc.constant(null), fc.integer({ min: -10, max: 100_000 }))),
    allowPrivateNetwork: field(fc.boolean()),
  });
  const slugArb = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}[a-z0-9]$/);
  const emailArb = fc.oneof(fc.emailAddress(), fc.constant(`${uniq('fz')}@example.test`));
  /** Passwords are mostly too short (refused before any scrypt): each valid one costs ~50 ms of hashing. */
  const passwordArb = fc.oneof(
    { weight: 9, arbitrary: fc.string({ maxLength: 11 }) },
    { weight: 1, arbitrary: fc.string({ minLength: 12, maxLength: 40 }) },
  );

  const membershipsArb = fc.array(
    objectOf({
      tenant: field(fc.constantFrom('nope', 'x')),
      role: field(fc.constantFrom('editor', 'viewer')),
    }),
    { maxLength: 3 },
  );
  /** The one real invitation (usable until a generated accept with a strong password takes it), or junk. */
  const invitationTokenArb = fc.oneof(
    fc.constant(null).map(() => inviteToken),
    fc.constantFrom('cpi_abcdefgh_x', 'cpi_' + 'a'.repeat(300), '../x', ''),
    fc.string({ maxLength: 80 }),
  );

  interface Target {
    name: string;
    method: string;
    path: () => string;
    auth: () => string | undefined;
    body: fc.Arbitrary<unknown>;
    headers?: () => Record<string, string>;
  }
  const adminAuth = () => admin.bearer;
  const TARGETS: Target[] = [
    {
      name: 'POST /v1/tenants',
      method: 'POST',
      path: () => '/v1/tenants',
      auth: adminAuth,
      body: objectOf({ slug: field(slugArb), name: field(fc.string({ maxLength: 60 })) }),
    },
    {
      name: 'PATCH /v1/tenants/:slug',
      method: 'PATCH',
      path: () => `/v1/tenants/${putSlug}`,
      auth: adminAuth,
      body: objectOf({ name: field(fc.string({ maxLength: 60 })) }),
    },
    {
      name: 'PUT /v1/tenants/:slug/policy',
      method: 'PUT',
      path: () => `/v1/tenants/${putSlug}/policy`,
      auth: adminAuth,
      body: policyArb,
      headers: () => ({ 'if-match': `"${putVersion}"` }),
    },
    {
      name: 'POST …/policy/validate',
      method: 'POST',
      path: () => `/v1/tenants/${putSlug}/policy/validate`,
      auth: adminAuth,
      body: policyArb,
    },
    {
      name: 'POST …/simulate',
      method: 'POST',
      path: () => `/v1/tenants/${simSlug}/simulate`,
      auth: adminAuth,
      body: objectOf({
        origin: field(
          fc.oneof(
            fc.constantFrom(...ORIGIN_PATTERNS),
            fc.webUrl(),
            fc.string({ unit: 'binary', maxLength: 60 }),
          ),
        ),
        method: field(fc.constantFrom(...METHODS)),
        headers: field(
          fc.array(fc.constantFrom(...HEADERS), { maxLength: 4 }).map((h) => h.join(', ')),
        ),
        privateNetwork: field(fc.boolean()),
        preflight: field(fc.boolean()),
        policy: fc.oneof(
          { weight: 3, arbitrary: fc.constant(MISSING) },
          { weight: 1, arbitrary: policyArb },
        ),
      }),
    },
    {
      name: 'POST …/policy/origins',
      method: 'POST',
      path: () => `/v1/tenants/${putSlug}/policy/origins`,
      auth: adminAuth,
      body: originEntryArb,
      headers: () => ({ 'x-change-note': 'fuzz' }),
    },
    {
      name: 'PATCH …/policy/origins/:pattern',
      method: 'PATCH',
      path: () =>
        `/v1/tenants/${simSlug}/policy/origins/${encodeURIComponent('https://app.acme.com')}`,
      auth: adminAuth,
      body: objectOf({
        note: field(fc.oneof(fc.constant(null), fc.string({ maxLength: 50 }))),
        expiresAt: field(fc.oneof(fc.constant(null), isoDate)),
      }),
    },
    {
      name: 'POST …/policy/origins/import',
      method: 'POST',
      // Every other import is a dry run: both paths see the same bodies.
      path: () => `/v1/tenants/${putSlug}/policy/origins/import?dryRun=${imports++ % 2 === 0}`,
      auth: adminAuth,
      body: fc.array(fc.oneof(fc.constantFrom(...ORIGIN_PATTERNS), fc.webUrl(), originEntryArb), {
        maxLength: 6,
      }),
    },
    {
      name: 'POST …/keys',
      method: 'POST',
      path: () => `/v1/tenants/${putSlug}/keys`,
      auth: adminAuth,
      body: objectOf({ name: field(fc.string({ maxLength: 120 })) }),
    },
    {
      name: 'POST /v1/keys',
      method: 'POST',
      path: () => '/v1/keys',
      auth: adminAuth,
      body: objectOf({ name: field(fc.string({ maxLength: 120 })) }),
    },
    {
      name: 'POST /v1/users',
      method: 'POST',
      path: () => '/v1/users',
      auth: adminAuth,
      body: objectOf({
        email: field(emailArb),
        name: field(fc.oneof(fc.constant(null), fc.string({ maxLength: 60 }))),
        password: field(passwordArb),
        platformRole: field(fc.constantFrom('admin', 'viewer', null)),
        memberships: field(membershipsArb),
      }),
    },
    {
      name: 'PATCH /v1/users/:id',
      method: 'PATCH',
      path: () => `/v1/users/${victimId}`,
      auth: adminAuth,
      body: objectOf({
        name: field(fc.oneof(fc.constant(null), fc.string({ maxLength: 60 }))),
        password: field(passwordArb),
        platformRole: field(fc.constantFrom('admin', 'viewer', null)),
        disabled: field(fc.boolean()),
      }),
    },
    {
      name: 'POST /v1/auth/login',
      method: 'POST',
      path: () => '/v1/auth/login',
      auth: () => undefined,
      body: objectOf({
        email: field(fc.oneof(emailArb, fc.constant('nobody@example.test'))),
        password: field(fc.string({ maxLength: 30 })),
      }),
    },
    {
      name: 'POST /v1/auth/tokens',
      method: 'POST',
      path: () => '/v1/auth/tokens',
      auth: adminAuth,
      body: objectOf({
        name: field(fc.string({ maxLength: 120 })),
        expiresInDays: field(fc.integer({ min: -5, max: 5000 })),
      }),
    },
    {
      name: 'POST /v1/invitations',
      method: 'POST',
      path: () => '/v1/invitations',
      auth: adminAuth,
      body: objectOf({
        email: field(emailArb),
        name: field(fc.oneof(fc.constant(null), fc.string({ maxLength: 60 }))),
        platformRole: field(fc.constantFrom('admin', 'viewer', null)),
        memberships: field(membershipsArb),
      }),
    },
    {
      name: 'POST /v1/invitations/lookup',
      method: 'POST',
      path: () => '/v1/invitations/lookup',
      auth: () => undefined,
      body: objectOf({ token: field(invitationTokenArb) }),
    },
    {
      name: 'POST /v1/invitations/accept',
      method: 'POST',
      path: () => '/v1/invitations/accept',
      auth: () => undefined,
      body: objectOf({
        token: field(invitationTokenArb),
        password: field(passwordArb),
        name: field(fc.oneof(fc.constant(null), fc.string({ maxLength: 60 }))),
      }),
    },
    {
      name: 'POST /resolve/events',
      method: 'POST',
      path: () => '/resolve/events',
      auth: () => tenantKey,
      body: objectOf({
        tenant: field(
          fc.oneof(
            fc.constant(() => putSlug).map((f) => f()),
            slugArb,
          ),
        ),
        overflow: field(fc.integer({ min: -1, max: 2_000_000_000 })),
        events: field(
          fc.array(
            objectOf({
              origin: field(fc.oneof(fc.webUrl(), fc.string({ unit: 'binary', maxLength: 100 }))),
              reason: field(
                fc.constantFrom(
                  'origin-not-allowed',
                  'malformed-origin',
                  'service-unavailable',
                  'nope',
                ),
              ),
              count: field(fc.integer({ min: -1, max: 2_000_000_000 })),
              firstSeen: field(isoDate),
              lastSeen: field(isoDate),
            }),
            { maxLength: 8 },
          ),
        ),
      }),
    },
  ];

  // Bodies that are not a JSON document of the expected kind at all.
  const HUGE = `{"name":"${'x'.repeat(1024 * 1024 + 10)}"}`;
  const RAW = [
    '',
    '{',
    '}',
    '[]',
    'null',
    '"x"',
    '1',
    '{"a":',
    '{"name":"x",}',
    "{'name':'x'}",
    '\u0000',
    '\ufeff{"name":"x"}',
    '{"__proto__":{"admin":true},"name":"x"}',
    '{"constructor":{"prototype":{"admin":true}},"name":"x"}',
    '{"name":"x","name":"y"}',
    `${'['.repeat(50_000)}${']'.repeat(50_000)}`,
    `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`,
    '{"name":"\\ud800"}',
    '{"name":1e999}',
  ];

  const kindArb = fc.oneof(
    { weight: 40, arbitrary: fc.constant<'doc'>('doc') },
    { weight: 4, arbitrary: fc.constant<'any'>('any') },
    { weight: 3, arbitrary: fc.constantFrom(...RAW.map((r) => ({ raw: r }))) },
    { weight: 1, arbitrary: fc.constantFrom({ raw: 'huge' }, { raw: 'text/plain' }) },
  );
  const PART = part === 'tenants-policies' ? TARGETS.slice(0, 8) : TARGETS.slice(8);
  const runs = Math.ceil(FUZZ_RUNS / 2);
  const inputArb = fc.tuple(
    fc
      .integer({ min: 0, max: PART.length - 1 })
      .chain((i) => PART[i]!.body.map((doc) => ({ i, doc }))),
    kindArb,
    fc.jsonValue({ maxDepth: 3 }),
  );

  it(`answers ${runs} generated admin bodies (${part}; half of the family's ${FUZZ_RUNS}) without a 5xx`, async () => {
    const t0 = performance.now();
    const perTarget = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(inputArb, async ([{ i, doc }, kind, anyJson]) => {
        const target = PART[i]!;
        perTarget.set(target.name, (perTarget.get(target.name) ?? 0) + 1);
        let body: string;
        let contentType = 'application/json';
        if (kind === 'doc') body = JSON.stringify(doc);
        else if (kind === 'any') body = JSON.stringify(anyJson) ?? 'null';
        else if (kind.raw === 'huge') body = HUGE;
        else if (kind.raw === 'text/plain') {
          body = '{"name":"x"}';
          contentType = 'text/plain';
        } else body = kind.raw;
        const auth = target.auth();
        const headers: Record<string, string> = {
          'content-type': contentType,
          ...(auth ? { authorization: auth } : {}),
          ...(target.headers?.() ?? {}),
        };
        const res = await s.send({ method: target.method, path: target.path(), headers, body });

        expect({
          target: target.name,
          status: res.status < 500 ? 'ok' : res.status,
          body: res.status < 500 ? '' : res.body,
        }).toEqual({
          target: target.name,
          status: 'ok',
          body: '',
        });
        if (kind !== 'doc' && kind !== 'any' && kind.raw === 'huge')
          // Over BODY_LIMIT_BYTES (1 MiB): 413, except where a route has a larger limit of its own.
          expect({ target: target.name, tooLarge: res.status === 413 }).toEqual({
            target: target.name,
            tooLarge: !hasOwnBodyLimit(target.method, target.path()),
          });
        const parsed =
          res.body === '' ? undefined : (JSON.parse(res.body) as Record<string, unknown>);
        if (res.status >= 400) expect(parsed?.statusCode).toBe(res.status);
        if (target.name === 'PUT /v1/tenants/:slug/policy' && res.status === 200)
          putVersion = parsed?.version as number;
        if (target.name === 'POST …/simulate' && res.status === 200 && !body.includes('"policy"')) {
          const acao = (parsed?.headers as Record<string, string>)['access-control-allow-origin'];
          if (acao !== undefined)
            expect(decide(simCompiled, { method: 'GET', headers: { origin: acao } }).allowed).toBe(
              true,
            );
        }
      }),
      fuzzParameters(runs),
    );
    reportAndCheckStatuses(`admin bodies (${part})`, s, runs, performance.now() - t0);
    process.stdout.write(
      `  per endpoint: ${[...perTarget.entries()].map(([k, v]) => `${k} ${v}`).join(', ')}\n`,
    );
    // The admin user was never locked out by the run (its token still works).
    await s.t.http().get('/v1/auth/me').set('authorization', admin.bearer).expect(200);
  });
}
