// Per-route rules (SPEC §2.1) end to end on a real PostgreSQL: stored with the policy, decided by
// `GET /resolve?path=`, `/resolve/headers` (X-Forwarded-Uri, X-Original-URI, the Envoy path suffix)
// and simulate, and handed to SDKs by `/resolve/policy`.
import type { PolicyInput } from '@corsplane/contracts';
import { resolveResponseSchema } from '@corsplane/contracts';
import {
  createKey,
  createTenant,
  createUser,
  replacePolicy,
  untilResolveServes,
  validPolicy,
  type TestUser,
} from './factories/factories.js';
import { createTestApp, type TestApp } from './factories/test-app.js';

let t: TestApp;
let admin: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createUser(t, { platformRole: 'admin' });
});
afterAll(() => t.close());

/** The SPEC §2.1 example: a public tree open to all, a webhook closed to browsers, an API with its own methods. */
const ROUTES: PolicyInput['routes'] = [
  { path: '/public/*', origins: [{ pattern: '*' }], allowCredentials: false },
  { path: '/webhooks/stripe', origins: [] },
  { path: '/api/*', allowedMethods: ['GET', 'POST', 'DELETE'], maxAgeSeconds: 60 },
];

async function tenantWithRoutes() {
  const tenant = await createTenant(t);
  const version = await replacePolicy(t, admin, tenant.slug, validPolicy({ routes: ROUTES }));
  const key = await createKey(t, tenant);
  await untilResolveServes(t, key.bearer, version);
  return { tenant, key, version };
}

const resolve = (bearer: string, query: Record<string, string | string[]>) =>
  t.http().get('/resolve').query(query).set('authorization', bearer);

describe('routes in the policy document', () => {
  it('are stored normalised and read back; a policy without routes keeps its shape', async () => {
    const tenant = await createTenant(t);
    await replacePolicy(
      t,
      admin,
      tenant.slug,
      validPolicy({
        routes: [{ path: '/%61pi/*', allowedMethods: ['put'] }],
      }),
    );
    const res = await t
      .http()
      .get(`/v1/tenants/${tenant.slug}/policy`)
      .set('authorization', admin.bearer)
      .expect(200);
    expect(res.body.routes).toEqual([{ path: '/api/*', allowedMethods: ['PUT'] }]);
    const plain = await createTenant(t);
    await replacePolicy(t, admin, plain.slug, validPolicy());
    const without = await t
      .http()
      .get(`/v1/tenants/${plain.slug}/policy`)
      .set('authorization', admin.bearer)
      .expect(200);
    expect(without.body).not.toHaveProperty('routes');
  });

  it('refuses an invalid route with 422, naming routes[i].… (SPEC §2.1), and saves nothing', async () => {
    const tenant = await createTenant(t);
    const url = `/v1/tenants/${tenant.slug}/policy`;
    const current = await t.http().get(url).set('authorization', admin.bearer).expect(200);
    const res = await t
      .http()
      .put(url)
      .set('authorization', admin.bearer)
      .set('if-match', current.headers.etag as string)
      .send(
        validPolicy({
          routes: [
            { path: '/ok/*' },
            { path: '/bad/*', origins: [{ pattern: 'https://*.com' }] },
            { path: 'no-slash' },
          ],
        }),
      )
      .expect(422);
    expect(res.body.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: 'routes[1].origins[0].pattern',
          reason: 'public-suffix-wildcard',
        }),
        expect.objectContaining({ path: 'routes[2].path', reason: 'invalid-route-path' }),
      ]),
    );
    const after = await t.http().get(url).set('authorization', admin.bearer).expect(200);
    expect(after.headers.etag).toBe(current.headers.etag);
  });

  it('/resolve/policy hands the routes to SDKs', async () => {
    const { key } = await tenantWithRoutes();
    const res = await t.http().get('/resolve/policy').set('authorization', key.bearer).expect(200);
    expect(res.body.policy.routes.map((r: { path: string }) => r.path)).toEqual([
      '/public/*',
      '/webhooks/stripe',
      '/api/*',
    ]);
  });
});

