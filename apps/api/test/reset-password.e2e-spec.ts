// `npm run admin:reset-password -- <email>`: the command's core against a real app and PostgreSQL.
import { CLI_ACTOR, resetPassword } from '../src/admin-cli/reset-password.js';
import { createUser, PASSWORD, sessionCookie, type TestUser } from './factories/factories.js';
import { createTestApp, type TestApp } from './factories/test-app.js';

let t: TestApp;
let admin: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createUser(t, { platformRole: 'admin' });
});
afterAll(() => t.close());

it('gives a new password that signs in, refuses the old one, revokes sessions and tokens, audits', async () => {
  const cookie = await sessionCookie(t, admin.email);
  const reset = await resetPassword(t.app, admin.email.toUpperCase());
  expect(reset.email).toBe(admin.email);
  expect(reset.password).not.toBe(PASSWORD);

  await t
    .http()
    .post('/v1/auth/login')
    .send({ email: admin.email, password: PASSWORD })
    .expect(401);
  await t
    .http()
    .post('/v1/auth/login')
    .send({ email: admin.email, password: reset.password })
    .expect(200);
  await t.http().get('/v1/auth/me').set('authorization', admin.bearer).expect(401);
  await t.http().get('/v1/auth/me').set('cookie', cookie).expect(401);

  const fresh = await createUser(t, { platformRole: 'admin' });
  const audit = await t
    .http()
    .get('/v1/audit')
    .query({ action: 'user.update', actor: CLI_ACTOR.label })
    .set('authorization', fresh.bearer)
    .expect(200);
  expect(audit.body.items).toHaveLength(1);
  expect(audit.body.items[0].after).toMatchObject({ email: admin.email, passwordChanged: true });
});

it('names an unknown email and changes nothing', async () => {
  await expect(resetPassword(t.app, 'nobody@example.test')).rejects.toThrow(
    'No user has the email "nobody@example.test"',
  );
});
