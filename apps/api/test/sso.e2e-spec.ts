import { createTenant, createUser, PASSWORD } from './factories/factories.js';
import {
  signInAtProvider,
  startOidcProvider,
  type TestOidcProvider,
} from './factories/oidc-provider.js';
import { createTestApp, type TestApp } from './factories/test-app.js';

const CALLBACK = 'http://corsplane.test/v1/auth/oidc/callback';
let idp: TestOidcProvider;
let t: TestApp;
let slug: string;

beforeAll(async () => {
  idp = await startOidcProvider(CALLBACK);
  t = await createTestApp({
    OIDC_ISSUER: idp.issuer,
    OIDC_CLIENT_ID: idp.clientId,
    OIDC_CLIENT_SECRET: idp.clientSecret,
    OIDC_REDIRECT_URI: CALLBACK,
  });
  slug = (await createTenant(t)).slug;
});
afterAll(async () => {
  await t.close();
  await idp.close();
});

const cookiesOf = (res: { headers: Record<string, unknown> }) =>
  ((res.headers['set-cookie'] as string[] | undefined) ?? []).map((c) => c.split(';')[0] as string);

/** The whole flow as a browser runs it; returns the callback's answer. */
async function ssoSignIn(login: string, next = '/tenants') {
  const start = await t
    .http()
    .get(`/v1/auth/oidc/login?next=${encodeURIComponent(next)}`)
    .expect(302);
  const flowCookie = cookiesOf(start).find((c) => c.startsWith('corsplane_oidc=')) as string;
  const authorizationUrl = new URL(start.headers.location as string);
  const back = await signInAtProvider(authorizationUrl.href, login);
  expect(back.origin + back.pathname).toBe(CALLBACK);
  const res = await t
    .http()
    .get(`${back.pathname}${back.search}`)
    .set('cookie', flowCookie)
    .expect(303);
  return {
    authorizationUrl,
    res,
    session: cookiesOf(res).find((c) => c.startsWith('corsplane_session=')),
  };
}

describe('single sign-on (OpenID Connect, real provider)', () => {
  it('says whether SSO is on', async () => {
    expect((await t.http().get('/v1/auth/oidc').expect(200)).body).toEqual({ enabled: true });
    const plain = await createTestApp();
    try {
      expect((await plain.http().get('/v1/auth/oidc').expect(200)).body).toEqual({
        enabled: false,
      });
      await plain.http().get('/v1/auth/oidc/login').expect(404);
    } finally {
      await plain.close();
    }
  });

  it('signs a new user in with the authorization code flow and PKCE, roles from the claim', async () => {
    idp.accounts.set('alice', {
      email: 'alice@sso.test',
      name: 'Alice',
      roles: ['platform:viewer', `tenant:${slug}:editor`, 'tenant:no-such-tenant:editor', 'staff'],
    });
    const { authorizationUrl, res, session } = await ssoSignIn('alice', `/tenants/${slug}/policy`);
    expect(authorizationUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizationUrl.searchParams.get('code_challenge')).toBeTruthy();
    expect(authorizationUrl.searchParams.get('state')).toBeTruthy();
    expect(res.headers.location).toBe(`/tenants/${slug}/policy`);
    expect(session).toBeDefined();
    const me = await t
      .http()
      .get('/v1/auth/me')
      .set('cookie', session as string)
      .expect(200);
    expect(me.body).toMatchObject({
      email: 'alice@sso.test',
      platformRole: 'viewer',
      memberships: [{ tenant: slug, role: 'editor' }],
      authMethod: 'session',
    });
  });

  it('re-reads the roles at every sign-in', async () => {
    idp.accounts.set('bob', { email: 'bob@sso.test', name: 'Bob', roles: ['platform:admin'] });
    const first = await ssoSignIn('bob');
    const me1 = await t
      .http()
      .get('/v1/auth/me')
      .set('cookie', first.session as string);
    expect(me1.body.platformRole).toBe('admin');
    idp.accounts.set('bob', {
      email: 'bob@sso.test',
      name: 'Bob',
      roles: [`tenant:${slug}:viewer`],
    });
    const second = await ssoSignIn('bob');
    const me2 = await t
      .http()
      .get('/v1/auth/me')
      .set('cookie', second.session as string);
    expect(me2.body).toMatchObject({
      platformRole: null,
      memberships: [{ tenant: slug, role: 'viewer' }],
    });
    expect(await t.prisma.user.count({ where: { email: 'bob@sso.test' } })).toBe(1);
  });

  it('never takes over a local account with the same email (break-glass accounts stay local)', async () => {
    const local = await createUser(t, { platformRole: 'admin' });
    idp.accounts.set('mallory', { email: local.email, name: 'M', roles: ['platform:viewer'] });
    const { res, session } = await ssoSignIn('mallory');
    expect(res.headers.location).toBe('/sign-in?sso=local-account');
    expect(session).toBeUndefined();
    const row = await t.prisma.user.findUniqueOrThrow({ where: { id: local.id } });
    expect(row).toMatchObject({ platformRole: 'admin', oidcSubject: null });
    await t
      .http()
      .post('/v1/auth/login')
      .send({ email: local.email, password: PASSWORD })
      .expect(200);
  });

  it('refuses a callback whose state does not match the browser’s flow', async () => {
    idp.accounts.set('carol', { email: 'carol@sso.test', name: 'Carol', roles: [] });
    const start = await t.http().get('/v1/auth/oidc/login').expect(302);
    const flowCookie = cookiesOf(start).find((c) => c.startsWith('corsplane_oidc=')) as string;
    const back = await signInAtProvider(start.headers.location as string, 'carol');
    back.searchParams.set('state', 'forged');
    const res = await t
      .http()
      .get(`${back.pathname}${back.search}`)
      .set('cookie', flowCookie)
      .expect(303);
    expect(res.headers.location).toBe('/sign-in?sso=failed');
    expect(cookiesOf(res).some((c) => c.startsWith('corsplane_session=') && c.length > 20)).toBe(
      false,
    );
    // And a callback with no flow cookie at all.
    const bare = await t.http().get(`${back.pathname}${back.search}`).expect(303);
    expect(bare.headers.location).toBe('/sign-in?sso=failed');
  });
});
