import { sha256 } from '../src/common/crypto/secrets.js';
import {
  createKey,
  createTenant,
  createUser,
  PASSWORD,
  sessionCookie,
  uniq,
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

describe('tenant keys', () => {
  it('return the secret once, store only its SHA-256 and a visible prefix, and revoke', async () => {
    const tenant = await createTenant(t);
    const created = await t
      .http()
      .post(`/v1/tenants/${tenant.slug}/keys`)
      .set('authorization', admin.bearer)
      .send({ name: 'edge gateway' })
      .expect(201);
    const { id, prefix, secret } = created.body as { id: string; prefix: string; secret: string };
    expect(prefix).toMatch(/^cpk_live_[a-z0-9]{8}$/);
    expect(secret.startsWith(`${prefix}_`)).toBe(true);
    expect(created.body).toMatchObject({
      name: 'edge gateway',
      tenant: tenant.slug,
      revokedAt: null,
    });
    const row = await t.prisma.apiKey.findUniqueOrThrow({ where: { id } });
    expect(row.secretHash).toBe(sha256(secret));
    expect(JSON.stringify(row)).not.toContain(secret);
    const list = await t
      .http()
      .get(`/v1/tenants/${tenant.slug}/keys`)
      .set('authorization', admin.bearer)
      .expect(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({ id, prefix, name: 'edge gateway' }),
    ]);
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect(list.body.items[0].secret).toBeUndefined();
    const audit = await t.prisma.auditEvent.findMany({ where: { targetId: id } });
    expect(JSON.stringify(audit.map((a) => [a.before, a.after]))).not.toContain(secret);
    // A key calls /resolve only: every admin route refuses it.
    await t
      .http()
      .get(`/v1/tenants/${tenant.slug}/policy`)
      .set('authorization', `Bearer ${secret}`)
      .expect(403);
    await t
      .http()
      .delete(`/v1/tenants/${tenant.slug}/keys/${id}`)
      .set('authorization', admin.bearer)
      .expect(204);
    const revoked = await t
      .http()
      .get(`/v1/tenants/${tenant.slug}/keys`)
      .set('authorization', admin.bearer)
      .expect(200);
    expect(revoked.body.items[0].revokedAt).toEqual(expect.any(String));
    await t
      .http()
      .get(`/v1/tenants/${tenant.slug}/policy`)
      .set('authorization', `Bearer ${secret}`)
      .expect(401);
    const actions = (
      await t.prisma.auditEvent.findMany({ where: { targetId: id }, orderBy: { id: 'asc' } })
    ).map((a) => a.action);
    expect(actions).toEqual(['key.create', 'key.revoke']);
    await t
      .http()
      .delete(`/v1/tenants/${tenant.slug}/keys/00000000-0000-4000-8000-000000000000`)
      .set('authorization', admin.bearer)
      .expect(404);
  });

  it('platform keys (no tenant) are managed by platform admins under /v1/keys', async () => {
    const created = await t
      .http()
      .post('/v1/keys')
      .set('authorization', admin.bearer)
      .send({ name: 'shared gateway' })
      .expect(201);
    expect(created.body).toMatchObject({ tenant: null, name: 'shared gateway' });
    const list = await t.http().get('/v1/keys').set('authorization', admin.bearer).expect(200);
    expect(list.body.items.map((k: { id: string }) => k.id)).toContain(created.body.id);
    await t
      .http()
      .delete(`/v1/keys/${created.body.id}`)
      .set('authorization', admin.bearer)
      .expect(204);
  });
});

