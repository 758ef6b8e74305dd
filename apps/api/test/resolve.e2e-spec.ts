import type { PolicyInput } from '@corsplane/contracts';
import { resolveResponseSchema } from '@corsplane/contracts';
import { BlockedLogService } from '../src/modules/resolve/blocked-log.service.js';
import {
  createKey,
  createTenant,
  createUser,
  replacePolicy,
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

const setPolicy = (slug: string, overrides: Partial<PolicyInput>) =>
  replacePolicy(t, admin, slug, validPolicy(overrides));

function resolve(bearer: string, query: Record<string, string | string[]>) {
  return t.http().get('/resolve').query(query).set('authorization', bearer);
}

/** Polls until /resolve reflects a policy version (NOTIFY reaches this process right after the commit). */
async function resolveAtVersion(bearer: string, query: Record<string, string>, version: number) {
  const deadline = Date.now() + 3000;
  for (;;) {
    const res = await resolve(bearer, query).expect(200);
    if (res.body.policyVersion === version || Date.now() > deadline) return res;
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function tenantWithKey(overrides: Partial<PolicyInput> = {}) {
  const tenant = await createTenant(t);
  const version = await setPolicy(tenant.slug, overrides);
  const key = await createKey(t, tenant);
  return { tenant, key, version };
}

describe('GET /resolve', () => {
  it('answers an exact match with the exact headers, Cache-Control and an ETag', async () => {
    const { tenant, key, version } = await tenantWithKey();
    const res = await resolveAtVersion(key.bearer, { origin: 'https://app.acme.com' }, version);
    expect(res.body).toEqual({
      allowed: true,
      reason: 'exact-match',
      matchedPattern: 'https://app.acme.com',
      matchedSource: 'tenant',
      tenant: tenant.slug,
      mode: 'enforce',
      policyVersion: version,
      preflight: false,
      headers: {
        'access-control-allow-origin': 'https://app.acme.com',
        'access-control-allow-credentials': 'true',
        'access-control-expose-headers': 'x-request-id',
        vary: 'Origin',
      },
      cacheTtlSeconds: 30,
      route: null,
    });
    expect(resolveResponseSchema.safeParse(res.body).success).toBe(true);
    expect(res.headers['cache-control']).toBe('private, max-age=30');
    expect(res.headers.etag).toMatch(new RegExp(`^"${version}-[0-9a-z]+"$`));
    await resolve(key.bearer, { origin: 'https://app.acme.com' })
      .set('if-none-match', res.headers.etag as string)
      .expect(304);
    // The Fastify route behind the node:http fast path (HEAD, inject()) answers the same.
    const head = await t
      .http()
      .head('/resolve')
      .query({ origin: 'https://app.acme.com' })
      .set('authorization', key.bearer)
      .expect(200);
    expect(head.headers.etag).toBe(res.headers.etag);
    expect(head.headers['cache-control']).toBe('private, max-age=30');
    const traced = await resolve(key.bearer, { origin: 'https://app.acme.com' }).set(
      'x-request-id',
      'trace-1.2:3',
    );
    expect(traced.headers['x-request-id']).toBe('trace-1.2:3');
    const untraced = await resolve(key.bearer, { origin: 'https://app.acme.com' }).set(
      'x-request-id',
      'bad id!',
    );
    expect(untraced.headers['x-request-id']).not.toBe('bad id!');
    // Another decision, another ETag.
    const other = await resolve(key.bearer, { origin: 'https://x.acme.com' }).expect(200);
    expect(other.headers.etag).not.toBe(res.headers.etag);
  });

  it('answers wildcard matches, preflights and refusals (a refused origin is a 200)', async () => {
    const { key, version } = await tenantWithKey();
    const wild = await resolveAtVersion(key.bearer, { origin: 'https://eu.app.acme.com' }, version);
    expect(wild.body).toMatchObject({
      allowed: true,
      reason: 'wildcard-match',
      matchedPattern: 'https://*.acme.com',
    });
    const apex = await resolve(key.bearer, { origin: 'https://acme.com' }).expect(200);
    expect(apex.body).toMatchObject({ allowed: false, reason: 'origin-not-allowed' });
    expect(apex.body.headers).toEqual({ vary: 'Origin' });
    const preflight = await resolve(key.bearer, {
      origin: 'https://app.acme.com',
      method: 'PUT',
      headers: 'content-type',
    }).expect(200);
    expect(preflight.body).toMatchObject({ allowed: true, preflight: true, status: 204 });
    expect(preflight.body.headers).toMatchObject({
      'access-control-allow-origin': 'https://app.acme.com',
      'access-control-allow-methods': 'GET, POST, PUT, DELETE',
      'access-control-allow-headers': 'content-type',
      'access-control-max-age': '600',
    });
    const badHeader = await resolve(key.bearer, {
      origin: 'https://app.acme.com',
      method: 'PUT',
      headers: 'x-secret',
    }).expect(200);
    expect(badHeader.body).toMatchObject({ allowed: false, reason: 'header-not-allowed' });
    const pna = await resolve(key.bearer, {
      origin: 'https://app.acme.com',
      method: 'GET',
      privateNetwork: 'true',
    }).expect(200);
    expect(pna.body).toMatchObject({ allowed: false, reason: 'private-network-not-allowed' });
  });

  it('answers `*`, `null` and expired entries', async () => {
    const any = await tenantWithKey({
      origins: [{ pattern: '*', note: null, expiresAt: null }],
      allowCredentials: false,
    });
    const r1 = await resolveAtVersion(
      any.key.bearer,
      { origin: 'https://whoever.example' },
      any.version,
    );
    expect(r1.body).toMatchObject({ allowed: true, reason: 'any-origin', matchedPattern: '*' });
    expect(r1.body.headers['access-control-allow-origin']).toBe('*');

    const nul = await tenantWithKey({
      origins: [{ pattern: 'null', note: null, expiresAt: null }],
      allowCredentials: false,
    });
    const r2 = await resolveAtVersion(nul.key.bearer, { origin: 'null' }, nul.version);
    expect(r2.body).toMatchObject({ allowed: true, reason: 'exact-match', matchedPattern: 'null' });
    expect(r2.body.headers['access-control-allow-origin']).toBe('null');

    const expired = await tenantWithKey({
      origins: [
        { pattern: 'https://old.acme.com', note: null, expiresAt: '2020-01-01T00:00:00Z' },
        { pattern: 'https://new.acme.com', note: null, expiresAt: '2999-01-01T00:00:00Z' },
      ],
    });
    const r3 = await resolveAtVersion(
      expired.key.bearer,
      { origin: 'https://old.acme.com' },
      expired.version,
    );
    expect(r3.body).toMatchObject({ allowed: false, reason: 'expired' });
    expect(r3.body.headers['access-control-allow-origin']).toBeUndefined();
    const r4 = await resolve(expired.key.bearer, { origin: 'https://new.acme.com' }).expect(200);
    expect(r4.body).toMatchObject({ allowed: true, reason: 'exact-match' });
  });

  it('report-only: allowed headers without credentials, the would-be reason, reportOnly: true, and logged as blocked', async () => {
    const { tenant, key, version } = await tenantWithKey({
      mode: 'report-only',
      allowPrivateNetwork: true,
    });
    const res = await resolveAtVersion(key.bearer, { origin: 'https://evil.example' }, version);
    expect(res.body).toMatchObject({
      allowed: true,
      reason: 'origin-not-allowed',
      mode: 'report-only',
      reportOnly: true,
    });
    // SPEC §3: a would-be refusal never grants credentials or private-network access.
    expect(res.body.headers).toEqual({
      'access-control-allow-origin': 'https://evil.example',
      'access-control-expose-headers': 'x-request-id',
      vary: 'Origin',
    });
    const preflight = await resolve(key.bearer, {
      origin: 'https://evil.example',
      method: 'DELETE',
      headers: 'authorization,x-anything',
      privateNetwork: 'true',
    }).expect(200);
    expect(preflight.body).toMatchObject({ allowed: true, reportOnly: true });
    expect(preflight.body.headers['access-control-allow-credentials']).toBeUndefined();
    expect(preflight.body.headers['access-control-allow-private-network']).toBeUndefined();
    const ok = await resolve(key.bearer, { origin: 'https://app.acme.com' }).expect(200);
    expect(ok.body.reportOnly).toBeUndefined();
    expect(ok.body.headers['access-control-allow-credentials']).toBe('true');
    await t.app.get(BlockedLogService).flush();
    const rows = await t.prisma.blockedOriginAggregate.findMany({ where: { tenantId: tenant.id } });
    expect(rows.map((r) => [r.origin, r.reason])).toContainEqual([
      'https://evil.example',
      'origin-not-allowed',
    ]);
  });

  it('refuses malformed and hostile origins with malformed-origin, never echoing them, never a 500', async () => {
    const { key } = await tenantWithKey();
    const hostile = [
      'https://app.acme.com/path',
      'https://app.acme.com, https://evil.example',
      'https://app.acme.com\r\nset-cookie: x=1',
      'https://app.acme.com\u0000',
      'https://ápp.acme.com',
      `https://${'a'.repeat(5000)}.com`,
      ' https://app.acme.com',
      '',
      '%',
    ];
    for (const origin of hostile) {
      const res = await resolve(key.bearer, { origin }).expect(200);
      expect(res.body).toMatchObject({ allowed: false, reason: 'malformed-origin' });
      expect(JSON.stringify(res.body.headers)).not.toContain('acme');
    }
    const twice = await resolve(key.bearer, {
      origin: ['https://app.acme.com', 'https://app.acme.com'],
    }).expect(200);
    expect(twice.body).toMatchObject({ allowed: false, reason: 'malformed-origin' });
    await t.app.get(BlockedLogService).flush();
  });

  it('401 for a missing, malformed, unknown or revoked key; 400 without origin or with a bad privateNetwork', async () => {
    const { tenant, key } = await tenantWithKey();
    await t.http().get('/resolve').query({ origin: 'https://app.acme.com' }).expect(401);
    for (const bearer of [
      'Bearer nope',
      'Basic abc',
      'Bearer cpk_live_aaaaaaaa_bbbbbbbb',
      admin.bearer,
    ]) {
      const res = await resolve(bearer, { origin: 'https://app.acme.com' }).expect(401);
      expect(res.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: expect.any(String),
      });
    }
    const missing = await t.http().get('/resolve').set('authorization', key.bearer).expect(400);
    expect(missing.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    await resolve(key.bearer, { origin: 'https://a.com', privateNetwork: 'yes' }).expect(400);
    // The request's own header values, however hostile, are the engine's to refuse (SPEC §3).
    const hostile: Array<[Record<string, string | string[]>, string]> = [
      [{ method: ['GET', 'PUT'] }, 'method-not-allowed'],
      [{ method: '' }, 'method-not-allowed'],
      [{ method: 'GET', headers: 'x'.repeat(8193) }, 'header-not-allowed'],
    ];
    for (const [query, reason] of hostile) {
      const refused = await resolve(key.bearer, {
        origin: 'https://app.acme.com',
        ...query,
      }).expect(200);
      expect(refused.body).toMatchObject({ allowed: false, reason, preflight: true, status: 403 });
    }

    await resolve(key.bearer, { origin: 'https://app.acme.com' }).expect(200);
    await t
      .http()
      .delete(`/v1/tenants/${tenant.slug}/keys/${key.id}`)
      .set('authorization', admin.bearer)
      .expect(204);
    const deadline = Date.now() + 3000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      status = (await resolve(key.bearer, { origin: 'https://app.acme.com' })).status;
    }
    expect(status).toBe(401);
  });

  it('a tenant key of B cannot resolve for A; a platform key resolves with tenant=', async () => {
    const a = await tenantWithKey();
    const b = await tenantWithKey({
      origins: [{ pattern: 'https://b.example', note: null, expiresAt: null }],
    });
    const cross = await resolve(b.key.bearer, {
      origin: 'https://app.acme.com',
      tenant: a.tenant.slug,
    }).expect(403);
    expect(cross.body.message).not.toContain(a.tenant.slug);
    // Without tenant=, B's key answers for B only.
    const own = await resolveAtVersion(b.key.bearer, { origin: 'https://app.acme.com' }, b.version);
    expect(own.body).toMatchObject({ tenant: b.tenant.slug, allowed: false });
    await resolve(b.key.bearer, { origin: 'https://b.example', tenant: b.tenant.slug }).expect(200);

    const platform = await createKey(t, null, 'edge');
    const res = await resolveAtVersion(
      platform.bearer,
      { origin: 'https://app.acme.com', tenant: a.tenant.slug },
      a.version,
    );
    expect(res.body).toMatchObject({ tenant: a.tenant.slug, allowed: true, reason: 'exact-match' });
    await resolve(platform.bearer, { origin: 'https://app.acme.com' }).expect(400);
    await resolve(platform.bearer, {
      origin: 'https://app.acme.com',
      tenant: 'no-such-tenant',
    }).expect(404);
    await resolve(platform.bearer, { origin: 'https://app.acme.com', tenant: 'Not A Slug' }).expect(
      400,
    );
  });

  it('reflects a policy change, a tenant deletion and is in /docs', async () => {
    const { tenant, key, version } = await tenantWithKey();
    await resolveAtVersion(key.bearer, { origin: 'https://new.example' }, version);
    const v2 = await setPolicy(tenant.slug, {
      origins: [{ pattern: 'https://new.example', note: null, expiresAt: null }],
    });
    const res = await resolveAtVersion(key.bearer, { origin: 'https://new.example' }, v2);
    expect(res.body).toMatchObject({ policyVersion: v2, allowed: true });
    await t
      .http()
      .delete(`/v1/tenants/${tenant.slug}`)
      .set('authorization', admin.bearer)
      .expect(204);
    const deadline = Date.now() + 3000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      status = (await resolve(key.bearer, { origin: 'https://new.example' })).status;
    }
    expect([401, 404]).toContain(status);
    const docs = await t.http().get('/docs-json').expect(200);
    expect(docs.body.paths['/resolve'].get.parameters.map((p: { name: string }) => p.name)).toEqual(
      ['origin', 'method', 'headers', 'privateNetwork', 'tenant', 'path'],
    );
    expect(docs.body.paths['/resolve/events'].post).toBeDefined();
  });
});

describe('POST /resolve/events and the blocked-origin log', () => {
  it('accepts the SDK batch shape (202), adds it to the counts, and lists them with filters', async () => {
    const { tenant, key } = await tenantWithKey();
    await resolve(key.bearer, { origin: 'https://evil.example' }).expect(200);
    const now = new Date().toISOString();
    const res = await t
      .http()
      .post('/resolve/events')
      .set('authorization', key.bearer)
      .send({
        events: [
          {
            origin: 'https://evil.example',
            reason: 'origin-not-allowed',
            count: 41,
            firstSeen: now,
            lastSeen: now,
          },
          {
            origin: 'https://other.example',
            reason: 'service-unavailable',
            count: 2,
            firstSeen: now,
            lastSeen: now,
          },
        ],
        overflow: 5,
      })
      .expect(202);
    expect(res.body).toEqual({ accepted: 2, overflow: 5 });
    await t.app.get(BlockedLogService).flush();
    const list = await t
      .http()
      .get(`/v1/tenants/${tenant.slug}/blocked-origins`)
      .set('authorization', admin.bearer)
      .expect(200);
    expect(list.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          origin: 'https://evil.example',
          reason: 'origin-not-allowed',
          count: 42,
        }),
        expect.objectContaining({
          origin: 'https://other.example',
          reason: 'service-unavailable',
          count: 2,
        }),
        expect.objectContaining({ origin: '(overflow)', reason: 'unspecified', count: 5 }),
      ]),
    );
    const filtered = await t
      .http()
      .get(`/v1/tenants/${tenant.slug}/blocked-origins`)
      .query({ q: 'evil' })
      .set('authorization', admin.bearer)
      .expect(200);
    expect(filtered.body.items).toHaveLength(1);
  });

  it('refuses bad batches (400), other tenants (403) and non-keys', async () => {
    const a = await tenantWithKey();
    const b = await tenantWithKey();
    const now = new Date().toISOString();
    const ev = {
      origin: 'https://x.example',
      reason: 'origin-not-allowed',
      count: 1,
      firstSeen: now,
      lastSeen: now,
    };
    const post = (bearer: string, body: unknown) =>
      t
        .http()
        .post('/resolve/events')
        .set('authorization', bearer)
        .send(body as object);
    await post(a.key.bearer, { events: [{ ...ev, count: 0 }], overflow: 0 }).expect(400);
    await post(a.key.bearer, { events: [{ ...ev, extra: 1 }], overflow: 0 }).expect(400);
    await post(a.key.bearer, { events: [{ ...ev, origin: 'x'.repeat(2049) }], overflow: 0 }).expect(
      400,
    );
    // 10,001 events are over the schema's cap, and over the 1 MiB body limit, which answers first.
    await post(a.key.bearer, { events: Array(10_001).fill(ev), overflow: 0 }).expect(413);
    await post(a.key.bearer, { events: [ev], overflow: 0, tenant: b.tenant.slug }).expect(403);
    await post(admin.bearer, { events: [ev], overflow: 0 }).expect(401);
    const platform = await createKey(t, null, 'edge');
    await post(platform.bearer, { events: [ev], overflow: 0 }).expect(400);
    await post(platform.bearer, { events: [ev], overflow: 0, tenant: b.tenant.slug }).expect(202);
  });

  it('purges rows older than the retention', async () => {
    const { tenant } = await tenantWithKey();
    const old = new Date(Date.now() - 40 * 24 * 3600 * 1000);
    await t.prisma.blockedOriginAggregate.create({
      data: {
        tenantId: tenant.id,
        origin: 'https://old.example',
        reason: 'origin-not-allowed',
        hour: old,
        count: 1,
        firstSeen: old,
        lastSeen: old,
      },
    });
    await t.app.get(BlockedLogService).purge();
    expect(
      await t.prisma.blockedOriginAggregate.count({
        where: { tenantId: tenant.id, origin: 'https://old.example' },
      }),
    ).toBe(0);
  });
});

describe('/metrics', () => {
  it('has the resolve, cache, invalidation and blocked-log series and no origin in any label', async () => {
    const { key } = await tenantWithKey();
    await resolve(key.bearer, { origin: 'https://metrics-origin.example' }).expect(200);
    const res = await t.http().get('/metrics').expect(200);
    for (const name of [
      'corsplane_resolve_decisions_total{reason="origin-not-allowed",allowed="false"}',
      'corsplane_resolve_duration_seconds_bucket',
      'corsplane_resolve_cache_hits_total{cache="policy"}',
      'corsplane_resolve_cache_misses_total{cache="key"}',
      'corsplane_resolve_cache_loads_total{cache="policy"}',
      'corsplane_cache_invalidations_received_total{kind="policy"}',
      'corsplane_blocked_flush_size_bucket',
      'corsplane_blocked_overflow_total',
      'corsplane_change_listener_connected 1',
    ]) {
      expect(res.text).toContain(name);
    }
    expect(res.text).not.toContain('metrics-origin');
  });
});
