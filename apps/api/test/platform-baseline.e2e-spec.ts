import { jest } from '@jest/globals';
import { resolvePolicyResponseSchema } from '@corsplane/contracts';
import { ChangesService, type Change } from '../src/modules/changes/changes.service.js';
import { MetricsService } from '../src/modules/metrics/metrics.service.js';
import {
  createKey,
  createTenant,
  createUser,
  replacePolicy,
  uniq,
  validPolicy,
  type TestUser,
} from './factories/factories.js';
import { listen, openStream } from './factories/sse-client.js';
import { createTestApp, type TestApp } from './factories/test-app.js';

// The platform baseline (SPEC §2.2) on real PostgreSQL: GET/PUT /v1/platform/policy, `{tenant}` expansion
// checked against every slug, the effective policy in /resolve, /resolve/policy and /resolve/changes.
jest.setTimeout(180_000);

const BASELINE = '/v1/platform/policy';
let t: TestApp;
let admin: TestUser;
let viewer: TestUser;
let platformKey: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createUser(t, { platformRole: 'admin' });
  viewer = await createUser(t, { platformRole: 'viewer' });
  platformKey = (await createKey(t, null, 'platform')).bearer;
});
afterAll(() => t.close());

/** `{pattern}` entries; objects pass through. */
const entries = (origins: Array<string | object>) =>
  origins.map((o) => (typeof o === 'string' ? { pattern: o } : o));

/** PUTs a baseline with the current ETag; returns the response (not asserted). */
async function putBaseline(origins: Array<string | object>, as: TestUser = admin) {
  const current = await t.http().get(BASELINE).set('authorization', admin.bearer).expect(200);
  return t
    .http()
    .put(BASELINE)
    .set('authorization', as.bearer)
    .set('if-match', current.headers.etag as string)
    .send({ origins: entries(origins) });
}

async function saveBaseline(origins: Array<string | object>): Promise<number> {
  const res = await putBaseline(origins);
  if (res.status !== 200) throw new Error(`baseline refused: ${JSON.stringify(res.body)}`);
  return res.body.version as number;
}

function resolve(slug: string, origin: string) {
  return t
    .http()
    .get('/resolve')
    .query({ origin, tenant: slug })
    .set('authorization', platformKey)
    .expect(200);
}

