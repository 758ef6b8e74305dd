import { createKey, createTenant, createUser } from './factories/factories.js';
import { createTestApp, type TestApp } from './factories/test-app.js';

// Each role against each route. Authorized requests are built to stop right after the guard (an invalid body
// or id: 400, or a read: 200), so the matrix changes nothing.
type Role =
  | 'anonymous'
  | 'admin'
  | 'viewer'
  | 'editorOfT'
  | 'viewerOfT'
  | 'memberOfOther'
  | 'noRole'
  | 'keyOfT'
  | 'platformKey';
const ROLES: Role[] = [
  'anonymous',
  'admin',
  'viewer',
  'editorOfT',
  'viewerOfT',
  'memberOfOther',
  'noRole',
  'keyOfT',
  'platformKey',
];

interface Route {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  body?: object;
  /** Expected status per role; keys always 403 and anonymous 401 unless listed. */
  expect: Partial<Record<Role, number>>;
}

const T = 'matrix-t';
const users = (s: number) => ({
  admin: s,
  viewer: s,
  editorOfT: s,
  viewerOfT: s,
  memberOfOther: s,
  noRole: s,
});
const readers = (s: number) => ({
  admin: s,
  viewer: s,
  editorOfT: s,
  viewerOfT: s,
  memberOfOther: 404,
  noRole: 404,
});
const writers = (s: number) => ({
  admin: s,
  viewer: 403,
  editorOfT: s,
  viewerOfT: 403,
  memberOfOther: 404,
  noRole: 404,
});
const adminOnly = (s: number) => ({
  admin: s,
  viewer: 403,
  editorOfT: 403,
  viewerOfT: 403,
  memberOfOther: 403,
  noRole: 403,
});

const ROUTES: Route[] = [
  { method: 'get', path: '/v1/auth/me', expect: users(200) },
  { method: 'post', path: '/v1/auth/logout', expect: users(204) },
  { method: 'get', path: '/v1/auth/tokens', expect: users(200) },
  { method: 'post', path: '/v1/auth/tokens', body: {}, expect: users(400) },
  { method: 'delete', path: '/v1/auth/tokens/not-a-uuid', expect: users(400) },
  { method: 'get', path: '/v1/tenants', expect: users(200) },
  { method: 'post', path: '/v1/tenants', body: {}, expect: adminOnly(400) },
  { method: 'get', path: `/v1/tenants/${T}`, expect: readers(200) },
  { method: 'patch', path: `/v1/tenants/${T}`, body: {}, expect: adminOnly(400) },
  { method: 'delete', path: '/v1/tenants/matrix-ghost', expect: adminOnly(404) },
  { method: 'get', path: `/v1/tenants/${T}/policy`, expect: readers(200) },
  { method: 'put', path: `/v1/tenants/${T}/policy`, body: {}, expect: writers(400) },
  { method: 'post', path: `/v1/tenants/${T}/policy/validate`, body: {}, expect: readers(200) },
  { method: 'post', path: `/v1/tenants/${T}/simulate`, body: {}, expect: readers(400) },
  { method: 'get', path: `/v1/tenants/${T}/policy/versions`, expect: readers(200) },
  { method: 'get', path: `/v1/tenants/${T}/policy/versions/1`, expect: readers(200) },
  { method: 'post', path: `/v1/tenants/${T}/policy/versions/abc/restore`, expect: writers(400) },
  { method: 'get', path: `/v1/tenants/${T}/policy/candidate`, expect: readers(404) },
  {
    method: 'get',
    path: `/v1/tenants/${T}/policy/candidate/impact/timeline`,
    expect: readers(200),
  },
  { method: 'put', path: `/v1/tenants/${T}/policy/candidate`, body: {}, expect: writers(400) },
  { method: 'delete', path: `/v1/tenants/${T}/policy/candidate`, expect: writers(404) },
  { method: 'post', path: `/v1/tenants/${T}/policy/candidate/promote`, expect: writers(428) },
  { method: 'get', path: `/v1/tenants/${T}/policy/candidate/impact`, expect: readers(200) },
  { method: 'get', path: `/v1/tenants/${T}/policy/origins`, expect: readers(200) },
  { method: 'post', path: `/v1/tenants/${T}/policy/origins`, body: {}, expect: writers(400) },
  {
    method: 'post',
    path: `/v1/tenants/${T}/policy/origins/import?dryRun=maybe`,
    body: [],
    expect: writers(400),
  },
  {
    method: 'patch',
    path: `/v1/tenants/${T}/policy/origins/${encodeURIComponent('https://a.example')}`,
    body: {},
    expect: writers(400),
  },
  {
    method: 'delete',
    path: `/v1/tenants/${T}/policy/origins/${encodeURIComponent('https://ghost.example')}`,
    expect: writers(404),
  },
  { method: 'get', path: `/v1/tenants/${T}/policy/export?format=csv`, expect: readers(200) },
  { method: 'get', path: `/v1/tenants/${T}/blocked-origins`, expect: readers(200) },
  { method: 'get', path: `/v1/tenants/${T}/blocked-origins/timeline`, expect: readers(200) },
  { method: 'get', path: `/v1/tenants/${T}/keys`, expect: readers(200) },
  { method: 'post', path: `/v1/tenants/${T}/keys`, body: {}, expect: writers(400) },
  { method: 'delete', path: `/v1/tenants/${T}/keys/not-a-uuid`, expect: writers(400) },
  { method: 'get', path: '/v1/keys', expect: adminOnly(200) },
  { method: 'post', path: '/v1/keys', body: {}, expect: adminOnly(400) },
  { method: 'delete', path: '/v1/keys/not-a-uuid', expect: adminOnly(400) },
  {
    method: 'get',
    path: '/v1/audit',
    expect: {
      admin: 200,
      viewer: 200,
      editorOfT: 200,
      viewerOfT: 200,
      memberOfOther: 200,
      noRole: 403,
    },
  },
  { method: 'get', path: `/v1/audit?tenant=${T}`, expect: readers(200) },
  { method: 'get', path: '/v1/users', expect: adminOnly(200) },
  { method: 'get', path: '/v1/users/not-a-uuid', expect: adminOnly(400) },
  { method: 'post', path: '/v1/users', body: {}, expect: adminOnly(400) },
  { method: 'patch', path: '/v1/users/not-a-uuid', body: {}, expect: adminOnly(400) },
  { method: 'delete', path: '/v1/users/not-a-uuid', expect: adminOnly(400) },
  { method: 'get', path: '/v1/invitations', expect: adminOnly(200) },
  { method: 'post', path: '/v1/invitations', body: {}, expect: adminOnly(400) },
  { method: 'delete', path: '/v1/invitations/not-a-uuid', expect: adminOnly(400) },
  // Public routes: everyone, keys included.
  {
    method: 'post',
    path: '/v1/auth/login',
    body: {},
    expect: Object.fromEntries(ROLES.map((r) => [r, 400])),
  },
  // The invitation link's two public routes (the token is the credential).
  {
    method: 'post',
    path: '/v1/invitations/lookup',
    body: {},
    expect: Object.fromEntries(ROLES.map((r) => [r, 400])),
  },
  {
    method: 'post',
    path: '/v1/invitations/accept',
    body: {},
    expect: Object.fromEntries(ROLES.map((r) => [r, 400])),
  },
  { method: 'get', path: '/healthz', expect: Object.fromEntries(ROLES.map((r) => [r, 200])) },
  // Single sign-on (not configured in this app): status for all, the flow routes answer alike for all.
  { method: 'get', path: '/v1/auth/oidc', expect: Object.fromEntries(ROLES.map((r) => [r, 200])) },
  {
    method: 'get',
    path: '/v1/auth/oidc/login',
    expect: Object.fromEntries(ROLES.map((r) => [r, 404])),
  },
  {
    method: 'get',
    path: '/v1/auth/oidc/callback?code=x&state=y',
    expect: Object.fromEntries(ROLES.map((r) => [r, 303])),
  },
  { method: 'get', path: '/readyz', expect: Object.fromEntries(ROLES.map((r) => [r, 200])) },
];

