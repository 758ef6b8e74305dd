import { jest } from '@jest/globals';
import pg from 'pg';
import { MAX_POLICY_ORIGINS } from '@corsplane/policy';
import {
  createKey,
  createTenant,
  createUser,
  manyOrigins,
  uniq,
  untilResolveServes,
  validPolicy,
  type TestUser,
} from './factories/factories.js';
import { createTestApp, type TestApp } from './factories/test-app.js';
import { LISTENER_APPLICATION_NAME } from '../src/modules/resolve/change-listener.service.js';
import { SimulatePolicies } from '../src/modules/policies/simulate-policies.js';

let t: TestApp;
let admin: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createUser(t, { platformRole: 'admin' });
});
afterAll(() => t.close());

/** PUT a policy document as the platform admin with If-Match, expecting 200. */
const putPolicy = (url: string, ifMatch: string, body: object) =>
  t
    .http()
    .put(url)
    .set('authorization', admin.bearer)
    .set('if-match', ifMatch)
    .send(body)
    .expect(200);

const auditCount = (tenantId: string) => t.prisma.auditEvent.count({ where: { tenantId } });

describe('tenants', () => {
  it('creates a tenant with a deny-all policy at version 1, and audits it', async () => {
    const slug = uniq('acme');
    const res = await t
      .http()
      .post('/v1/tenants')
      .set('authorization', admin.bearer)
      .send({ slug, name: 'Acme' })
      .expect(201);
    expect(res.body).toMatchObject({ slug, name: 'Acme' });
    const policy = await t
      .http()
      .get(`/v1/tenants/${slug}/policy`)
      .set('authorization', admin.bearer)
      .expect(200);
    expect(policy.headers.etag).toBe('"1"');
    expect(policy.body).toEqual({
      mode: 'enforce',
      origins: [],
      allowedMethods: [],
      allowedHeaders: [],
      exposedHeaders: [],
      allowCredentials: false,
      maxAgeSeconds: null,
      allowPrivateNetwork: false,
      version: 1,
    });
    const audit = await t.prisma.auditEvent.findMany({ where: { tenantSlug: slug } });
    expect(audit.map((a) => a.action)).toEqual(['tenant.create']);
    expect(audit[0]?.after).toMatchObject({ slug, name: 'Acme' });
    expect(audit[0]?.actorLabel).toBe(admin.email);
  });

  it('lists, gets, renames and deletes; a duplicate slug is 409', async () => {
    const tenant = await createTenant(t);
    await t
      .http()
      .post('/v1/tenants')
      .set('authorization', admin.bearer)
      .send({ slug: tenant.slug, name: 'again' })
      .expect(409);
    const list = await t.http().get('/v1/tenants').set('authorization', admin.bearer).expect(200);
    expect(list.body.items.map((x: { slug: string }) => x.slug)).toContain(tenant.slug);
    const listed = list.body.items.find((x: { slug: string }) => x.slug === tenant.slug);
    expect(listed).toMatchObject({
      originCount: 0,
      mode: 'enforce',
      policyVersion: 1,
      lastChangedBy: 'system',
    });
    const one = await t
      .http()
      .get(`/v1/tenants/${tenant.slug}`)
      .set('authorization', admin.bearer)
      .expect(200);
    expect(one.body).toEqual(listed);
    const renamed = await t
      .http()
      .patch(`/v1/tenants/${tenant.slug}`)
      .set('authorization', admin.bearer)
      .send({ name: 'Renamed' })
      .expect(200);
    expect(renamed.body.name).toBe('Renamed');
    const update = await t.prisma.auditEvent.findFirst({
      where: { tenantId: tenant.id, action: 'tenant.update' },
    });
    expect(update?.before).toMatchObject({ name: 'Test tenant' });
    expect(update?.after).toMatchObject({ name: 'Renamed' });
    await t
      .http()
      .delete(`/v1/tenants/${tenant.slug}`)
      .set('authorization', admin.bearer)
      .expect(204);
    await t.http().get(`/v1/tenants/${tenant.slug}`).set('authorization', admin.bearer).expect(404);
    expect(await t.prisma.policyVersion.count({ where: { tenantId: tenant.id } })).toBe(0);
    const del = await t.prisma.auditEvent.findFirst({
      where: { tenantId: tenant.id, action: 'tenant.delete' },
    });
    expect(del?.before).toMatchObject({ slug: tenant.slug, policy: { version: 1 } });
  });
});

