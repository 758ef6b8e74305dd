import { createUser, sessionCookie, type TestUser } from './factories/factories.js';
import { createTestApp, type TestApp } from './factories/test-app.js';

let t: TestApp;
let user: TestUser;
const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestApp({ ADMIN_TOKEN_MAX_DAYS: '30' });
  user = await createUser(t, { platformRole: 'admin' });
});
afterAll(() => t.close());

/** Creates a token as `as` (a cookie or a bearer token); returns the response body. */
async function mint(
  as: { cookie: string } | { bearer: string },
  body: Record<string, unknown>,
  status = 201,
) {
  const req = t.http().post('/v1/auth/tokens');
  if ('cookie' in as) void req.set('cookie', as.cookie);
  else void req.set('authorization', `Bearer ${as.bearer}`);
  const res = await req.send(body).expect(status);
  return res.body as { id: string; token: string; expiresAt: string | null };
}

const works = (token: string) =>
  t.http().get('/v1/auth/me').set('authorization', `Bearer ${token}`);

describe('admin token lifetimes', () => {
  it('gives every token an expiry: ADMIN_TOKEN_MAX_DAYS when none is asked for, 400 beyond it', async () => {
    const cookie = await sessionCookie(t, user.email);
    const before = Date.now();
    const created = await mint({ cookie }, { name: 'no expiry asked' });
    expect(created.expiresAt).not.toBeNull();
    const expires = Date.parse(created.expiresAt as string);
    expect(expires).toBeGreaterThanOrEqual(before + 30 * DAY - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 30 * DAY);
    const refused = await t
      .http()
      .post('/v1/auth/tokens')
      .set('cookie', cookie)
      .send({ name: 'too long', expiresInDays: 31 })
      .expect(400);
    expect(refused.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(refused.body.message).toMatch(/30 days/);
  });

  it('never lets a token mint one that outlives it', async () => {
    const cookie = await sessionCookie(t, user.email);
    const parent = await mint({ cookie }, { name: 'one day', expiresInDays: 1 });
    for (const body of [{ name: 'child' }, { name: 'child', expiresInDays: 20 }]) {
      const child = await mint({ bearer: parent.token }, body);
      expect(child.expiresAt).not.toBeNull();
      expect(Date.parse(child.expiresAt as string)).toBeLessThanOrEqual(
        Date.parse(parent.expiresAt as string),
      );
    }
  });

  it('revokes the tokens a token minted (and theirs) together with it', async () => {
    const cookie = await sessionCookie(t, user.email);
    const parent = await mint({ cookie }, { name: 'parent', expiresInDays: 1 });
    const child = await mint({ bearer: parent.token }, { name: 'child' });
    const grandchild = await mint({ bearer: child.token }, { name: 'grandchild' });
    const sibling = await mint({ cookie }, { name: 'unrelated', expiresInDays: 1 });
    await works(grandchild.token).expect(200);
    await t.http().delete(`/v1/auth/tokens/${parent.id}`).set('cookie', cookie).expect(204);
    await works(parent.token).expect(401);
    await works(child.token).expect(401);
    await works(grandchild.token).expect(401);
    await works(sibling.token).expect(200);
  });

  it('refuses a token minted by a token that was revoked meanwhile', async () => {
    const cookie = await sessionCookie(t, user.email);
    const parent = await mint({ cookie }, { name: 'parent', expiresInDays: 1 });
    await t.http().delete(`/v1/auth/tokens/${parent.id}`).set('cookie', cookie).expect(204);
    await mint({ bearer: parent.token }, { name: 'late child' }, 401);
  });
});
