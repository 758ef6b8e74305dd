import { createTenant, createUser, validPolicy, type TestUser } from './factories/factories.js';
import { createTestApp, type TestApp } from './factories/test-app.js';

// Malformed or hostile input: a clear 4xx in SPEC §4's error body, never a 500 or a stack trace, nothing written.
let t: TestApp;
let admin: TestUser;
let slug: string;

beforeAll(async () => {
  t = await createTestApp({ BODY_LIMIT_BYTES: String(64 * 1024) });
  admin = await createUser(t, { platformRole: 'admin' });
  slug = (await createTenant(t)).slug;
});
afterAll(() => t.close());

async function state() {
  const [tenants, versions, audit, users, keys] = await Promise.all([
    t.prisma.tenant.count(),
    t.prisma.policyVersion.count(),
    t.prisma.auditEvent.count(),
    t.prisma.user.count(),
    t.prisma.apiKey.count(),
  ]);
  return { tenants, versions, audit, users, keys };
}

/** SPEC §4's error body and nothing else: `{ statusCode, error, message, details? }`. */
function expectErrorBody(body: unknown, status: number) {
  expect(body).toEqual({
    statusCode: status,
    error: expect.any(String),
    message: expect.any(String),
    ...((body as { details?: unknown }).details === undefined
      ? {}
      : { details: expect.any(Array) }),
  });
  expect(JSON.stringify(body)).not.toMatch(/\s+at\s+\S+\s\(|node_modules|\.ts:\d+/);
}

const raw = (method: 'post' | 'put', path: string, body: string, type = 'application/json') =>
  t
    .http()
    [method](path)
    .set('authorization', admin.bearer)
    .set('if-match', '"1"')
    .set('content-type', type)
    .send(body);

describe('bad input', () => {
  it.each([
    ['malformed JSON', () => raw('post', '/v1/tenants', '{"slug": "x",'), 400],
    ['JSON array instead of object', () => raw('post', '/v1/tenants', '[1,2]'), 400],
    ['empty JSON body', () => raw('post', '/v1/tenants', ''), 400],
    [
      '__proto__ pollution',
      () => raw('post', '/v1/tenants', '{"slug":"proto","name":"x","__proto__":{"admin":true}}'),
      400,
    ],
    [
      'wrong content type',
      () => raw('post', '/v1/tenants', 'slug=x&name=y', 'application/x-www-form-urlencoded'),
      415,
    ],
    ['text body', () => raw('post', '/v1/tenants', '{"slug":"txt","name":"x"}', 'text/plain'), 415],
    [
      'wrong types',
      () =>
        t
          .http()
          .post('/v1/tenants')
          .set('authorization', admin.bearer)
          .send({ slug: 42, name: ['x'] }),
      400,
    ],
    [
      'unknown fields',
      () =>
        t
          .http()
          .post('/v1/tenants')
          .set('authorization', admin.bearer)
          .send({ slug: 'okay-slug', name: 'x', plan: 'free' }),
      400,
    ],
    [
      'missing fields',
      () =>
        t.http().post('/v1/tenants').set('authorization', admin.bearer).send({ slug: 'okay-slug' }),
      400,
    ],
    [
      'upper-case slug',
      () =>
        t
          .http()
          .post('/v1/tenants')
          .set('authorization', admin.bearer)
          .send({ slug: 'Acme', name: 'x' }),
      400,
    ],
    [
      'SQL-looking slug',
      () =>
        t
          .http()
          .post('/v1/tenants')
          .set('authorization', admin.bearer)
          .send({ slug: "x'; DROP TABLE tenants;--", name: 'x' }),
      400,
    ],
    [
      'unicode slug',
      () =>
        t
          .http()
          .post('/v1/tenants')
          .set('authorization', admin.bearer)
          .send({ slug: 'ácme-☃', name: 'x' }),
      400,
    ],
    [
      'too long slug',
      () =>
        t
          .http()
          .post('/v1/tenants')
          .set('authorization', admin.bearer)
          .send({ slug: 'a'.repeat(64), name: 'x' }),
      400,
    ],
    [
      'invalid slug in path',
      () => t.http().get("/v1/tenants/x';select%201--").set('authorization', admin.bearer),
      400,
    ],
    [
      'oversized body',
      () =>
        raw('post', '/v1/tenants', JSON.stringify({ slug: 'big', name: 'x'.repeat(100 * 1024) })),
      413,
    ],
    [
      'bad uuid',
      () => t.http().delete('/v1/users/1%20OR%201=1').set('authorization', admin.bearer),
      400,
    ],
    [
      'bad query parameter',
      () => t.http().get('/v1/audit?limit=-1').set('authorization', admin.bearer),
      400,
    ],
    [
      'unknown query parameter',
      () => t.http().get('/v1/audit?drop=1').set('authorization', admin.bearer),
      400,
    ],
    ['unknown route', () => t.http().get('/v1/nope').set('authorization', admin.bearer), 404],
  ] as Array<[string, () => PromiseLike<{ status: number; body: unknown }>, number]>)(
    '%s',
    async (_name, send, status) => {
      const before = await state();
      const res = await send();
      expect(res.status).toBe(status);
      expectErrorBody(res.body, status);
      expect(await state()).toEqual(before);
    },
  );

  it('policy bodies: unknown fields, wrong types and nested unknown fields are 400 with a detail each', async () => {
    const before = await state();
    const put = (body: object) =>
      t
        .http()
        .put(`/v1/tenants/${slug}/policy`)
        .set('authorization', admin.bearer)
        .set('if-match', '"1"')
        .send(body);
    const unknown = await put({ ...validPolicy(), colour: 'red' }).expect(400);
    expect(unknown.body.details).toEqual([
      expect.objectContaining({
        reason: 'unknown-field',
        message: expect.stringContaining('colour'),
      }),
    ]);
    const types = await put({
      ...validPolicy(),
      allowCredentials: 'yes',
      maxAgeSeconds: '600',
      origins: 'https://a.com',
    }).expect(400);
    expect(types.body.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'allowCredentials',
      'maxAgeSeconds',
      'origins',
    ]);
    const nested = await put({
      ...validPolicy(),
      origins: [{ pattern: 'https://a.com', owner: 'x' }],
    }).expect(400);
    expect(nested.body.details[0].path).toBe('origins[0]');
    expect(await state()).toEqual(before);
  });

  it('SQL-looking and unicode strings are stored and returned verbatim (names), or refused by the engine (patterns)', async () => {
    const name = "Robert'); DROP TABLE tenants;-- ☃ 名前 \u202e";
    const res = await t
      .http()
      .patch(`/v1/tenants/${slug}`)
      .set('authorization', admin.bearer)
      .send({ name })
      .expect(200);
    expect(res.body.name).toBe(name.trim());
    expect(await t.prisma.tenant.count()).toBeGreaterThan(0);
    const before = await state();
    const bad = await t
      .http()
      .put(`/v1/tenants/${slug}/policy`)
      .set('authorization', admin.bearer)
      .set('if-match', '"1"')
      .send(
        validPolicy({
          origins: [
            { pattern: "https://a.com'; DROP TABLE policies;--" },
            { pattern: 'https://exämple.com/☃' },
          ],
        }),
      )
      .expect(422);
    expect(bad.body.details.map((d: { path: string }) => d.path)).toEqual([
      'origins[0].pattern',
      'origins[1].pattern',
    ]);
    expect(await state()).toEqual(before);
  });

  it('login with bad shapes is 400, not 500', async () => {
    await t
      .http()
      .post('/v1/auth/login')
      .send({ email: { $ne: null }, password: 'x' })
      .expect(400);
    await t.http().post('/v1/auth/login').send({ email: 'a@b.c' }).expect(400);
  });
});

