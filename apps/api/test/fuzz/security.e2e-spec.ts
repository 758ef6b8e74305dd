import crypto from 'node:crypto';
import { jest } from '@jest/globals';
import { sha256 } from '../../src/common/crypto/secrets.js';
import { ApiKeysService } from '../../src/modules/api-keys/api-keys.service.js';
import { AuthService } from '../../src/modules/auth/auth.service.js';
import { KeyCacheService } from '../../src/modules/resolve/key-cache.service.js';
import {
  createKey,
  createTenant,
  createUser,
  PASSWORD,
  sessionCookie,
  type TestUser,
} from '../factories/factories.js';
import { createTestApp, type TestApp } from '../factories/test-app.js';
import { rawExchange } from './fuzz-support.js';

// Hostile-input checks the fuzz families do not settle by themselves (and bad-input / auth e2e do not
// cover yet): session fixation, the CSRF rules in full (including what is deliberately accepted), expired
// and revoked credentials on every path, oversized headers, and constant-time secret comparison.

let t: TestApp;
let admin: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createUser(t, { platformRole: 'admin' });
});
afterAll(() => t.close());

const sessionOf = (setCookie: string[] | undefined) =>
  setCookie
    ?.find((c) => c.startsWith('corsplane_session='))
    ?.split(';')[0]
    ?.slice('corsplane_session='.length);

describe('session fixation', () => {
  it('a session id chosen before login is never adopted: login always issues a new one', async () => {
    const planted = 'attacker-chosen-session-id-0123456789abcdef';
    const res = await t
      .http()
      .post('/v1/auth/login')
      .set('cookie', `corsplane_session=${planted}`)
      .send({ email: admin.email, password: PASSWORD })
      .expect(200);
    const issued = sessionOf(res.headers['set-cookie'] as unknown as string[]);
    expect(issued).toBeDefined();
    expect(issued).not.toBe(planted);
    expect(await t.prisma.session.count({ where: { tokenHash: sha256(planted) } })).toBe(0);
    await t.http().get('/v1/auth/me').set('cookie', `corsplane_session=${planted}`).expect(401);
    await t.http().get('/v1/auth/me').set('cookie', `corsplane_session=${issued}`).expect(200);
  });

  it("a victim's existing session is not upgraded by someone else's login, and vice versa", async () => {
    const viewer = await createUser(t, { platformRole: 'viewer' });
    const viewerCookie = await sessionCookie(t, viewer.email);
    const res = await t
      .http()
      .post('/v1/auth/login')
      .set('cookie', viewerCookie)
      .send({ email: admin.email, password: PASSWORD })
      .expect(200);
    const adminSession = sessionOf(res.headers['set-cookie'] as unknown as string[]);
    expect(`corsplane_session=${adminSession}`).not.toBe(viewerCookie);
    const asViewer = await t.http().get('/v1/auth/me').set('cookie', viewerCookie).expect(200);
    expect(asViewer.body.email).toBe(viewer.email);
    // The viewer's cookie still cannot write.
    await t
      .http()
      .post('/v1/tenants')
      .set('cookie', viewerCookie)
      .send({ slug: 'fixation-x', name: 'x' })
      .expect(403);
  });
});