describe('tenant policy summary', () => {
  it('carries origin count, mode, version and last change of the current policy, list and one alike', async () => {
    const tenant = await createTenant(t);
    const editor = await createUser(t, {
      memberships: [{ tenantId: tenant.id, role: 'editor' }],
    });
    const created = await t
      .http()
      .get(`/v1/tenants/${tenant.slug}`)
      .set('authorization', admin.bearer)
      .expect(200);
    expect(created.body).toEqual({
      id: tenant.id,
      slug: tenant.slug,
      name: 'Test tenant',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      originCount: 0,
      mode: 'enforce',
      policyVersion: 1,
      lastChangedAt: expect.any(String),
      lastChangedBy: 'system',
    });
    await t
      .http()
      .put(`/v1/tenants/${tenant.slug}/policy`)
      .set('authorization', editor.bearer)
      .set('if-match', '1')
      .send(
        validPolicy({
          mode: 'report-only',
          origins: [
            { pattern: 'https://a.example' },
            { pattern: 'https://b.example' },
            { pattern: 'https://*.c.example' },
          ],
        }),
      )
      .expect(200);
    const v2 = await t.prisma.policyVersion.findUniqueOrThrow({
      where: { tenantId_version: { tenantId: tenant.id, version: 2 } },
    });
    // The editor sees the tenant in their list (their only membership) with the new summary.
    const list = await t.http().get('/v1/tenants').set('authorization', editor.bearer).expect(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({
        slug: tenant.slug,
        originCount: 3,
        mode: 'report-only',
        policyVersion: 2,
        lastChangedAt: v2.createdAt.toISOString(),
        lastChangedBy: editor.email,
      }),
    ]);
    const one = await t
      .http()
      .get(`/v1/tenants/${tenant.slug}`)
      .set('authorization', editor.bearer)
      .expect(200);
    expect(one.body).toEqual(list.body.items[0]);
    // A restore is a new version: the summary follows it.
    await t
      .http()
      .post(`/v1/tenants/${tenant.slug}/policy/versions/1/restore`)
      .set('authorization', admin.bearer)
      .expect(200);
    const restored = await t
      .http()
      .get(`/v1/tenants/${tenant.slug}`)
      .set('authorization', admin.bearer)
      .expect(200);
    expect(restored.body).toMatchObject({
      originCount: 0,
      mode: 'enforce',
      policyVersion: 3,
      lastChangedBy: admin.email,
    });
  });

  it('create and rename answer with the summary too; a user without memberships lists nothing', async () => {
    const slug = uniq('sum');
    const created = await t
      .http()
      .post('/v1/tenants')
      .set('authorization', admin.bearer)
      .send({ slug, name: 'Sum' })
      .expect(201);
    expect(created.body).toMatchObject({
      slug,
      originCount: 0,
      mode: 'enforce',
      policyVersion: 1,
      lastChangedBy: admin.email,
    });
    const renamed = await t
      .http()
      .patch(`/v1/tenants/${slug}`)
      .set('authorization', admin.bearer)
      .send({ name: 'Summed' })
      .expect(200);
    expect(renamed.body).toMatchObject({ name: 'Summed', policyVersion: 1 });
    const nobody = await createUser(t);
    const none = await t.http().get('/v1/tenants').set('authorization', nobody.bearer).expect(200);
    expect(none.body).toEqual({ items: [], nextCursor: null });
  });

  it('lists any number of tenants in the same number of database queries', async () => {
    // Counts every statement the pg driver under Prisma sends while serving the list.
    const queries = async () => {
      const spy = jest.spyOn(pg.Client.prototype, 'query');
      try {
        const res = await t.http().get('/v1/tenants').set('authorization', admin.bearer);
        expect(res.status).toBe(200);
        return { n: spy.mock.calls.length, tenants: (res.body.items as unknown[]).length };
      } finally {
        spy.mockRestore();
      }
    };
    await queries(); // warm-up: the token's first use may write lastUsedAt
    const before = await queries();
    for (let i = 0; i < 5; i++) await createTenant(t);
    const after = await queries();
    expect(after.tenants).toBe(before.tenants + 5);
    expect(before.n).toBeGreaterThan(0);
    expect(after.n).toBe(before.n);
  });
});

