import {
  createTenant,
  createUser,
  sessionCookie,
  validPolicy,
  type TestUser,
} from './factories/factories.js';
import { createTestApp, type TestApp } from './factories/test-app.js';

let t: TestApp;
let admin: TestUser;
let slug: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createUser(t, { platformRole: 'admin' });
  slug = (await createTenant(t)).slug;
});
afterAll(() => t.close());

const get = (path: string) => t.http().get(path).set('authorization', admin.bearer);

describe('numbers out of range', () => {
  // Each used to reach PostgreSQL (bigint / integer overflow) and come back as a 500.
  it.each([
    '/v1/audit?before=9999999999999999999',
    '/v1/audit?before=99999999999999999999999',
    '/v1/audit?limit=1e400',
    '/v1/audit?limit=99999999999999999999',
    '/v1/tenants/:slug/policy/versions?before=99999999999',
    '/v1/tenants/:slug/policy/versions?before=1e308',
    '/v1/tenants/:slug/policy/versions?before=-1',
    '/v1/tenants/:slug/policy/versions?limit=99999999999',
    '/v1/tenants/:slug/blocked-origins?limit=99999999999',
  ])('GET %s is a 400 naming the parameter', async (path) => {
    const res = await get(path.replace(':slug', slug)).expect(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    const name = /[?&](\w+)=/.exec(path)?.[1] as string;
    expect(JSON.stringify(res.body)).toContain(name);
  });

  it.each(['99999999999', '1e308', '-1', 'abc'])(
    'GET a version numbered %s is a 400 naming the version',
    async (v) => {
      const res = await get(`/v1/tenants/${slug}/policy/versions/${v}`).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(JSON.stringify(res.body)).toContain('version');
    },
  );

  it('refuses an out-of-range version to restore, and an If-Match beyond any version, without writing', async () => {
    const versions = await t.prisma.policyVersion.count();
    await t
      .http()
      .post(`/v1/tenants/${slug}/policy/versions/99999999999/restore`)
      .set('authorization', admin.bearer)
      .send({})
      .expect(400);
    const res = await t
      .http()
      .put(`/v1/tenants/${slug}/policy`)
      .set('authorization', admin.bearer)
      .set('if-match', '"99999999999999999999"')
      .send(validPolicy());
    expect([400, 412]).toContain(res.status);
    expect(await t.prisma.policyVersion.count()).toBe(versions);
  });
});

describe('security headers', () => {
  const expectHardened = (headers: Record<string, string | undefined>) => {
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
  };

  it.each([
    ['a JSON answer', '/v1/tenants', true],
    ['a JSON error', '/v1/tenants', false],
    ['an unknown route', '/v1/nothing-here', false],
    ['the OpenAPI UI', '/docs', false],
    ['the OpenAPI document', '/docs-json', false],
    ['the metrics', '/metrics', false],
    ['health', '/healthz', false],
  ])('are on %s (%s)', async (_what, path, signedIn) => {
    const req = t.http().get(path);
    if (signedIn) void req.set('authorization', admin.bearer);
    const res = await req;
    expect(res.status).toBeLessThan(500);
    expectHardened(res.headers as Record<string, string>);
  });

  it('send no HSTS over plain-HTTP setups (COOKIE_SECURE off)', async () => {
    const res = await t.http().get('/healthz').expect(200);
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('send HSTS whenever session cookies are Secure', async () => {
    const secure = await createTestApp({ COOKIE_SECURE: 'true' });
    try {
      for (const path of ['/healthz', '/v1/tenants', '/docs']) {
        const res = await secure.http().get(path);
        expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d{7,}/);
        expectHardened(res.headers as Record<string, string>);
      }
    } finally {
      await secure.close();
    }
  });
});

describe('password strength', () => {
  it.each(['aaaaaaaaaaaa', 'password1234', 'qwertyuiop12', 'corsplane2026!'])(
    'refuses %s on create and on change, with a 400 that says why',
    async (weak) => {
      const email = `weak-${Math.random().toString(36).slice(2)}@example.test`;
      const created = await t
        .http()
        .post('/v1/users')
        .set('authorization', admin.bearer)
        .send({ email, password: weak, platformRole: 'viewer' })
        .expect(400);
      expect(created.body.message).toMatch(/password/i);
      expect(JSON.stringify(created.body)).not.toContain(weak);
      expect(await t.prisma.user.count({ where: { email } })).toBe(0);
      const user = await createUser(t, { platformRole: 'viewer' });
      await t
        .http()
        .patch(`/v1/users/${user.id}`)
        .set('authorization', admin.bearer)
        .send({ password: weak })
        .expect(400);
    },
  );

  it('accepts a strong password, and the user signs in with it', async () => {
    const email = `strong-${Math.random().toString(36).slice(2)}@example.test`;
    const password = 'violet anchor trombone 73 glacier';
    await t
      .http()
      .post('/v1/users')
      .set('authorization', admin.bearer)
      .send({ email, password, platformRole: 'viewer' })
      .expect(201);
    await sessionCookie(t, email, password);
  });
});
