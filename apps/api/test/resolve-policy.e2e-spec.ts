import { resolvePolicyResponseSchema, type PolicyInput } from '@corsplane/contracts';
import { MetricsService } from '../src/modules/metrics/metrics.service.js';
import {
  createKey,
  createTenant,
  createUser,
  replacePolicy,
  validPolicy,
  type TestUser,
} from './factories/factories.js';
import { createTestApp, type TestApp } from './factories/test-app.js';

// GET /resolve/policy (SPEC §5): the effective policy the SDK compiles, under the key and tenant rule of
// GET /resolve, from the same policy cache.
let t: TestApp;
let admin: TestUser;
let platformKey: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createUser(t, { platformRole: 'admin' });
  platformKey = (await createKey(t, null, 'platform')).bearer;
});
afterAll(() => t.close());

function getPolicy(bearer: string | null, query: Record<string, string | string[]> = {}) {
  const req = t.http().get('/resolve/policy').query(query);
  return bearer === null ? req : req.set('authorization', bearer);
}

/** Polls until /resolve/policy serves `version` (NOTIFY reaches this process right after the commit). */
async function policyAtVersion(bearer: string, version: number) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const res = await getPolicy(bearer).expect(200);
    if (res.body.version === version) return res;
    if (Date.now() > deadline) throw new Error(`/resolve/policy never served version ${version}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function tenantWithKey(overrides: Partial<PolicyInput> = {}) {
  const tenant = await createTenant(t);
  const version = await replacePolicy(t, admin, tenant.slug, validPolicy(overrides));
  const key = await createKey(t, tenant);
  return { tenant, key, version };
}

async function policyLoads(): Promise<number> {
  const metric = await t.app.get(MetricsService).cacheLoads.get();
  return metric.values.find((v) => v.labels.cache === 'policy')?.value ?? 0;
}

describe('GET /resolve/policy', () => {
  it('answers the stored policy, normalised, with ETag, Cache-Control: no-cache and Content-Length', async () => {
    const { tenant, key, version } = await tenantWithKey({
      origins: [
        { pattern: 'HTTPS://App.Acme.com:443', note: 'prod', expiresAt: null },
        { pattern: 'https://*.acme.com', note: null, expiresAt: '2099-01-01T00:00:00.000Z' },
      ],
      allowedMethods: ['get', 'PATCH'],
    });
    const res = await policyAtVersion(key.bearer, version);
    expect(resolvePolicyResponseSchema.parse(res.body)).toEqual(res.body);
    const stored = await t
      .http()
      .get(`/v1/tenants/${tenant.slug}/policy`)
      .set('authorization', admin.bearer)
      .expect(200);
    const { version: storedVersion, ...document } = stored.body as PolicyInput & {
      version: number;
    };
    expect(storedVersion).toBe(version);
    expect(res.body).toEqual({
      tenant: tenant.slug,
      // No baseline saved in this database: the effective version is the policy's own.
      version,
      tenantVersion: version,
      baselineVersion: 0,
      // The engine's document: notes are not served.
      policy: {
        ...document,
        origins: document.origins.map(({ pattern, expiresAt }) => ({ pattern, expiresAt })),
      },
      candidate: null,
    });
    expect(res.body.policy.origins).toEqual([
      { pattern: 'https://app.acme.com', expiresAt: null },
      { pattern: 'https://*.acme.com', expiresAt: '2099-01-01T00:00:00.000Z' },
    ]);
    expect(res.body.policy.allowedMethods).toEqual(['GET', 'PATCH']);
    expect(res.headers.etag).toBe(`"${version}"`);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
  });

  it('answers 304 without a body when If-None-Match names the current version', async () => {
    const { key, version } = await tenantWithKey();
    await policyAtVersion(key.bearer, version);
    for (const ifNoneMatch of [
      `"${version}"`,
      String(version),
      `W/"${version}"`,
      `"${version + 100}", "${version}"`,
      '*',
    ]) {
      const res = await getPolicy(key.bearer).set('if-none-match', ifNoneMatch);
      expect({ ifNoneMatch, status: res.status }).toEqual({ ifNoneMatch, status: 304 });
      expect(res.text).toBe('');
      expect(res.headers.etag).toBe(`"${version}"`);
    }
    const stale = await getPolicy(key.bearer).set('if-none-match', `"${version - 1}"`);
    expect(stale.status).toBe(200);
    expect(stale.body.version).toBe(version);
  });

  it('serves a new version after a policy change, and each version from the cache', async () => {
    const { tenant, key, version } = await tenantWithKey();
    await policyAtVersion(key.bearer, version);
    const next = await replacePolicy(
      t,
      admin,
      tenant.slug,
      validPolicy({ origins: [{ pattern: 'https://new.acme.com' }] }),
    );
    const res = await policyAtVersion(key.bearer, next);
    expect(res.body.policy.origins).toEqual([{ pattern: 'https://new.acme.com', expiresAt: null }]);
    const old = await getPolicy(key.bearer).set('if-none-match', `"${version}"`).expect(200);
    expect(old.headers.etag).toBe(`"${next}"`);

    // Refetches of a cached version cost no database load (the same entry as /resolve).
    const loads = await policyLoads();
    const answers = await Promise.all(Array.from({ length: 20 }, () => getPolicy(key.bearer)));
    expect(answers.map((a) => [a.status, a.body.version])).toEqual(
      Array.from({ length: 20 }, () => [200, next]),
    );
    await t
      .http()
      .get('/resolve?origin=https%3A%2F%2Fnew.acme.com')
      .set('authorization', key.bearer)
      .expect(200);
    expect(await policyLoads()).toBe(loads);
  });

  it('takes a platform key with tenant=', async () => {
    const { tenant, version } = await tenantWithKey();
    const res = await getPolicy(platformKey, { tenant: tenant.slug }).expect(200);
    expect(res.body.tenant).toBe(tenant.slug);
    expect(res.body.version).toBeGreaterThanOrEqual(1);
    expect(res.body.version).toBeLessThanOrEqual(version);
  });

  it('accepts a tenant key naming its own tenant', async () => {
    const { tenant, key } = await tenantWithKey();
    const res = await getPolicy(key.bearer, { tenant: tenant.slug }).expect(200);
    expect(res.body.tenant).toBe(tenant.slug);
  });

  it('refuses a missing, malformed or unknown key with 401 and WWW-Authenticate: Bearer', async () => {
    for (const bearer of [null, 'Basic abc', 'Bearer cpk_live_not-a-real-key']) {
      const res = await getPolicy(bearer);
      expect({ bearer, status: res.status }).toEqual({ bearer, status: 401 });
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: expect.stringContaining('Bearer') as string,
      });
    }
  });

  it('refuses a revoked key with 401', async () => {
    const { tenant, key } = await tenantWithKey();
    await getPolicy(key.bearer).expect(200);
    await t
      .http()
      .delete(`/v1/tenants/${tenant.slug}/keys/${key.id}`)
      .set('authorization', admin.bearer)
      .expect(204);
    const deadline = Date.now() + 10_000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      status = (await getPolicy(key.bearer)).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 10));
    }
    expect(status).toBe(401);
  });

  it('answers 400 for a platform key without tenant, an invalid slug or tenant twice', async () => {
    const cases: Array<[Record<string, string | string[]>, string]> = [
      [{}, 'A platform key needs the tenant query parameter'],
      [{ tenant: 'Not A Slug' }, 'tenant is not a valid tenant slug'],
      [{ tenant: '' }, 'tenant is not a valid tenant slug'],
      [{ tenant: ['a', 'b'] }, 'tenant must be one slug'],
    ];
    for (const [query, message] of cases) {
      const res = await getPolicy(platformKey, query);
      expect({ query, status: res.status, body: res.body }).toEqual({
        query,
        status: 400,
        body: { statusCode: 400, error: 'Bad Request', message },
      });
    }
  });

  it('answers 403 when a tenant key names another tenant', async () => {
    const { key } = await tenantWithKey();
    const other = await createTenant(t);
    const res = await getPolicy(key.bearer, { tenant: other.slug }).expect(403);
    expect(res.body).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'This key belongs to another tenant',
    });
  });

  it('answers 404 for an unknown tenant', async () => {
    const res = await getPolicy(platformKey, { tenant: 'no-such-tenant-here' }).expect(404);
    expect(res.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Tenant "no-such-tenant-here" not found',
    });
  });

  it('is documented in /docs-json', async () => {
    const res = await t.http().get('/docs-json').expect(200);
    const path = res.body.paths['/resolve/policy'];
    expect(Object.keys(path.get.responses).sort()).toEqual(
      ['200', '304', '400', '401', '403', '404', '429', '503'].sort(),
    );
  });
});