describe('policy GET/PUT', () => {
  it('writes a policy of any size in the same statements, diffs the origin entries and audits before/after', async () => {
    const tenant = await createTenant(t);
    const url = `/v1/tenants/${tenant.slug}/policy`;
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const origins = (n: number, from = 0) =>
      Array.from({ length: n }, (_, i) => ({
        pattern: `https://app-${from + i}.size.example`,
        note: i % 3 === 0 ? `note ${from + i}` : null,
        expiresAt: i % 5 === 0 ? future : null,
      }));
    let version = 1;
    // Counts every statement the pg driver under Prisma sends while serving one PUT (the LISTEN connection's
    // heartbeat and the resolve pool's own work run on their schedule, not the PUT's: left out).
    const put = async (doc: ReturnType<typeof validPolicy>) => {
      const spy = jest.spyOn(pg.Client.prototype, 'query');
      const ofPrisma = () =>
        spy.mock.contexts.filter((client) => {
          const name = (client as { connectionParameters?: { application_name?: string } })
            .connectionParameters?.application_name;
          return name !== LISTENER_APPLICATION_NAME && name !== 'corsplane-resolve';
        }).length;
      try {
        const res = await t
          .http()
          .put(url)
          .set('authorization', admin.bearer)
          .set('if-match', `"${version}"`)
          .send(doc);
        expect(res.status).toBe(200);
        version = res.body.version as number;
        return ofPrisma();
      } finally {
        spy.mockRestore();
      }
    };
    await put(validPolicy({ origins: origins(2) })); // warm-up
    const small = await put(validPolicy({ origins: origins(3) }));
    const large = await put(validPolicy({ origins: origins(400) }));
    expect(small).toBeGreaterThan(0);
    expect(large).toBe(small);

    const kept = await t.prisma.originEntry.findFirst({
      where: { tenantId: tenant.id, pattern: 'https://app-7.size.example' },
    });
    // One origin removed (0), one added at the front, every other kept and shifted by one position.
    const next = [...origins(1, 1000), ...origins(400).slice(1)];
    await put(validPolicy({ origins: next }));
    const rows = await t.prisma.originEntry.findMany({
      where: { tenantId: tenant.id },
      orderBy: { position: 'asc' },
    });
    expect(rows.map((r) => r.pattern)).toEqual(next.map((o) => o.pattern));
    expect(rows.map((r) => r.position)).toEqual(next.map((_, i) => i));
    expect(rows.map((r) => [r.note, r.expiresAt?.toISOString() ?? null])).toEqual(
      next.map((o) => [o.note, o.expiresAt]),
    );
    const same = rows.find((r) => r.pattern === 'https://app-7.size.example');
    expect(same?.id).toBe(kept?.id);

    const got = await t.http().get(url).set('authorization', admin.bearer).expect(200);
    expect(got.body).toEqual({ ...validPolicy({ origins: next }), version });
    const audit = await t.prisma.auditEvent.findFirst({
      where: { tenantId: tenant.id, action: 'policy.update' },
      orderBy: { id: 'desc' },
    });
    expect(audit?.targetId).toBe(String(version));
    expect(audit?.before).toEqual({
      ...validPolicy({ origins: origins(400) }),
      version: version - 1,
    });
    expect(audit?.after).toEqual({ ...validPolicy({ origins: next }), version });
  });

  it('requires If-Match (428), refuses a stale one (412), accepts "<v>" and a bare number', async () => {
    const tenant = await createTenant(t);
    const url = `/v1/tenants/${tenant.slug}/policy`;
    await t.http().put(url).set('authorization', admin.bearer).send(validPolicy()).expect(428);
    const ok = await putPolicy(url, '"1"', validPolicy());
    expect(ok.headers.etag).toBe('"2"');
    expect(ok.body.version).toBe(2);
    expect(ok.body.origins[0]).toEqual({
      pattern: 'https://app.acme.com',
      note: 'prod',
      expiresAt: null,
    });
    const stale = await t
      .http()
      .put(url)
      .set('authorization', admin.bearer)
      .set('if-match', '"1"')
      .send(validPolicy())
      .expect(412);
    expect(stale.body).toMatchObject({ statusCode: 412, error: 'Precondition Failed' });
    await putPolicy(url, '2', validPolicy({ maxAgeSeconds: 60 }));
    await t
      .http()
      .put(url)
      .set('authorization', admin.bearer)
      .set('if-match', 'garbage')
      .send(validPolicy())
      .expect(400);
    const got = await t.http().get(url).set('authorization', admin.bearer).expect(200);
    expect(got.headers.etag).toBe('"3"');
    expect(got.body.maxAgeSeconds).toBe(60);
  });

  it('refuses an invalid policy with 422 and one detail per problem; nothing is written', async () => {
    const tenant = await createTenant(t);
    const before = await auditCount(tenant.id);
    const res = await t
      .http()
      .put(`/v1/tenants/${tenant.slug}/policy`)
      .set('authorization', admin.bearer)
      .set('if-match', '"1"')
      .send(
        validPolicy({
          origins: [
            { pattern: 'https://*.com' },
            { pattern: 'https://a.com/path' },
            { pattern: '*' },
          ],
          allowedMethods: ['GET', 'TRACE'],
          maxAgeSeconds: -5,
        }),
      )
      .expect(422);
    expect(res.body.statusCode).toBe(422);
    expect(res.body.error).toBe('Unprocessable Entity');
    const paths = res.body.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'origins[0].pattern',
        'origins[1].pattern',
        'allowedMethods[1]',
        'maxAgeSeconds',
      ]),
    );
    expect(res.body.details.length).toBeGreaterThanOrEqual(5);
    for (const d of res.body.details)
      expect(d).toEqual(
        expect.objectContaining({
          path: expect.any(String),
          reason: expect.any(String),
          message: expect.any(String),
        }),
      );
    expect(await auditCount(tenant.id)).toBe(before);
    expect(await t.prisma.policyVersion.count({ where: { tenantId: tenant.id } })).toBe(1);
  });

  it('lets exactly one of two concurrent PUTs with the same If-Match win', async () => {
    const tenant = await createTenant(t);
    const put = (maxAgeSeconds: number) =>
      t
        .http()
        .put(`/v1/tenants/${tenant.slug}/policy`)
        .set('authorization', admin.bearer)
        .set('if-match', '"1"')
        .send(validPolicy({ maxAgeSeconds }));
    const results = await Promise.all([put(10), put(20)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
    expect(await t.prisma.policyVersion.count({ where: { tenantId: tenant.id } })).toBe(2);
    const winner = results.find((r) => r.status === 200);
    const stored = await t
      .http()
      .get(`/v1/tenants/${tenant.slug}/policy`)
      .set('authorization', admin.bearer);
    expect(stored.body.maxAgeSeconds).toBe(winner?.body.maxAgeSeconds);
  });

  it('audits every update with before and after', async () => {
    const tenant = await createTenant(t);
    await putPolicy(`/v1/tenants/${tenant.slug}/policy`, '1', validPolicy());
    const ev = await t.prisma.auditEvent.findFirst({
      where: { tenantId: tenant.id, action: 'policy.update' },
    });
    expect(ev?.before).toMatchObject({ version: 1, origins: [] });
    expect(ev?.after).toMatchObject({
      version: 2,
      origins: [{ pattern: 'https://app.acme.com' }, { pattern: 'https://*.acme.com' }],
    });
    expect(ev?.requestId).toEqual(expect.any(String));
  });

  it('ignores a read-only version field sent back with the document', async () => {
    const tenant = await createTenant(t);
    const got = await t
      .http()
      .get(`/v1/tenants/${tenant.slug}/policy`)
      .set('authorization', admin.bearer);
    const res = await t
      .http()
      .put(`/v1/tenants/${tenant.slug}/policy`)
      .set('authorization', admin.bearer)
      .set('if-match', String(got.headers.etag))
      .send({ ...got.body, version: 99 })
      .expect(200);
    expect(res.body.version).toBe(2);
  });
});