let t: TestApp;
const auth: Partial<Record<Role, string>> = {};

beforeAll(async () => {
  t = await createTestApp();
  const tenant = await createTenant(t, { slug: T });
  const other = await createTenant(t);
  auth.admin = (await createUser(t, { platformRole: 'admin' })).bearer;
  auth.viewer = (await createUser(t, { platformRole: 'viewer' })).bearer;
  auth.editorOfT = (
    await createUser(t, { memberships: [{ tenantId: tenant.id, role: 'editor' }] })
  ).bearer;
  auth.viewerOfT = (
    await createUser(t, { memberships: [{ tenantId: tenant.id, role: 'viewer' }] })
  ).bearer;
  auth.memberOfOther = (
    await createUser(t, { memberships: [{ tenantId: other.id, role: 'editor' }] })
  ).bearer;
  auth.noRole = (await createUser(t)).bearer;
  auth.keyOfT = (await createKey(t, tenant)).bearer;
  auth.platformKey = (await createKey(t, null)).bearer;
});
afterAll(() => t.close());

const cases = ROUTES.flatMap((r) =>
  ROLES.map((role) => {
    const expected = r.expect[role] ?? (role === 'anonymous' ? 401 : 403);
    return [`${r.method.toUpperCase()} ${r.path}`, role, expected, r] as const;
  }),
);

it('covers every documented route', () => {
  expect(ROUTES.length).toBeGreaterThanOrEqual(33);
});

it.each(cases)('%s as %s -> %i', async (_name, role, expected, r) => {
  let req = t.http()[r.method](r.path);
  const header = auth[role];
  if (header) req = req.set('authorization', header);
  const res = r.body ? await req.send(r.body) : await req;
  expect({ status: res.status, body: res.status >= 400 ? res.body : undefined }).toEqual({
    status: expected,
    body: expected >= 400 ? expect.objectContaining({ statusCode: expected }) : undefined,
  });
});