/** Polls /resolve until `check` holds for the answer (NOTIFY reaches this process right after the commit). */
async function untilResolve(
  slug: string,
  origin: string,
  check: (body: Record<string, unknown>) => boolean,
) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const res = await resolve(slug, origin);
    if (check(res.body)) return res.body;
    if (Date.now() > deadline)
      throw new Error(`/resolve for ${slug} never matched: ${JSON.stringify(res.body)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function compiles(): Promise<number> {
  return (await t.app.get(MetricsService).policyCompiles.get()).values[0]?.value ?? 0;
}

describe('GET/PUT /v1/platform/policy', () => {
  it('starts empty at version 0; PUT needs If-Match; each save is a version and an audit row', async () => {
    const first = await t.http().get(BASELINE).set('authorization', viewer.bearer).expect(200);
    const start = first.body.version as number;
    expect(first.headers.etag).toBe(`"${start}"`);

    const missing = await t
      .http()
      .put(BASELINE)
      .set('authorization', admin.bearer)
      .send({ origins: [] });
    expect(missing.status).toBe(428);

    const saved = await putBaseline([{ pattern: 'HTTPS://Ops.Example.com:443', note: 'ops' }]);
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({
      origins: [{ pattern: 'https://ops.example.com', note: 'ops' }],
      version: start + 1,
    });
    expect(saved.headers.etag).toBe(`"${start + 1}"`);

    const stale = await t
      .http()
      .put(BASELINE)
      .set('authorization', admin.bearer)
      .set('if-match', `"${start}"`)
      .send({ origins: [] });
    expect(stale.status).toBe(412);

    const versions = await t
      .http()
      .get(`${BASELINE}/versions`)
      .set('authorization', viewer.bearer)
      .expect(200);
    expect(versions.body.items[0]).toMatchObject({
      version: start + 1,
      baseline: { origins: [{ pattern: 'https://ops.example.com', note: 'ops' }] },
    });
    const audit = await t
      .http()
      .get('/v1/audit')
      .query({ action: 'platform-policy.update' })
      .set('authorization', admin.bearer)
      .expect(200);
    expect(audit.body.items[0]).toMatchObject({
      action: 'platform-policy.update',
      tenant: null,
      after: { version: start + 1, origins: [{ pattern: 'https://ops.example.com' }] },
    });
  });

  it('is read by platform roles and written by platform admins only', async () => {
    const tenant = await createTenant(t);
    const editor = await createUser(t, { memberships: [{ tenantId: tenant.id, role: 'editor' }] });
    await t.http().get(BASELINE).set('authorization', editor.bearer).expect(403);
    expect((await putBaseline([], viewer)).status).toBe(403);
    expect((await putBaseline([], editor)).status).toBe(403);
  });

  it('refuses a bad entry with 422 naming it, and saves nothing', async () => {
    const before = await t.http().get(BASELINE).set('authorization', admin.bearer).expect(200);
    const res = await putBaseline(['https://fine.example', '*', 'https://{tenant}.x.example/path']);
    expect(res.status).toBe(422);
    expect(res.body.details).toEqual([
      expect.objectContaining({ path: 'origins[1].pattern', reason: 'baseline-any-origin' }),
      expect.objectContaining({ path: 'origins[2].pattern', reason: 'has-path' }),
    ]);
    const after = await t.http().get(BASELINE).set('authorization', admin.bearer).expect(200);
    expect(after.body).toEqual(before.body);
  });

  it('checks {tenant} for every existing slug, and refuses a new tenant whose slug would break it', async () => {
    const long = `${'a'.repeat(53)}${uniq('s').slice(2)}`;
    const tenant = await createTenant(t, { slug: long });
    const refused = await putBaseline(['https://{tenant}-eu.example.com']);
    expect(refused.status).toBe(422);
    expect(refused.body.message).toContain(`for tenant "${long}"`);
    expect(refused.body.details[0]).toMatchObject({
      path: 'origins[0].pattern',
      reason: 'invalid-for-tenant',
    });

    await t.http().delete(`/v1/tenants/${tenant.slug}`).set('authorization', admin.bearer);
    await saveBaseline(['https://{tenant}-eu.example.com']);
    const created = await t
      .http()
      .post('/v1/tenants')
      .set('authorization', admin.bearer)
      .send({ slug: long, name: 'Too long for the baseline' });
    expect(created.status).toBe(422);
    expect(created.body.message).toContain(`"${long}"`);
    await t.http().get(`/v1/tenants/${long}`).set('authorization', admin.bearer).expect(404);
    await saveBaseline([]);
  });
});

describe('the effective policy: tenant ∪ expanded baseline', () => {
  it('a baseline change is seen by every tenant’s /resolve, with matchedSource', async () => {
    const tenants = await Promise.all([createTenant(t), createTenant(t), createTenant(t)]);
    for (const tenant of tenants) {
      await replacePolicy(t, admin, tenant.slug, validPolicy());
      // Cached before the change: the change must reach the cached entries too.
      expect((await resolve(tenant.slug, `https://${tenant.slug}.app.example`)).body.allowed).toBe(
        false,
      );
    }
    await saveBaseline([{ pattern: 'https://{tenant}.app.example', note: 'console' }]);
    for (const tenant of tenants) {
      const body = await untilResolve(
        tenant.slug,
        `https://${tenant.slug}.app.example`,
        (b) => b.allowed === true,
      );
      expect(body).toMatchObject({ matchedSource: 'baseline', reason: 'exact-match' });
      // Another tenant's expansion is not this tenant's.
      const other = tenants.find((x) => x !== tenant)?.slug as string;
      expect((await resolve(tenant.slug, `https://${other}.app.example`)).body.allowed).toBe(false);
      // The tenant's own entries still answer, credentials and all (the fields stay the tenant's).
      expect((await resolve(tenant.slug, 'https://app.acme.com')).body).toMatchObject({
        allowed: true,
        matchedSource: 'tenant',
        headers: { 'access-control-allow-credentials': 'true' },
      });
    }
    await saveBaseline([]);
  });

  it('the tenant’s editor reads the expanded baseline entries', async () => {
    const tenant = await createTenant(t);
    const editor = await createUser(t, { memberships: [{ tenantId: tenant.id, role: 'viewer' }] });
    const version = await saveBaseline(['https://{tenant}.app.example', 'https://ops.example.com']);
    const res = await t
      .http()
      .get(`/v1/tenants/${tenant.slug}/policy/baseline`)
      .set('authorization', editor.bearer)
      .expect(200);
    expect(res.body).toEqual({
      version,
      origins: [
        {
          pattern: `https://${tenant.slug}.app.example`,
          note: null,
          template: 'https://{tenant}.app.example',
        },
        { pattern: 'https://ops.example.com', note: null, template: 'https://ops.example.com' },
      ],
    });
    await saveBaseline([]);
  });

  it('/resolve/policy serves the effective policy with sources; its version is tenant + baseline', async () => {
    const tenant = await createTenant(t);
    const tenantVersion = await replacePolicy(t, admin, tenant.slug, validPolicy());
    const key = await createKey(t, tenant);
    const before = await t.http().get('/resolve/policy').set('authorization', key.bearer);
    const baselineVersion = await saveBaseline(['https://{tenant}.app.example']);
    const version = tenantVersion + baselineVersion;
    const deadline = Date.now() + 20_000;
    let res;
    for (;;) {
      res = await t
        .http()
        .get('/resolve/policy')
        .set('authorization', key.bearer)
        .set('if-none-match', before.headers.etag as string);
      if (res.status === 200 && res.body.version === version) break;
      if (Date.now() > deadline) throw new Error(`never served ${version}: ${res.status}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(resolvePolicyResponseSchema.parse(res.body)).toEqual(res.body);
    expect(res.headers.etag).toBe(`"${version}"`);
    expect(res.body).toMatchObject({
      tenant: tenant.slug,
      version,
      tenantVersion,
      baselineVersion,
    });
    expect(res.body.policy.origins).toEqual([
      { pattern: 'https://app.acme.com', expiresAt: null },
      { pattern: 'https://*.acme.com', expiresAt: null },
      { pattern: `https://${tenant.slug}.app.example`, expiresAt: null, source: 'baseline' },
    ]);
    await saveBaseline([]);
  });

  it('simulate decides with the baseline too, for the stored policy and for a draft, as /resolve does', async () => {
    const tenant = await createTenant(t);
    const tenantVersion = await replacePolicy(t, admin, tenant.slug, validPolicy());
    await saveBaseline([{ pattern: 'https://{tenant}.app.example', note: 'console' }]);
    const origin = `https://${tenant.slug}.app.example`;
    const simulate = (body: object) =>
      t
        .http()
        .post(`/v1/tenants/${tenant.slug}/simulate`)
        .set('authorization', admin.bearer)
        .send({ origin, ...body })
        .expect(200);

    const live = await untilResolve(tenant.slug, origin, (b) => b.allowed === true);
    const stored = (await simulate({})).body;
    // The same decision and headers as /resolve; the version is the tenant policy's own (the console's).
    for (const field of ['allowed', 'reason', 'matchedPattern', 'matchedSource', 'headers'])
      expect(stored[field]).toEqual(live[field]);
    expect(stored).toMatchObject({
      matchedSource: 'baseline',
      policyVersion: tenantVersion,
      matchedEntry: { pattern: origin, source: 'baseline' },
    });
    // A draft cannot drop a baseline entry: tenants cannot remove one (SPEC §2.2).
    const draft = (await simulate({ policy: validPolicy({ origins: [] }) })).body;
    expect(draft).toMatchObject({ allowed: true, matchedSource: 'baseline', policyVersion: 0 });
    // Another tenant's expansion is not this tenant's.
    const other = await t
      .http()
      .post(`/v1/tenants/${tenant.slug}/simulate`)
      .set('authorization', admin.bearer)
      .send({ origin: 'https://someone-else.app.example' })
      .expect(200);
    expect(other.body).toMatchObject({ allowed: false, reason: 'origin-not-allowed' });
    // A baseline change is seen by the next simulate (the compiled policy is kept per baseline version too).
    await saveBaseline([]);
    expect((await simulate({})).body).toMatchObject({
      allowed: false,
      reason: 'origin-not-allowed',
      policyVersion: tenantVersion,
    });
  });

  it('one NOTIFY per baseline change; every stream gets a policy event per tenant it follows', async () => {
    const url = await listen(t);
    const [a, b] = [await createTenant(t), await createTenant(t)];
    const va = await replacePolicy(t, admin, a.slug, validPolicy());
    const keyA = await createKey(t, a);
    const own = await openStream(url, keyA.bearer);
    const platform = await openStream(url, platformKey, `?tenant=${a.slug},${b.slug}`);
    // Every change is published (and NOTIFYed) inside its transaction: record what the PUT publishes.
    const published: Change[] = [];
    let recording = true;
    t.app.get(ChangesService).onChange(async (_db, change) => {
      if (recording) published.push(change);
    });
    const version = await saveBaseline(['https://{tenant}.app.example']);
    recording = false;
    expect(published).toEqual([{ kind: 'baseline', tenantId: null, version }]);

    const expected = [
      { event: 'policy', data: { tenant: a.slug, version: va + version } },
      { event: 'policy', data: { tenant: b.slug, version: 1 + version } },
    ];
    // Events of the writes above may still arrive (their NOTIFY can trail the commit): look for these.
    const has = (events: unknown[], e: unknown) =>
      events.some((x) => JSON.stringify(x) === JSON.stringify(e)) ? true : undefined;
    await own.until('the baseline event', () => has(own.events(), expected[0]));
    await platform.until(
      'both baseline events',
      () => has(platform.events(), expected[0]) && has(platform.events(), expected[1]),
    );
    await saveBaseline([]);
  });
});