describe('validate, simulate, versions and restore', () => {
  it('validate is a dry run: errors and warnings, nothing saved', async () => {
    const tenant = await createTenant(t);
    const bad = await t
      .http()
      .post(`/v1/tenants/${tenant.slug}/policy/validate`)
      .set('authorization', admin.bearer)
      .send(validPolicy({ origins: [{ pattern: 'https://*.co.uk' }, { pattern: 'null' }] }))
      .expect(200);
    expect(bad.body.ok).toBe(false);
    expect(bad.body.errors[0]).toMatchObject({
      path: 'origins[0].pattern',
      reason: 'public-suffix-wildcard',
    });
    expect(bad.body.warnings.map((w: { reason: string }) => w.reason)).toContain('null-origin');
    const good = await t
      .http()
      .post(`/v1/tenants/${tenant.slug}/policy/validate`)
      .set('authorization', admin.bearer)
      .send(validPolicy({ origins: [{ pattern: 'HTTPS://App.Acme.com:443' }] }))
      .expect(200);
    expect(good.body.ok).toBe(true);
    expect(good.body.policy.origins[0].pattern).toBe('https://app.acme.com');
    expect(await t.prisma.policyVersion.count({ where: { tenantId: tenant.id } })).toBe(1);
  });

  it('simulate answers like /resolve for the stored policy and for a draft', async () => {
    const tenant = await createTenant(t);
    await putPolicy(`/v1/tenants/${tenant.slug}/policy`, '1', validPolicy());
    const sim = (body: object) =>
      t
        .http()
        .post(`/v1/tenants/${tenant.slug}/simulate`)
        .set('authorization', admin.bearer)
        .send(body)
        .expect(200);
    const pre = await sim({
      origin: 'https://app.acme.com',
      method: 'PUT',
      headers: 'content-type',
    });
    expect(pre.body).toMatchObject({
      allowed: true,
      reason: 'exact-match',
      matchedPattern: 'https://app.acme.com',
      tenant: tenant.slug,
      mode: 'enforce',
      policyVersion: 2,
      preflight: true,
      status: 204,
      cacheTtlSeconds: 30,
    });
    expect(pre.body.headers['access-control-allow-origin']).toBe('https://app.acme.com');
    const wild = await sim({ origin: 'https://eu.api.acme.com' });
    expect(wild.body).toMatchObject({ allowed: true, reason: 'wildcard-match', preflight: false });
    const refused = await sim({ origin: 'https://evil.example' });
    expect(refused.body).toMatchObject({ allowed: false, reason: 'origin-not-allowed' });
    expect(refused.body.headers['access-control-allow-origin']).toBeUndefined();
    const draft = await sim({
      origin: 'https://evil.example',
      policy: validPolicy({ origins: [{ pattern: 'https://evil.example' }] }),
    });
    expect(draft.body).toMatchObject({ allowed: true, policyVersion: 0 });
    await t
      .http()
      .post(`/v1/tenants/${tenant.slug}/simulate`)
      .set('authorization', admin.bearer)
      .send({ method: 'GET' })
      .expect(400);
  });

  it('simulate compiles the stored policy once per version, and sees a write at once', async () => {
    const tenant = await createTenant(t);
    await putPolicy(`/v1/tenants/${tenant.slug}/policy`, '1', validPolicy());
    const compiles = jest.spyOn(t.app.get(SimulatePolicies), 'set');
    const sim = async (origin: string) =>
      (
        await t
          .http()
          .post(`/v1/tenants/${tenant.slug}/simulate`)
          .set('authorization', admin.bearer)
          .send({ origin })
          .expect(200)
      ).body;
    try {
      expect(await sim('https://app.acme.com')).toMatchObject({ allowed: true, policyVersion: 2 });
      expect(await sim('https://new.example.com')).toMatchObject({ allowed: false });
      expect(compiles).toHaveBeenCalledTimes(1);
      // A single-origin write moves the version: the very next simulate compiles it, no waiting.
      await t
        .http()
        .post(`/v1/tenants/${tenant.slug}/policy/origins`)
        .set('authorization', admin.bearer)
        .send({ pattern: 'https://new.example.com' })
        .expect(201);
      expect(await sim('https://new.example.com')).toMatchObject({
        allowed: true,
        policyVersion: 3,
      });
      expect(compiles).toHaveBeenCalledTimes(2);
    } finally {
      compiles.mockRestore();
    }
  });

  it('lists versions newest first and restores an old one as a new version', async () => {
    const tenant = await createTenant(t);
    const url = `/v1/tenants/${tenant.slug}/policy`;
    await putPolicy(url, '1', validPolicy({ maxAgeSeconds: 100 }));
    await putPolicy(url, '2', validPolicy({ maxAgeSeconds: 200 }));
    const versions = await t
      .http()
      .get(`${url}/versions`)
      .set('authorization', admin.bearer)
      .expect(200);
    expect(versions.body.items.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);
    expect(versions.body.items[0]).toEqual({
      version: 3,
      source: 'update',
      actor: admin.email,
      createdAt: expect.any(String),
      restoredFromVersion: null,
      note: null,
      originCount: 2,
    });
    const v3 = await t
      .http()
      .get(`${url}/versions/3`)
      .set('authorization', admin.bearer)
      .expect(200);
    expect(v3.body).toMatchObject({
      ...versions.body.items[0],
      policy: { maxAgeSeconds: 200, version: 3 },
    });
    // A version that does not exist is 404; one that cannot is 400 (the same rule as restore's).
    await t.http().get(`${url}/versions/99`).set('authorization', admin.bearer).expect(404);
    await t.http().get(`${url}/versions/0`).set('authorization', admin.bearer).expect(400);
    const restored = await t
      .http()
      .post(`${url}/versions/2/restore`)
      .set('authorization', admin.bearer)
      .expect(200);
    expect(restored.body).toMatchObject({ version: 4, maxAgeSeconds: 100 });
    expect(restored.headers.etag).toBe('"4"');
    const after = await t
      .http()
      .get(`${url}/versions`)
      .query({ limit: 1 })
      .set('authorization', admin.bearer)
      .expect(200);
    expect(after.body.items).toEqual([
      expect.objectContaining({ version: 4, source: 'restore', restoredFromVersion: 2 }),
    ]);
    const ev = await t.prisma.auditEvent.findFirst({
      where: { tenantId: tenant.id, action: 'policy.restore' },
    });
    expect(ev?.before).toMatchObject({ version: 3, maxAgeSeconds: 200 });
    expect(ev?.after).toMatchObject({ version: 4, maxAgeSeconds: 100, restoredFromVersion: 2 });
    await t
      .http()
      .post(`${url}/versions/99/restore`)
      .set('authorization', admin.bearer)
      .expect(404);
    await t
      .http()
      .post(`${url}/versions/1/restore`)
      .set('authorization', admin.bearer)
      .set('if-match', '"2"')
      .expect(412);
    expect(await t.prisma.policyVersion.count({ where: { tenantId: tenant.id } })).toBe(4);
  });
});

