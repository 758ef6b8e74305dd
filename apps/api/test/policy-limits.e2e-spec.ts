// The routes that carry a whole policy have a body limit of their own (POLICY_BODY_LIMIT_BYTES), sized for the
// 100,000 origins of SPEC §2.3 (policies.e2e-spec.ts PUTs and serves such a policy).
import {
  createTenant,
  createUser,
  manyOrigins,
  validPolicy,
  type TestUser,
} from './factories/factories.js';
import { createTestApp, type TestApp } from './factories/test-app.js';

describe('policy limits: the policy routes have their own body limit', () => {
  // Small limits so the bodies stay small: 4 KiB everywhere, 64 KiB on the policy routes.
  let t: TestApp;
  let admin: TestUser;
  const policyOver4KiB = validPolicy({ origins: manyOrigins(100) });

  beforeAll(async () => {
    t = await createTestApp({ BODY_LIMIT_BYTES: '4096', POLICY_BODY_LIMIT_BYTES: '65536' });
    admin = await createUser(t, { platformRole: 'admin' });
  });
  afterAll(() => t.close());

  it('takes a policy over BODY_LIMIT_BYTES on PUT, validate, simulate and the candidate PUT', async () => {
    expect(JSON.stringify(policyOver4KiB).length).toBeGreaterThan(4096);
    const tenant = await createTenant(t);
    const url = `/v1/tenants/${tenant.slug}`;
    await t
      .http()
      .put(`${url}/policy`)
      .set('authorization', admin.bearer)
      .set('if-match', '"1"')
      .send(policyOver4KiB)
      .expect(200);
    const checked = await t
      .http()
      .post(`${url}/policy/validate`)
      .set('authorization', admin.bearer)
      .send(policyOver4KiB)
      .expect(200);
    expect(checked.body.ok).toBe(true);
    const simulated = await t
      .http()
      .post(`${url}/simulate`)
      .set('authorization', admin.bearer)
      .send({
        origin: 'https://customer-000099.eu-west.app.example-saas.com',
        policy: policyOver4KiB,
      })
      .expect(200);
    expect(simulated.body).toMatchObject({ allowed: true, reason: 'exact-match' });
    // A candidate is the same document as the policy (SPEC §4.1), so it is as large.
    const candidate = await t
      .http()
      .put(`${url}/policy/candidate`)
      .set('authorization', admin.bearer)
      .send(policyOver4KiB)
      .expect(200);
    expect(candidate.body.origins).toHaveLength(100);
  });

  it('still applies BODY_LIMIT_BYTES to other routes, and POLICY_BODY_LIMIT_BYTES to policies', async () => {
    const tenant = await createTenant(t);
    const other = await t
      .http()
      .post('/v1/tenants')
      .set('authorization', admin.bearer)
      .send({ slug: 'too-big', name: 'x'.repeat(5000) });
    expect(other.status).toBe(413);
    const huge = await t
      .http()
      .put(`/v1/tenants/${tenant.slug}/policy`)
      .set('authorization', admin.bearer)
      .set('if-match', '"1"')
      .send(validPolicy({ origins: manyOrigins(1000) }));
    expect(huge.status).toBe(413);
    expect(huge.body).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'Request body is too large',
    });
    const current = await t
      .http()
      .get(`/v1/tenants/${tenant.slug}/policy`)
      .set('authorization', admin.bearer)
      .expect(200);
    expect(current.body.version).toBe(1);
  });

  it.each([
    ['PUT', 'policy'],
    ['POST', 'policy/validate'],
    ['POST', 'simulate'],
    ['PUT', 'policy/candidate'],
  ] as const)(
    'answers %s %s without a credential with 401 before reading the body',
    async (method, path) => {
      const tenant = await createTenant(t);
      const url = `/v1/tenants/${tenant.slug}/${path}`;
      const res = await (method === 'PUT' ? t.http().put(url) : t.http().post(url))
        .set('if-match', '"1"')
        .send(policyOver4KiB);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'Sign in, or send Authorization: Bearer <token>',
      });
    },
  );
});