describe('CSRF on cookie-authenticated writes (SPEC §4)', () => {
  let cookie: string;
  let slug: string;
  beforeAll(async () => {
    cookie = await sessionCookie(t, admin.email);
    slug = (await createTenant(t)).slug;
  });
  const write = (headers: Record<string, string>) => {
    const req = t.http().patch(`/v1/tenants/${slug}`).set('cookie', cookie);
    for (const [k, v] of Object.entries(headers)) void req.set(k, v);
    return req.send({ name: 'renamed' });
  };

  it.each([
    ['Origin of another site', { origin: 'https://evil.example' }],
    ['Origin: null (sandboxed frame, file:, data:)', { origin: 'null' }],
    [
      'Origin of a sibling subdomain (same-site is not same-origin)',
      { origin: 'https://admin.evil.example' },
    ],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    [
      'Sec-Fetch-Site: cross-site with a same-origin Origin',
      { 'sec-fetch-site': 'cross-site', origin: 'http://127.0.0.1' },
    ],
    ['an Origin that only differs by port', { origin: 'http://127.0.0.1:1' }],
  ])('refuses %s with 403, and nothing changes', async (_name, headers) => {
    const before = await t.prisma.tenant.findUniqueOrThrow({ where: { slug } });
    const res = await write(headers).expect(403);
    expect(res.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
    expect((await t.prisma.tenant.findUniqueOrThrow({ where: { slug } })).name).toBe(before.name);
  });

  it('refuses a cross-site logout (it would end the session) and a cross-site DELETE', async () => {
    await t
      .http()
      .post('/v1/auth/logout')
      .set('cookie', cookie)
      .set('origin', 'https://evil.example')
      .expect(403);
    await t.http().get('/v1/auth/me').set('cookie', cookie).expect(200);
    await t
      .http()
      .delete(`/v1/tenants/${slug}`)
      .set('cookie', cookie)
      .set('sec-fetch-site', 'cross-site')
      .expect(403);
    expect(await t.prisma.tenant.count({ where: { slug } })).toBe(1);
  });

  it('accepts a write with neither Origin nor Sec-Fetch-Site (decided: not a browser, so not CSRF)', async () => {
    // Browsers send Origin on every cross-origin POST/PUT/PATCH/DELETE (and Sec-Fetch-Site where supported),
    // and the SameSite=Strict cookie is not sent on cross-site requests at all. A request carrying neither
    // header comes from a non-browser client holding the cookie itself, which no forged page can make.
    await write({}).expect(200);
    await write({ 'sec-fetch-site': 'same-origin' }).expect(200);
    await write({ 'sec-fetch-site': 'none' }).expect(200); // typed in the address bar / bookmarks
  });
});

describe('expired and revoked credentials', () => {
  it('refuses an expired session, and cleans nothing up for the attacker', async () => {
    const user = await createUser(t, { platformRole: 'viewer' });
    const cookie = await sessionCookie(t, user.email);
    const token = cookie.slice('corsplane_session='.length);
    await t.http().get('/v1/auth/me').set('cookie', cookie).expect(200);
    await t.prisma.session.update({
      where: { tokenHash: sha256(token) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const res = await t.http().get('/v1/auth/me').set('cookie', cookie).expect(401);
    expect(res.body.message).toMatch(/expired/i);
  });

  it('refuses a logged-out session', async () => {
    const user = await createUser(t, { platformRole: 'viewer' });
    const cookie = await sessionCookie(t, user.email);
    await t
      .http()
      .post('/v1/auth/logout')
      .set('cookie', cookie)
      .expect((r) => expect(r.status).toBeLessThan(300));
    await t.http().get('/v1/auth/me').set('cookie', cookie).expect(401);
  });

  it('refuses an expired admin token and a token of a disabled user', async () => {
    const user = await createUser(t, { platformRole: 'admin' });
    await t.http().get('/v1/tenants').set('authorization', user.bearer).expect(200);
    const prefix = user.bearer.slice('Bearer '.length).split('_').slice(0, 2).join('_');
    await t.prisma.adminToken.updateMany({
      where: { prefix },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    await t.http().get('/v1/tenants').set('authorization', user.bearer).expect(401);

    const other = await createUser(t, { platformRole: 'admin' });
    await t.http().get('/v1/tenants').set('authorization', other.bearer).expect(200);
    await t
      .http()
      .patch(`/v1/users/${other.id}`)
      .set('authorization', admin.bearer)
      .send({ disabled: true })
      .expect(200);
    await t.http().get('/v1/tenants').set('authorization', other.bearer).expect(401);
  });

  it('refuses a revoked tenant key on POST /resolve/events as on GET /resolve', async () => {
    const tenant = await createTenant(t);
    const key = await createKey(t, tenant);
    const batch = { events: [], overflow: 1 };
    await t.http().post('/resolve/events').set('authorization', key.bearer).send(batch).expect(202);
    await t
      .http()
      .delete(`/v1/tenants/${tenant.slug}/keys/${key.id}`)
      .set('authorization', admin.bearer)
      .expect((r) => expect(r.status).toBeLessThan(300));
    await t.http().post('/resolve/events').set('authorization', key.bearer).send(batch).expect(401);
    await t
      .http()
      .get('/resolve')
      .query({ origin: 'https://a.example' })
      .set('authorization', key.bearer)
      .expect(401);
  });

  it('never takes an admin token for a /resolve key or the other way round', async () => {
    const tenant = await createTenant(t);
    const key = await createKey(t, tenant);
    await t.http().get('/v1/tenants').set('authorization', key.bearer).expect(403);
    await t
      .http()
      .get('/resolve')
      .query({ origin: 'https://a.example' })
      .set('authorization', admin.bearer)
      .expect(401);
  });
});

describe('oversized requests', () => {
  it('refuses headers over the limit with 431 on /resolve and the admin API (never 500)', async () => {
    if (!t.app.getHttpServer().listening) await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as { port: number };
    const statusOf = async (path: string, headers: Record<string, string>) => {
      const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`);
      const res = await rawExchange(
        port,
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${lines.join('')}Connection: close\r\n\r\n`,
      );
      return res.status;
    };
    expect(
      await statusOf('/resolve?origin=x', { authorization: `Bearer ${'k'.repeat(20_000)}` }),
    ).toBe(431);
    expect(
      await statusOf('/v1/tenants', { cookie: `corsplane_session=${'c'.repeat(20_000)}` }),
    ).toBe(431);
    expect(await statusOf(`/resolve?origin=${'o'.repeat(20_000)}`, {})).toBe(431);
  });
});

describe('constant-time secret comparison', () => {
  afterEach(() => jest.restoreAllMocks());

  it('the /resolve key cache verifies a key once with crypto.timingSafeEqual, then finds it by the exact secret', async () => {
    const tenant = await createTenant(t);
    const key = await createKey(t, tenant);
    const keys = t.app.get(KeyCacheService);
    keys.clear();
    const spy = jest.spyOn(crypto, 'timingSafeEqual');
    expect(await keys.verify(key.secret)).toMatchObject({ tenantId: tenant.id }); // miss: loads, compares
    expect(spy.mock.calls.length).toBeGreaterThanOrEqual(1);
    for (const [a, b] of spy.mock.calls) expect((a as Buffer).length).toBe((b as Buffer).length);
    // A hit is a map lookup by the whole secret (a hash table leaks no usable timing): no hash, no compare.
    spy.mockClear();
    const hash = jest.spyOn(crypto, 'createHash');
    expect(await keys.verify(key.secret)).toMatchObject({ tenantId: tenant.id });
    expect(spy).not.toHaveBeenCalled();
    expect(hash).not.toHaveBeenCalled();
    // One character off is another map key: unknown, never the verified key.
    const forged = `${key.secret.slice(0, -1)}${key.secret.endsWith('A') ? 'B' : 'A'}`;
    expect(await keys.verify(forged)).toBeNull();
  });

  it('key and admin-token verification compare stored hashes with crypto.timingSafeEqual, never ===', async () => {
    const tenant = await createTenant(t);
    const key = await createKey(t, tenant);
    const spy = jest.spyOn(crypto, 'timingSafeEqual');
    // Right prefix, wrong secret (in the legacy shape, which has no checksum to fail first): found by
    // prefix, refused by the constant-time comparison.
    const forged = `${key.prefix}_${'A'.repeat(43)}`;
    expect(await t.app.get(ApiKeysService).verify(forged)).toBeNull();
    expect(spy).toHaveBeenCalledTimes(1);
    const [a, b] = spy.mock.calls[0] as [Buffer, Buffer];
    expect(a.length).toBe(32);
    expect(b.length).toBe(32);
    spy.mockClear();
    const tokenSecret = admin.bearer.slice('Bearer '.length);
    expect(
      await t.app.get(AuthService).fromAdminToken(`${tokenSecret.slice(0, -4)}AAAA`),
    ).toBeNull();
    expect(spy).toHaveBeenCalledTimes(1);
    expect(await t.app.get(AuthService).fromAdminToken(tokenSecret)).not.toBeNull();
    expect(spy).toHaveBeenCalledTimes(2);
  });
});
