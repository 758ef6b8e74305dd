import { sha256 } from '../src/common/crypto/secrets.js';
import { createUser, PASSWORD, sessionCookie, type TestUser } from './factories/factories.js';
import { createTestApp, type TestApp } from './factories/test-app.js';

let t: TestApp;
let admin: TestUser;

// Every failure of this suite comes from one IP: its limit stays out of the account tests' way.
const LIMITS = { LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_FAILURES_PER_IP: '100' };

beforeAll(async () => {
  t = await createTestApp(LIMITS);
  admin = await createUser(t, { platformRole: 'admin' });
});
afterAll(() => t.close());

describe('session login', () => {
  it('sets an HttpOnly, SameSite=Strict cookie whose token is stored only as a hash', async () => {
    const res = await t
      .http()
      .post('/v1/auth/login')
      .send({ email: admin.email.toUpperCase(), password: PASSWORD })
      .expect(200);
    expect(res.body).toMatchObject({
      email: admin.email,
      platformRole: 'admin',
      authMethod: 'session',
    });
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) =>
      c.startsWith('corsplane_session='),
    );
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    const token = cookie?.split(';')[0]?.split('=')[1] as string;
    const sessions = await t.prisma.session.findMany({ where: { user: { email: admin.email } } });
    expect(sessions.some((s) => s.tokenHash === sha256(token))).toBe(true);
    expect(sessions.some((s) => s.tokenHash === token)).toBe(false);
  });

  it('me works with the cookie; logout ends the session server-side', async () => {
    const cookie = await sessionCookie(t, admin.email);
    await t.http().get('/v1/auth/me').set('cookie', cookie).expect(200);
    const out = await t.http().post('/v1/auth/logout').set('cookie', cookie).expect(204);
    expect(String(out.headers['set-cookie'])).toMatch(/corsplane_session=;/);
    await t.http().get('/v1/auth/me').set('cookie', cookie).expect(401);
  });

  it('refuses wrong passwords and unknown accounts alike with 401', async () => {
    const wrong = await t
      .http()
      .post('/v1/auth/login')
      .send({ email: admin.email, password: 'nope-nope-nope' })
      .expect(401);
    const unknown = await t
      .http()
      .post('/v1/auth/login')
      .send({ email: 'ghost@example.test', password: 'nope-nope-nope' })
      .expect(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body).toEqual({
      statusCode: 401,
      error: 'Unauthorized',
      message: 'Invalid email or password',
    });
  });

  it('needs authentication everywhere but login, health and docs', async () => {
    await t.http().get('/v1/auth/me').expect(401);
    await t.http().get('/v1/tenants').expect(401);
    await t.http().get('/v1/tenants').set('cookie', 'corsplane_session=forged').expect(401);
    await t
      .http()
      .get('/v1/tenants')
      .set('authorization', 'Bearer cpa_abcdefgh_forged')
      .expect(401);
    await t.http().get('/v1/tenants').set('authorization', 'Basic Zm9vOmJhcg==').expect(401);
  });

  it('refuses cookie-authenticated writes from another site (Origin or Sec-Fetch-Site), not same-origin ones', async () => {
    const cookie = await sessionCookie(t, admin.email);
    const body = { slug: 'csrf-test', name: 'x' };
    await t
      .http()
      .post('/v1/tenants')
      .set('cookie', cookie)
      .set('origin', 'https://evil.example')
      .send(body)
      .expect(403);
    await t
      .http()
      .post('/v1/tenants')
      .set('cookie', cookie)
      .set('sec-fetch-site', 'cross-site')
      .send(body)
      .expect(403);
    expect(await t.prisma.tenant.count({ where: { slug: 'csrf-test' } })).toBe(0);
    const res = await t
      .http()
      .post('/v1/tenants')
      .set('cookie', cookie)
      .set('sec-fetch-site', 'same-origin')
      .send(body);
    expect(res.status).toBe(201);
    // Reads are not writes; bearer tokens are not ambient credentials.
    await t
      .http()
      .get('/v1/tenants')
      .set('cookie', cookie)
      .set('origin', 'https://evil.example')
      .expect(200);
    await t
      .http()
      .patch('/v1/tenants/csrf-test')
      .set('authorization', admin.bearer)
      .set('origin', 'https://evil.example')
      .send({ name: 'y' })
      .expect(200);
    await t
      .http()
      .post('/v1/auth/login')
      .set('origin', 'https://evil.example')
      .send({ email: admin.email, password: PASSWORD })
      .expect(403);
  });
});