describe('GET /resolve?path=', () => {
  it('decides with the longest matching route and names it; without a path, the default', async () => {
    const { key } = await tenantWithRoutes();
    const open = await resolve(key.bearer, {
      origin: 'https://anyone.example',
      path: '/public/logo.png?v=3',
    }).expect(200);
    expect(resolveResponseSchema.parse(open.body)).toEqual(open.body);
    expect(open.body).toMatchObject({ allowed: true, reason: 'any-origin', route: '/public/*' });
    expect(open.body.headers).toEqual({
      'access-control-allow-origin': '*',
      'access-control-expose-headers': 'x-request-id',
    });

    const webhook = await resolve(key.bearer, {
      origin: 'https://app.acme.com',
      path: '/webhooks/stripe',
    }).expect(200);
    expect(webhook.body).toMatchObject({
      allowed: false,
      reason: 'origin-not-allowed',
      route: '/webhooks/stripe',
    });

    const api = await resolve(key.bearer, {
      origin: 'https://app.acme.com',
      method: 'DELETE',
      path: '/api/items/7',
    }).expect(200);
    expect(api.body).toMatchObject({ allowed: true, route: '/api/*', status: 204 });
    expect(api.body.headers['access-control-allow-methods']).toBe('GET, POST, DELETE');
    expect(api.body.headers['access-control-max-age']).toBe('60');
    // PUT is the default's, not the route's: a route's list replaces, it does not add.
    const put = await resolve(key.bearer, {
      origin: 'https://app.acme.com',
      method: 'PUT',
      path: '/api/items/7',
    }).expect(200);
    expect(put.body).toMatchObject({ allowed: false, reason: 'method-not-allowed' });

    const byDefault = await resolve(key.bearer, { origin: 'https://anyone.example' }).expect(200);
    expect(byDefault.body).toMatchObject({ allowed: false, route: null });
    const unmatched = await resolve(key.bearer, {
      origin: 'https://app.acme.com',
      path: '/elsewhere',
    }).expect(200);
    expect(unmatched.body).toMatchObject({ allowed: true, reason: 'exact-match', route: null });
    // The ETag differs per route: a cached answer for one path never serves another.
    expect(open.headers.etag).not.toBe(unmatched.headers.etag);
  });

  it.each([
    ['a path without the leading "/"', { path: 'api/items' }, 'starts with "/"'],
    ['two paths', { path: ['/a', '/b'] }, 'one request path'],
    ['a path over 8,192 characters', { path: `/${'a'.repeat(8192)}` }, 'longer than 8192'],
    ['a control character', { path: '/a\tb' }, 'control character'],
  ])('answers 400 for %s', async (_name, query, message) => {
    const { key } = await tenantWithRoutes();
    const res = await resolve(key.bearer, { origin: 'https://app.acme.com', ...query }).expect(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: expect.stringContaining(message),
    });
  });
});

describe('/resolve/headers: the forwarded request path', () => {
  const check = (bearer: string, headers: Record<string, string>, url = '/resolve/headers') => {
    const req = t.http().get(url).set('authorization', bearer);
    for (const [name, value] of Object.entries(headers)) void req.set(name, value);
    return req;
  };

  it.each([
    [
      'X-Forwarded-Uri (Caddy forward_auth, Traefik)',
      { 'x-forwarded-uri': '/public/a.css?x' },
      undefined,
    ],
    ['X-Original-URI (nginx auth_request)', { 'x-original-uri': '/public/a.css' }, undefined],
    ['the path below /resolve/headers (Envoy ext_authz)', {}, '/resolve/headers/public/a.css'],
  ])('reads the path from %s', async (_name, headers, url) => {
    const { key } = await tenantWithRoutes();
    const res = await check(
      key.bearer,
      { origin: 'https://anyone.example', ...headers },
      url,
    ).expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['x-corsplane-route']).toBe('/public/*');
    expect(res.headers['x-corsplane-decision']).toBe('allowed');
  });

  it('X-Forwarded-Uri wins over X-Original-URI; without either, the default decides', async () => {
    const { key } = await tenantWithRoutes();
    const both = await check(key.bearer, {
      origin: 'https://app.acme.com',
      'x-forwarded-uri': '/webhooks/stripe',
      'x-original-uri': '/public/x',
    }).expect(200);
    expect(both.headers['x-corsplane-route']).toBe('/webhooks/stripe');
    expect(both.headers['x-corsplane-decision']).toBe('refused');
    const none = await check(key.bearer, { origin: 'https://app.acme.com' }).expect(200);
    expect(none.headers['x-corsplane-route']).toBeUndefined();
    expect(none.headers['x-corsplane-decision']).toBe('allowed');
  });

  it('a refused preflight on a route is the 403 the browser gets', async () => {
    const { key } = await tenantWithRoutes();
    const res = await t
      .http()
      .options('/resolve/headers')
      .set('authorization', key.bearer)
      .set('origin', 'https://app.acme.com')
      .set('access-control-request-method', 'POST')
      .set('x-original-uri', '/webhooks/stripe')
      .expect(403);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['x-corsplane-route']).toBe('/webhooks/stripe');
  });

  it('answers 400 with the SPEC error body for a forwarded path that is not a path', async () => {
    const { key } = await tenantWithRoutes();
    const res = await check(key.bearer, {
      origin: 'https://app.acme.com',
      'x-forwarded-uri': 'http://host/x',
    }).expect(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: expect.stringContaining('starts with "/"'),
    });
  });
});

describe('POST /v1/tenants/:slug/simulate with a path', () => {
  it('answers like /resolve?path= (stored policy and draft), and refuses a bad path with 400', async () => {
    const { tenant } = await tenantWithRoutes();
    const sim = (body: object) =>
      t
        .http()
        .post(`/v1/tenants/${tenant.slug}/simulate`)
        .set('authorization', admin.bearer)
        .send(body);
    const stored = await sim({ origin: 'https://anyone.example', path: '/public/x' }).expect(200);
    expect(stored.body).toMatchObject({ allowed: true, reason: 'any-origin', route: '/public/*' });
    const draft = await sim({
      origin: 'https://anyone.example',
      path: '/open',
      policy: validPolicy({
        routes: [{ path: '/open', origins: [{ pattern: 'https://anyone.example' }] }],
      }),
    }).expect(200);
    expect(draft.body).toMatchObject({ allowed: true, route: '/open', policyVersion: 0 });
    const bad = await sim({ origin: 'https://anyone.example', path: 'nope' }).expect(400);
    expect(bad.body.statusCode).toBe(400);
  });
});
