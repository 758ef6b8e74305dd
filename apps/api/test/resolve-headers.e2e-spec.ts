// GET /resolve/headers: the gateway-shaped /resolve (nginx auth_request, Envoy ext_authz). The CORS inputs come
// from the request's own headers, the decision goes out as status + response headers (contract: docs/deploy.md).
import type { PolicyInput } from '@corsplane/contracts';
import { BlockedLogService } from '../src/modules/resolve/blocked-log.service.js';
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

async function tenantWithKey(overrides: Partial<PolicyInput> = {}) {
  const tenant = await createTenant(t);
  const version = await replacePolicy(t, admin, tenant.slug, validPolicy(overrides));
  const key = await createKey(t, tenant);
  await untilResolveServes(t, key.bearer, version);
  return { tenant, key, version };
}

type Method = 'get' | 'options' | 'post' | 'head';
function check(
  bearer: string | null,
  headers: Record<string, string>,
  { method = 'get' as Method, path = '/resolve/headers' } = {},
) {
  const req = t.http()[method](path);
  if (bearer !== null) void req.set('authorization', bearer);
  for (const [name, value] of Object.entries(headers)) void req.set(name, value);
  return req;
}

/** Only the headers a gateway copies (CORS + X-Corsplane-*), for exact comparisons. */
function corsHeaders(res: { headers: Record<string, string> }) {
  return Object.fromEntries(
    Object.entries(res.headers).filter(
      ([k]) => k.startsWith('access-control-') || k === 'vary' || k.startsWith('x-corsplane-'),
    ),
  );
}