describe('operations', () => {
  it('healthz, readyz, request ids and metrics', async () => {
    expect((await t.http().get('/healthz').expect(200)).body).toEqual({ status: 'ok' });
    const ready = await t.http().get('/readyz').expect(200);
    expect(ready.body).toEqual({ status: 'ok', checks: { database: 'ok', migrations: 'ok' } });
    const own = await t.http().get('/healthz').set('x-request-id', 'trace-123').expect(200);
    expect(own.headers['x-request-id']).toBe('trace-123');
    const gen = await t
      .http()
      .get('/healthz')
      .set('x-request-id', 'bad id with spaces')
      .expect(200);
    expect(gen.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const metrics = await t.http().get('/metrics').expect(200);
    expect(metrics.text).toContain('corsplane_http_request_duration_seconds');
  });

  it('serves the OpenAPI document for every admin route, and the UI', async () => {
    const doc = await t.http().get('/docs-json').expect(200);
    const paths = Object.keys(doc.body.paths);
    for (const p of [
      '/v1/auth/login',
      '/v1/auth/logout',
      '/v1/auth/me',
      '/v1/auth/tokens',
      '/v1/tenants',
      '/v1/tenants/{slug}',
      '/v1/tenants/{slug}/policy',
      '/v1/tenants/{slug}/policy/validate',
      '/v1/tenants/{slug}/simulate',
      '/v1/tenants/{slug}/policy/versions',
      '/v1/tenants/{slug}/policy/versions/{v}',
      '/v1/tenants/{slug}/policy/versions/{v}/restore',
      '/v1/tenants/{slug}/blocked-origins',
      '/v1/tenants/{slug}/keys',
      '/v1/tenants/{slug}/keys/{id}',
      '/v1/keys',
      '/v1/audit',
      '/v1/users',
      '/v1/users/{id}',
      '/healthz',
      '/readyz',
    ]) {
      expect(paths).toContain(p);
    }
    const put = doc.body.paths['/v1/tenants/{slug}/policy'].put;
    expect(put.requestBody.content['application/json'].schema.properties.origins).toBeDefined();
    expect(Object.keys(put.responses)).toEqual(
      expect.arrayContaining(['200', '412', '422', '428']),
    );
    const ui = await t.http().get('/docs').redirects(1).expect(200);
    expect(ui.text).toMatch(/swagger/i);
  });
});