describe('users', () => {
  it('creates, lists, updates memberships, disables and deletes users; never exposes password hashes', async () => {
    const tenant = await createTenant(t);
    const email = `${uniq('dev')}@example.test`;
    const created = await t
      .http()
      .post('/v1/users')
      .set('authorization', admin.bearer)
      .send({
        email,
        password: PASSWORD,
        name: 'Dev',
        memberships: [{ tenant: tenant.slug, role: 'editor' }],
      })
      .expect(201);
    expect(created.body).toMatchObject({
      email,
      platformRole: null,
      memberships: [{ tenant: tenant.slug, role: 'editor' }],
      disabled: false,
    });
    expect(JSON.stringify(created.body)).not.toMatch(/scrypt|password/i);
    await t
      .http()
      .post('/v1/users')
      .set('authorization', admin.bearer)
      .send({ email, password: PASSWORD })
      .expect(409);
    await t
      .http()
      .post('/v1/users')
      .set('authorization', admin.bearer)
      .send({
        email: `x${email}`,
        password: PASSWORD,
        memberships: [{ tenant: 'no-such-tenant', role: 'viewer' }],
      })
      .expect(400);

    const cookie = await sessionCookie(t, email);
    const me = await t.http().get('/v1/auth/me').set('cookie', cookie).expect(200);
    expect(me.body.memberships).toEqual([{ tenant: tenant.slug, role: 'editor' }]);
    const list = await t.http().get('/v1/users').set('authorization', admin.bearer).expect(200);
    expect(list.body.items.map((u: { email: string }) => u.email)).toContain(email);
    await t
      .http()
      .get(`/v1/users/${created.body.id}`)
      .set('authorization', admin.bearer)
      .expect(200);

    const updated = await t
      .http()
      .patch(`/v1/users/${created.body.id}`)
      .set('authorization', admin.bearer)
      .send({ memberships: [{ tenant: tenant.slug, role: 'viewer' }], platformRole: 'viewer' })
      .expect(200);
    expect(updated.body).toMatchObject({
      platformRole: 'viewer',
      memberships: [{ tenant: tenant.slug, role: 'viewer' }],
    });

    await t
      .http()
      .patch(`/v1/users/${created.body.id}`)
      .set('authorization', admin.bearer)
      .send({ disabled: true })
      .expect(200);
    await t.http().get('/v1/auth/me').set('cookie', cookie).expect(401);
    await t.http().post('/v1/auth/login').send({ email, password: PASSWORD }).expect(401);

    await t
      .http()
      .delete(`/v1/users/${created.body.id}`)
      .set('authorization', admin.bearer)
      .expect(204);
    await t
      .http()
      .get(`/v1/users/${created.body.id}`)
      .set('authorization', admin.bearer)
      .expect(404);
    const audit = await t.prisma.auditEvent.findMany({
      where: { targetId: created.body.id },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((a) => a.action)).toEqual(
      ['user.create', 'auth.login', 'user.update', 'user.update', 'user.delete'].filter(
        (a) => a !== 'auth.login',
      ),
    );
    expect(JSON.stringify(audit.map((a) => [a.before, a.after]))).not.toMatch(/scrypt/);
    expect(audit[1]?.before).toMatchObject({ platformRole: null });
    expect(audit[1]?.after).toMatchObject({ platformRole: 'viewer' });
  });

  it('an admin cannot delete, disable or demote themself', async () => {
    await t.http().delete(`/v1/users/${admin.id}`).set('authorization', admin.bearer).expect(409);
    await t
      .http()
      .patch(`/v1/users/${admin.id}`)
      .set('authorization', admin.bearer)
      .send({ disabled: true })
      .expect(409);
    await t
      .http()
      .patch(`/v1/users/${admin.id}`)
      .set('authorization', admin.bearer)
      .send({ platformRole: 'viewer' })
      .expect(409);
  });
});

describe('audit log', () => {
  it('records every mutation with actor, action, tenant, before, after, time and request id', async () => {
    const slug = uniq('audited');
    const reqId = `req-${uniq()}`;
    await t
      .http()
      .post('/v1/tenants')
      .set('authorization', admin.bearer)
      .set('x-request-id', reqId)
      .send({ slug, name: 'A' })
      .expect(201);
    await t
      .http()
      .put(`/v1/tenants/${slug}/policy`)
      .set('authorization', admin.bearer)
      .set('if-match', '1')
      .send(validPolicy())
      .expect(200);
    await t
      .http()
      .post(`/v1/tenants/${slug}/policy/versions/1/restore`)
      .set('authorization', admin.bearer)
      .expect(200);
    const key = await t
      .http()
      .post(`/v1/tenants/${slug}/keys`)
      .set('authorization', admin.bearer)
      .send({ name: 'k' })
      .expect(201);
    await t
      .http()
      .delete(`/v1/tenants/${slug}/keys/${key.body.id}`)
      .set('authorization', admin.bearer)
      .expect(204);
    await t
      .http()
      .patch(`/v1/tenants/${slug}`)
      .set('authorization', admin.bearer)
      .send({ name: 'B' })
      .expect(200);

    const res = await t
      .http()
      .get('/v1/audit')
      .query({ tenant: slug })
      .set('authorization', admin.bearer)
      .expect(200);
    const actions = res.body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual([
      'tenant.update',
      'key.revoke',
      'key.create',
      'policy.restore',
      'policy.update',
      'tenant.create',
    ]);
    for (const e of res.body.items) {
      expect(e).toMatchObject({
        actor: { type: 'user', id: admin.id, label: admin.email },
        tenant: slug,
        at: expect.any(String),
        requestId: expect.any(String),
      });
      expect(e.after ?? e.before).toBeTruthy();
    }
    expect(res.body.items.at(-1).requestId).toBe(reqId);
    const byActor = await t
      .http()
      .get('/v1/audit')
      .query({ actor: admin.email, action: 'policy.update', limit: 1 })
      .set('authorization', admin.bearer)
      .expect(200);
    expect(byActor.body.items).toHaveLength(1);
    expect(byActor.body.nextCursor).toEqual(expect.any(String));
    const next = await t
      .http()
      .get('/v1/audit')
      .query({
        actor: admin.email,
        action: 'policy.update',
        limit: 1,
        before: byActor.body.nextCursor,
      })
      .set('authorization', admin.bearer)
      .expect(200);
    expect(next.body.items[0]?.id).not.toBe(byActor.body.items[0].id);
  });

  it('is append-only, down to the database', async () => {
    const ev = await t.prisma.auditEvent.findFirstOrThrow();
    await expect(
      t.prisma.auditEvent.update({ where: { id: ev.id }, data: { action: 'forged' } }),
    ).rejects.toThrow(/append-only/);
    await expect(t.prisma.auditEvent.delete({ where: { id: ev.id } })).rejects.toThrow(
      /append-only/,
    );
    await t.http().delete(`/v1/audit`).set('authorization', admin.bearer).expect(404);
  });

  it('tenant members read the tenants they belong to, all of them or the one they name', async () => {
    const tenant = await createTenant(t);
    const other = await createTenant(t);
    const member = await createUser(t, { memberships: [{ tenantId: tenant.id, role: 'viewer' }] });
    // The console's audit page asks without tenant= (issue 16: a tenant viewer's page was a 403).
    const all = await t.http().get('/v1/audit').set('authorization', member.bearer).expect(200);
    expect(all.body.items.length).toBeGreaterThan(0);
    expect(all.body.items.every((e: { tenant: string }) => e.tenant === tenant.slug)).toBe(true);
    const nobody = await createUser(t, {});
    await t.http().get('/v1/audit').set('authorization', nobody.bearer).expect(403);
    const own = await t
      .http()
      .get('/v1/audit')
      .query({ tenant: tenant.slug })
      .set('authorization', member.bearer)
      .expect(200);
    expect(own.body.items.every((e: { tenant: string }) => e.tenant === tenant.slug)).toBe(true);
    await t
      .http()
      .get('/v1/audit')
      .query({ tenant: other.slug })
      .set('authorization', member.bearer)
      .expect(404);
  });
});

describe('blocked origins', () => {
  it('aggregates hourly counts per origin and reason, with since/until/q filters', async () => {
    const tenant = await createTenant(t);
    const h = (iso: string) => new Date(iso);
    await t.prisma.blockedOriginAggregate.createMany({
      data: [
        {
          tenantId: tenant.id,
          origin: 'https://evil.example',
          reason: 'origin-not-allowed',
          hour: h('2026-01-01T10:00:00Z'),
          count: 3,
          firstSeen: h('2026-01-01T10:05:00Z'),
          lastSeen: h('2026-01-01T10:50:00Z'),
        },
        {
          tenantId: tenant.id,
          origin: 'https://evil.example',
          reason: 'origin-not-allowed',
          hour: h('2026-01-01T11:00:00Z'),
          count: 4,
          firstSeen: h('2026-01-01T11:01:00Z'),
          lastSeen: h('2026-01-01T11:30:00Z'),
        },
        {
          tenantId: tenant.id,
          origin: 'https://new.acme.com',
          reason: 'method-not-allowed',
          hour: h('2026-01-02T10:00:00Z'),
          count: 1,
          firstSeen: h('2026-01-02T10:01:00Z'),
          lastSeen: h('2026-01-02T10:01:00Z'),
        },
      ],
    });
    const all = await t
      .http()
      .get(`/v1/tenants/${tenant.slug}/blocked-origins`)
      .set('authorization', admin.bearer)
      .expect(200);
    expect(all.body.items[0]).toEqual({
      origin: 'https://evil.example',
      reason: 'origin-not-allowed',
      count: 7,
      firstSeen: '2026-01-01T10:05:00.000Z',
      lastSeen: '2026-01-01T11:30:00.000Z',
      // No method or header was refused, and the live policy still refuses the origin.
      refusedName: null,
      allowedInVersion: null,
    });
    expect(all.body.items).toHaveLength(2);
    const q = await t
      .http()
      .get(`/v1/tenants/${tenant.slug}/blocked-origins`)
      .query({ q: 'ACME' })
      .set('authorization', admin.bearer)
      .expect(200);
    expect(q.body.items.map((i: { origin: string }) => i.origin)).toEqual(['https://new.acme.com']);
    const since = await t
      .http()
      .get(`/v1/tenants/${tenant.slug}/blocked-origins`)
      .query({ since: '2026-01-01T11:15:00Z', until: '2026-01-02T00:00:00Z' })
      .set('authorization', admin.bearer)
      .expect(200);
    expect(since.body.items).toEqual([
      expect.objectContaining({ origin: 'https://evil.example', count: 4 }),
    ]);
    await t
      .http()
      .get(`/v1/tenants/${tenant.slug}/blocked-origins`)
      .query({ since: 'yesterday' })
      .set('authorization', admin.bearer)
      .expect(400);
  });
});

it('keys factory works for other suites', async () => {
  const tenant = await createTenant(t);
  const key = await createKey(t, tenant);
  expect(key.bearer).toMatch(/^Bearer cpk_live_/);
});
