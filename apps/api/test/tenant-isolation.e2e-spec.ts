import { createKey, createTenant, createUser, validPolicy } from './factories/factories.js';
import { createTestApp, type TestApp } from './factories/test-app.js';

// Members and keys of tenant B walk every tenant-scoped route against tenant A's data with requests that
// WOULD succeed if they were authorized: each is refused (403/404) and A is unchanged.
let t: TestApp;
let a: { id: string; slug: string };
let aKeyId: string;
const asB: Record<string, string> = {};

async function snapshot() {
  const [tenant, policy, versions, keys, audit, origins, memberships] = await Promise.all([
    t.prisma.tenant.findUnique({ where: { id: a.id } }),
    t.prisma.policy.findUnique({ where: { tenantId: a.id } }),
    t.prisma.policyVersion.count({ where: { tenantId: a.id } }),
    t.prisma.apiKey.findMany({ where: { tenantId: a.id }, orderBy: { id: 'asc' } }),
    t.prisma.auditEvent.count(),
    t.prisma.originEntry.findMany({ where: { tenantId: a.id }, orderBy: { position: 'asc' } }),
    t.prisma.tenantMembership.count({ where: { tenantId: a.id } }),
  ]);
  return JSON.stringify({ tenant, policy, versions, keys, audit, origins, memberships });
}

beforeAll(async () => {
  t = await createTestApp();
  const admin = await createUser(t, { platformRole: 'admin' });
  a = await createTenant(t, { slug: 'tenant-a' });
  const b = await createTenant(t, { slug: 'tenant-b' });
  await t
    .http()
    .put('/v1/tenants/tenant-a/policy')
    .set('authorization', admin.bearer)
    .set('if-match', '1')
    .send(validPolicy())
    .expect(200);
  aKeyId = (await createKey(t, a)).id;
  await t.prisma.blockedOriginAggregate.create({
    data: {
      tenantId: a.id,
      origin: 'https://secret.a.example',
      reason: 'origin-not-allowed',
      hour: new Date('2026-01-01T00:00:00Z'),
      count: 1,
      firstSeen: new Date(),
      lastSeen: new Date(),
    },
  });
  asB.editorOfB = (
    await createUser(t, { memberships: [{ tenantId: b.id, role: 'editor' }] })
  ).bearer;
  asB.viewerOfB = (
    await createUser(t, { memberships: [{ tenantId: b.id, role: 'viewer' }] })
  ).bearer;
  asB.keyOfB = (await createKey(t, b)).bearer;
});
afterAll(() => t.close());

const routes = () =>
  [
    ['get', '/v1/tenants/tenant-a'],
    ['patch', '/v1/tenants/tenant-a', { name: 'pwned' }],
    ['delete', '/v1/tenants/tenant-a'],
    ['get', '/v1/tenants/tenant-a/policy'],
    [
      'put',
      '/v1/tenants/tenant-a/policy',
      validPolicy({ origins: [{ pattern: 'https://evil.example' }] }),
      { 'if-match': '"2"' },
    ],
    ['post', '/v1/tenants/tenant-a/policy/validate', validPolicy()],
    ['post', '/v1/tenants/tenant-a/simulate', { origin: 'https://app.acme.com' }],
    ['get', '/v1/tenants/tenant-a/policy/versions'],
    ['post', '/v1/tenants/tenant-a/policy/versions/1/restore'],
    ['get', '/v1/tenants/tenant-a/policy/candidate'],
    ['put', '/v1/tenants/tenant-a/policy/candidate', validPolicy()],
    ['delete', '/v1/tenants/tenant-a/policy/candidate'],
    ['post', '/v1/tenants/tenant-a/policy/candidate/promote', {}, { 'if-match': '"2"' }],
    ['get', '/v1/tenants/tenant-a/policy/candidate/impact'],
    ['get', '/v1/tenants/tenant-a/blocked-origins'],
    [
      'get',
      '/v1/tenants/tenant-a/blocked-origins/timeline?since=2026-01-01T00:00:00Z&until=2026-01-02T00:00:00Z',
    ],
    ['get', '/v1/tenants/tenant-a/keys'],
    ['post', '/v1/tenants/tenant-a/keys', { name: 'stolen' }],
    ['delete', `/v1/tenants/tenant-a/keys/${aKeyId}`],
    ['get', '/v1/audit?tenant=tenant-a'],
  ] as Array<
    ['get' | 'post' | 'put' | 'patch' | 'delete', string, object?, Record<string, string>?]
  >;

it.each(['editorOfB', 'viewerOfB', 'keyOfB'])(
  '%s cannot read or change anything of tenant A',
  async (who) => {
    const before = await snapshot();
    for (const [method, path, body, headers] of routes()) {
      let req = t
        .http()
        [method](path)
        .set('authorization', asB[who] as string);
      for (const [k, v] of Object.entries(headers ?? {})) req = req.set(k, v);
      const res = body ? await req.send(body) : await req;
      expect({ route: `${method} ${path}`, status: [403, 404].includes(res.status) }).toEqual({
        route: `${method} ${path}`,
        status: true,
      });
      expect(JSON.stringify(res.body)).not.toMatch(/secret\.a\.example|app\.acme\.com|cpk_live/);
    }
    const list = await t
      .http()
      .get('/v1/tenants')
      .set('authorization', asB[who] as string);
    expect(JSON.stringify(list.body)).not.toContain('tenant-a');
    expect(await snapshot()).toBe(before);
  },
);