describe('admin API tokens', () => {
  it('are shown once, hashed at rest, usable as Bearer and revocable', async () => {
    const cookie = await sessionCookie(t, admin.email);
    const created = await t
      .http()
      .post('/v1/auth/tokens')
      .set('cookie', cookie)
      .send({ name: 'ci', expiresInDays: 30 })
      .expect(201);
    const token = created.body.token as string;
    expect(token).toMatch(/^cpa_[a-z0-9]{8}_/);
    expect(token.startsWith(created.body.prefix)).toBe(true);
    const row = await t.prisma.adminToken.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(row.secretHash).toBe(sha256(token));
    expect(JSON.stringify(row)).not.toContain(token);
    const list = await t
      .http()
      .get('/v1/auth/tokens')
      .set('authorization', `Bearer ${token}`)
      .expect(200);
    expect(JSON.stringify(list.body)).not.toContain(token);
    expect(list.body.items.find((x: { id: string }) => x.id === created.body.id)).toMatchObject({
      name: 'ci',
      prefix: created.body.prefix,
    });
    const me = await t
      .http()
      .get('/v1/auth/me')
      .set('authorization', `Bearer ${token}`)
      .expect(200);
    expect(me.body.authMethod).toBe('token');
    await t.http().delete(`/v1/auth/tokens/${created.body.id}`).set('cookie', cookie).expect(204);
    await t.http().get('/v1/auth/me').set('authorization', `Bearer ${token}`).expect(401);
    const audit = await t.prisma.auditEvent.findMany({
      where: { targetId: created.body.id },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((a) => a.action)).toEqual(['auth.token.create', 'auth.token.revoke']);
    expect(JSON.stringify(audit.map((a) => [a.before, a.after]))).not.toContain(token);
  });

  it("cannot revoke another user's token", async () => {
    const other = await createUser(t, { platformRole: 'viewer' });
    const mine = await t.prisma.adminToken.findFirstOrThrow({ where: { userId: admin.id } });
    await t
      .http()
      .delete(`/v1/auth/tokens/${mine.id}`)
      .set('authorization', other.bearer)
      .expect(404);
  });
});

describe('login throttling', () => {
  it('answers 429 with Retry-After after repeated failures for one account, even with the right password', async () => {
    const user = await createUser(t, { platformRole: 'viewer' });
    for (let i = 0; i < 3; i++)
      await t
        .http()
        .post('/v1/auth/login')
        .send({ email: user.email, password: 'wrong-password!' })
        .expect(401);
    const res = await t
      .http()
      .post('/v1/auth/login')
      .send({ email: user.email, password: PASSWORD })
      .expect(429);
    expect(res.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('answers 429 after repeated failures from one IP across accounts', async () => {
    const t2 = await createTestApp({
      LOGIN_MAX_FAILURES_PER_ACCOUNT: '100',
      LOGIN_MAX_FAILURES_PER_IP: '4',
    });
    try {
      for (let i = 0; i < 4; i++)
        await t2
          .http()
          .post('/v1/auth/login')
          .send({ email: `nobody${i}@example.test`, password: 'whatever-whatever' })
          .expect(401);
      await t2
        .http()
        .post('/v1/auth/login')
        .send({ email: 'fresh@example.test', password: 'whatever-whatever' })
        .expect(429);
    } finally {
      await t2.close();
    }
  });

  it('counts the failures of every replica together (windows live in PostgreSQL)', async () => {
    const replica = await createTestApp(LIMITS, { replicaOf: t });
    try {
      const user = await createUser(t, { platformRole: 'viewer' });
      const fail = (app: TestApp) =>
        app
          .http()
          .post('/v1/auth/login')
          .send({ email: user.email, password: 'wrong-password!' })
          .expect(401);
      // The account limit is 3 in this suite: two failures here and one there reach it.
      await fail(t);
      await fail(replica);
      await fail(t);
      for (const app of [t, replica])
        await app
          .http()
          .post('/v1/auth/login')
          .send({ email: user.email, password: PASSWORD })
          .expect(429);
    } finally {
      await replica.close();
    }
  });

  it('opens a new window once the old one has closed, and forgets the address after a success', async () => {
    const user = await createUser(t, { platformRole: 'viewer' });
    const login = (password: string) =>
      t.http().post('/v1/auth/login').send({ email: user.email, password });
    const pairKey = `pair:127.0.0.1|${user.email}`;
    for (let i = 0; i < 3; i++) await login('wrong-password!').expect(401);
    await login(PASSWORD).expect(429);
    // Close the windows as time would (the database's clock decides, not a replica's).
    await t.prisma
      .$executeRaw`UPDATE login_failure_windows SET reset_at = now() - interval '1 second'
      WHERE key IN (${pairKey}, ${`account:${user.email}`})`;
    await login('wrong-password!').expect(401);
    const row = await t.prisma.loginFailureWindow.findUnique({ where: { key: pairKey } });
    expect(row?.attempts).toBe(1);
    await login(PASSWORD).expect(200);
    expect(await t.prisma.loginFailureWindow.count({ where: { key: pairKey } })).toBe(0);
  });

  it('drops closed windows as new failures come in', async () => {
    await t.prisma
      .$executeRaw`INSERT INTO login_failure_windows (key, attempts, reset_at, last_attempt_at)
      VALUES ('account:long-gone@example.test', 2, now() - interval '1 hour', now() - interval '2 hours')`;
    await t
      .http()
      .post('/v1/auth/login')
      .send({ email: 'someone-else@example.test', password: 'whatever-whatever' })
      .expect(401);
    expect(
      await t.prisma.loginFailureWindow.count({
        where: { key: 'account:long-gone@example.test' },
      }),
    ).toBe(0);
  });
});