describe('/resolve/headers', () => {
  it('allowed actual request: 200, the CORS headers, the decision headers, an empty body', async () => {
    const { key, version } = await tenantWithKey();
    const res = await check(key.bearer, { origin: 'https://app.acme.com' }).expect(200);
    expect(corsHeaders(res)).toEqual({
      'access-control-allow-origin': 'https://app.acme.com',
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'x-request-id',
      vary: 'Origin',
      'x-corsplane-decision': 'allowed',
      'x-corsplane-reason': 'exact-match',
      'x-corsplane-policy-version': String(version),
    });
    expect(res.text ?? '').toBe('');
    expect(res.headers['content-length']).toBe('0');
    expect(res.headers['x-request-id']).toBeDefined();
    // The same via X-Forwarded-Method (nginx) and via the original method and path (Envoy: path_prefix + path).
    const post = await check(
      key.bearer,
      { origin: 'https://eu.app.acme.com' },
      { method: 'post', path: '/resolve/headers/api/items?tenant=someone-else' },
    ).expect(200);
    expect(post.headers['access-control-allow-origin']).toBe('https://eu.app.acme.com');
    expect(post.headers['x-corsplane-reason']).toBe('wildcard-match');
    const fwd = await check(key.bearer, {
      origin: 'https://app.acme.com',
      'x-forwarded-method': 'DELETE',
    }).expect(200);
    expect(fwd.headers['x-corsplane-decision']).toBe('allowed');
    // Not a path of this route.
    await check(
      key.bearer,
      { origin: 'https://app.acme.com' },
      { path: '/resolve/headersx' },
    ).expect(404);
  });

  it('refused actual request: 200 (serve it) with Vary and the decision headers, no Access-Control-*', async () => {
    const { key, version } = await tenantWithKey();
    const res = await check(key.bearer, { origin: 'https://evil.example' }).expect(200);
    expect(corsHeaders(res)).toEqual({
      vary: 'Origin',
      'x-corsplane-decision': 'refused',
      'x-corsplane-reason': 'origin-not-allowed',
      'x-corsplane-policy-version': String(version),
    });
  });

  it('no Origin: 200, no-origin, nothing logged', async () => {
    const { key } = await tenantWithKey();
    const res = await check(key.bearer, {}).expect(200);
    expect(res.headers['x-corsplane-decision']).toBe('allowed');
    expect(res.headers['x-corsplane-reason']).toBe('no-origin');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    // OPTIONS without Origin or without Access-Control-Request-Method is not a preflight.
    const opts = await check(
      key.bearer,
      { origin: 'https://app.acme.com' },
      { method: 'options' },
    ).expect(200);
    expect(opts.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('allowed preflight: 204 with the preflight headers (OPTIONS itself, or X-Forwarded-Method)', async () => {
    const { key, version } = await tenantWithKey();
    const headers = {
      origin: 'https://app.acme.com',
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'content-type',
    };
    const expected = {
      'access-control-allow-origin': 'https://app.acme.com',
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET, POST, PUT, DELETE',
      'access-control-allow-headers': 'content-type',
      'access-control-max-age': '600',
      'x-corsplane-decision': 'allowed',
      'x-corsplane-reason': 'exact-match',
      'x-corsplane-policy-version': String(version),
    };
    const viaOptions = await check(key.bearer, headers, {
      method: 'options',
      path: '/resolve/headers/any/path',
    }).expect(204);
    expect(corsHeaders(viaOptions)).toMatchObject(expected);
    expect(viaOptions.headers.vary).toBeDefined();
    const viaHeader = await check(key.bearer, {
      ...headers,
      'x-forwarded-method': 'OPTIONS',
    }).expect(204);
    expect(corsHeaders(viaHeader)).toEqual(corsHeaders(viaOptions));
    // Without the original method a GET with ACRM is an actual request (Fetch: a preflight is OPTIONS).
    const get = await check(key.bearer, headers).expect(200);
    expect(get.headers['access-control-allow-methods']).toBeUndefined();
  });

  it('refused preflight: 403 with Vary and the reason, no Access-Control-*', async () => {
    const { key } = await tenantWithKey();
    for (const [headers, reason] of [
      [
        { origin: 'https://evil.example', 'access-control-request-method': 'PUT' },
        'origin-not-allowed',
      ],
      [
        { origin: 'https://app.acme.com', 'access-control-request-method': 'PATCH' },
        'method-not-allowed',
      ],
      [
        {
          origin: 'https://app.acme.com',
          'access-control-request-method': 'PUT',
          'access-control-request-headers': 'x-secret',
        },
        'header-not-allowed',
      ],
      [
        {
          origin: 'https://app.acme.com',
          'access-control-request-method': 'GET',
          'access-control-request-private-network': 'true',
        },
        'private-network-not-allowed',
      ],
    ] as const) {
      const res = await check(key.bearer, { ...headers, 'x-forwarded-method': 'OPTIONS' }).expect(
        403,
      );
      expect(res.headers['x-corsplane-decision']).toBe('refused');
      expect(res.headers['x-corsplane-reason']).toBe(reason);
      expect(res.headers.vary).toBeDefined();
      expect(Object.keys(res.headers).filter((k) => k.startsWith('access-control-'))).toEqual([]);
      expect(res.text ?? '').toBe('');
    }
  });

  it('report-only: allowed without credentials, with the would-be reason and X-Corsplane-Report-Only', async () => {
    const { key } = await tenantWithKey({ mode: 'report-only' });
    const res = await check(key.bearer, { origin: 'https://evil.example' }).expect(200);
    expect(res.headers['x-corsplane-decision']).toBe('allowed');
    expect(res.headers['x-corsplane-reason']).toBe('origin-not-allowed');
    expect(res.headers['x-corsplane-report-only']).toBe('true');
    expect(res.headers['access-control-allow-origin']).toBe('https://evil.example');
    // SPEC §3: a report-only refusal never grants credentials to an unlisted site.
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    const listed = await check(key.bearer, { origin: 'https://app.acme.com' }).expect(200);
    expect(listed.headers['access-control-allow-credentials']).toBe('true');
  });

  it('401 (WWW-Authenticate: Bearer) for a missing, malformed, unknown or platform-admin key', async () => {
    await tenantWithKey();
    for (const bearer of [
      null,
      'Bearer nope',
      'Basic abc',
      'Bearer cpk_live_aaaaaaaa_bbbbbbbb',
      admin.bearer,
    ]) {
      const res = await check(bearer, { origin: 'https://app.acme.com' }).expect(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.headers['x-corsplane-decision']).toBeUndefined();
      expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    }
  });

  it("tenant isolation: B's key for A is 403; a platform key needs the tenant (header or query)", async () => {
    const a = await tenantWithKey();
    const b = await tenantWithKey({
      origins: [{ pattern: 'https://b.example', note: null, expiresAt: null }],
    });
    const cross = await check(b.key.bearer, {
      origin: 'https://app.acme.com',
      'x-corsplane-tenant': a.tenant.slug,
    }).expect(403);
    expect(cross.body).toMatchObject({
      statusCode: 403,
      message: 'This key belongs to another tenant',
    });
    expect(cross.headers['x-corsplane-decision']).toBeUndefined();
    await check(
      b.key.bearer,
      { origin: 'https://app.acme.com' },
      {
        path: `/resolve/headers?tenant=${a.tenant.slug}`,
      },
    ).expect(403);
    // B's key decides with B's policy: A's origin is refused.
    const own = await check(b.key.bearer, { origin: 'https://app.acme.com' }).expect(200);
    expect(own.headers['x-corsplane-reason']).toBe('origin-not-allowed');

    const platform = await createKey(t, null, 'edge');
    await check(platform.bearer, { origin: 'https://app.acme.com' }).expect(400);
    const viaHeader = await check(platform.bearer, {
      origin: 'https://app.acme.com',
      'x-corsplane-tenant': a.tenant.slug,
    }).expect(200);
    expect(viaHeader.headers['access-control-allow-origin']).toBe('https://app.acme.com');
    const viaQuery = await check(
      platform.bearer,
      { origin: 'https://b.example' },
      {
        path: `/resolve/headers?tenant=${b.tenant.slug}`,
      },
    ).expect(200);
    expect(viaQuery.headers['access-control-allow-origin']).toBe('https://b.example');
    // Below the exact path the query is the browser's (Envoy): it never names the tenant.
    await check(
      platform.bearer,
      { origin: 'https://b.example' },
      {
        path: `/resolve/headers/x?tenant=${b.tenant.slug}`,
      },
    ).expect(400);
    // Header and query disagreeing, an invalid slug, an unknown tenant.
    await check(
      platform.bearer,
      { origin: 'https://b.example', 'x-corsplane-tenant': a.tenant.slug },
      {
        path: `/resolve/headers?tenant=${b.tenant.slug}`,
      },
    ).expect(400);
    await check(platform.bearer, {
      origin: 'https://b.example',
      'x-corsplane-tenant': 'Not A Slug',
    }).expect(400);
    await check(platform.bearer, {
      origin: 'https://b.example',
      'x-corsplane-tenant': 'no-such-tenant-here',
    }).expect(404);
  });

  it('hostile header values are refused by the engine with a reason, never echoed, never a 500', async () => {
    const { key } = await tenantWithKey();
    const origins = [
      'https://app.acme.com/path',
      'https://app.acme.com, https://evil.example',
      `https://${'a'.repeat(5000)}.com`,
      // (a leading space is optional whitespace in HTTP: the parser strips it, so it is not a case here)
      '%',
      'null',
      'https://app.acme.com\u00e9',
    ];
    for (const origin of origins) {
      const res = await check(key.bearer, { origin }).expect(200);
      expect({ origin, decision: res.headers['x-corsplane-decision'] }).toEqual({
        origin,
        decision: 'refused',
      });
      expect(['malformed-origin', 'origin-not-allowed']).toContain(
        res.headers['x-corsplane-reason'],
      );
      expect(JSON.stringify(res.headers)).not.toContain('acme');
    }
    for (const extra of [
      { 'access-control-request-method': 'P U T' },
      {
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'x'.repeat(9000),
      },
      { 'access-control-request-method': 'PUT', 'access-control-request-headers': 'a,,;b' },
      { 'access-control-request-method': '' },
    ] as Array<Record<string, string>>) {
      const res = await check(key.bearer, {
        origin: 'https://app.acme.com',
        'x-forwarded-method': 'OPTIONS',
        ...extra,
      });
      expect(res.status).toBe(403);
      expect(res.headers['x-corsplane-decision']).toBe('refused');
      expect(JSON.stringify(res.headers)).not.toContain('9000');
    }
    // An absurd forwarded method is just a method: an actual request.
    const odd = await check(key.bearer, {
      origin: 'https://app.acme.com',
      'x-forwarded-method': 'FOO\u00e9',
    }).expect(200);
    expect(odd.headers['x-corsplane-decision']).toBe('allowed');
  });

  it('counts refusals in the blocked-origin log like /resolve', async () => {
    const { tenant, key } = await tenantWithKey();
    await check(key.bearer, { origin: 'https://blocked-a.example' }).expect(200);
    await check(key.bearer, { origin: 'https://blocked-a.example' }).expect(200);
    await check(key.bearer, {
      origin: 'https://app.acme.com',
      'access-control-request-method': 'PATCH',
      'x-forwarded-method': 'OPTIONS',
    }).expect(403);
    await check(key.bearer, {}).expect(200);
    await check(key.bearer, { origin: 'https://app.acme.com' }).expect(200);
    await t.app.get(BlockedLogService).flush();
    const rows = await t.prisma.blockedOriginAggregate.findMany({ where: { tenantId: tenant.id } });
    const counts = Object.fromEntries(
      rows
        .filter((r) => r.origin !== 'https://warm-up.invalid')
        .map((r) => [`${r.origin} ${r.reason}`, Number(r.count)]),
    );
    expect(counts).toEqual({
      'https://blocked-a.example origin-not-allowed': 2,
      'https://app.acme.com method-not-allowed': 1,
    });
  });

  it('is in /docs', async () => {
    const doc = await t.http().get('/docs-json').expect(200);
    expect(doc.body.paths['/resolve/headers'].get.responses).toHaveProperty('204');
  });
});