describe('policy limits: 100,000 origins (SPEC §2.3)', () => {
  it('accepts and serves a 100,000-origin policy; 100,001 is a 422 naming the limit and writes nothing', async () => {
    const tenant = await createTenant(t);
    const key = await createKey(t, tenant);
    const url = `/v1/tenants/${tenant.slug}/policy`;
    const origins = manyOrigins(MAX_POLICY_ORIGINS);

    const saved = await t
      .http()
      .put(url)
      .set('authorization', admin.bearer)
      .set('if-match', '"1"')
      .send(validPolicy({ origins }));
    expect(saved.status).toBe(200);
    expect(saved.body.version).toBe(2);
    expect(saved.body.origins).toHaveLength(MAX_POLICY_ORIGINS);
    expect(await t.prisma.originEntry.count({ where: { tenantId: tenant.id } })).toBe(
      MAX_POLICY_ORIGINS,
    );

    // The last entry of the list is served like the first (no scan: a hash lookup).
    await untilResolveServes(t, key.bearer, 2, 120_000);
    const last = origins[MAX_POLICY_ORIGINS - 1]!.pattern;
    const served = await t
      .http()
      .get(`/resolve?origin=${encodeURIComponent(last)}`)
      .set('authorization', key.bearer)
      .expect(200);
    expect(served.body).toMatchObject({
      allowed: true,
      reason: 'exact-match',
      matchedPattern: last,
      policyVersion: 2,
    });

    const tooMany = await t
      .http()
      .put(url)
      .set('authorization', admin.bearer)
      .set('if-match', '"2"')
      .send(validPolicy({ origins: [...origins, { pattern: 'https://one-more.example' }] }));
    expect(tooMany.status).toBe(422);
    expect(tooMany.body).toEqual({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message:
        'The policy has 1 problem: origins: holds 100,001 entries; a policy holds at most 100,000 (SPEC §2.3)',
      details: [
        expect.objectContaining({ path: 'origins', reason: 'too-many-origins', value: 100_001 }),
      ],
    });
    const current = await t.http().get(url).set('authorization', admin.bearer).expect(200);
    expect(current.body.version).toBe(2);
    expect(await t.prisma.originEntry.count({ where: { tenantId: tenant.id } })).toBe(
      MAX_POLICY_ORIGINS,
    );

    const dryRun = await t
      .http()
      .post(`${url}/validate`)
      .set('authorization', admin.bearer)
      .send(validPolicy({ origins: [...origins, { pattern: 'https://one-more.example' }] }))
      .expect(200);
    expect(dryRun.body.ok).toBe(false);
    expect(dryRun.body.errors).toEqual([
      expect.objectContaining({ path: 'origins', reason: 'too-many-origins' }),
    ]);
  }, 300_000);
});