describe('{tenant} expansion for 1,000 tenants', () => {
  it('costs one compile per tenant, on each tenant’s next use (counted, not timed)', async () => {
    const prefix = uniq('bulk');
    // 1,000 tenants with their (empty) policy rows in two statements: the factory's API path is not under test.
    await t.prisma.$executeRawUnsafe(
      `INSERT INTO tenants (id, slug, name, created_at, updated_at)
       SELECT gen_random_uuid(), $1 || '-' || i, 'bulk', now(), now() FROM generate_series(1, 1000) i`,
      prefix,
    );
    await t.prisma.$executeRawUnsafe(
      `INSERT INTO policies (tenant_id, version, mode, allowed_methods, allowed_headers, exposed_headers,
         allow_credentials, max_age_seconds, allow_private_network, updated_at)
       SELECT id, 1, 'enforce', '{}', '{}', '{}', false, NULL, false, now() FROM tenants
       WHERE slug LIKE $1 || '-%'`,
      prefix,
    );
    const slugs = Array.from({ length: 1000 }, (_, i) => `${prefix}-${i + 1}`);
    const v1 = await saveBaseline(['https://{tenant}.app.example', 'https://ops.example.com']);

    const before = await compiles();
    for (const slug of slugs) {
      const body = (await resolve(slug, `https://${slug}.app.example`)).body;
      expect(body).toMatchObject({
        allowed: true,
        matchedSource: 'baseline',
        policyVersion: 1 + v1,
      });
    }
    expect(await compiles()).toBe(before + 1000);
    // Held: asking again compiles nothing.
    for (const slug of slugs.slice(0, 100)) await resolve(slug, 'https://ops.example.com');
    expect(await compiles()).toBe(before + 1000);

    // A change compiles nothing by itself: the first tenant asked compiles once, the rest when asked.
    const v2 = await saveBaseline(['https://{tenant}.app2.example']);
    const first = slugs[0] as string;
    await untilResolve(first, `https://${first}.app2.example`, (b) => b.allowed === true);
    expect(await compiles()).toBe(before + 1001);
    for (const slug of slugs) {
      const body = (await resolve(slug, `https://${slug}.app2.example`)).body;
      expect(body).toMatchObject({ allowed: true, policyVersion: 1 + v2 });
    }
    expect(await compiles()).toBe(before + 2000);
    await saveBaseline([]);
  });
});
