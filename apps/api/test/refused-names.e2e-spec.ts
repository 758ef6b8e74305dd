// Issue 16: the blocked log and simulate say which method or header names were refused and which entry
// matched, so the console's "Allow" can fix the actual reason.
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

const EXPIRED = '2025-01-01T00:00:00.000Z';

async function tenantWithKey() {
  const tenant = await createTenant(t);
  const version = await replacePolicy(
    t,
    admin,
    tenant.slug,
    validPolicy({
      origins: [
        { pattern: 'https://app.acme.com', note: 'prod', expiresAt: null },
        { pattern: 'https://old-partner.example.net', note: null, expiresAt: EXPIRED },
      ],
    }),
  );
  const key = await createKey(t, tenant);
  return { tenant, key, version };
}

async function blocked(slug: string) {
  await t.app.get(BlockedLogService).flush();
  const res = await t
    .http()
    .get(`/v1/tenants/${slug}/blocked-origins`)
    .set('authorization', admin.bearer)
    .expect(200);
  return res.body.items as Array<{
    origin: string;
    reason: string;
    refusedName: string | null;
    allowedInVersion: number | null;
  }>;
}

describe('the refused names in the blocked log', () => {
  it('records the method and header names /resolve refused, and null for other reasons', async () => {
    const { tenant, key, version } = await tenantWithKey();
    const resolve = (query: Record<string, string>) =>
      t.http().get('/resolve').query(query).set('authorization', key.bearer).expect(200);
    // NOTIFY reaches this process right after the commit: wait until /resolve serves the version.
    for (let i = 0; i < 300; i++) {
      const res = await resolve({ origin: 'https://app.acme.com' });
      if (res.body.policyVersion === version) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await resolve({
      origin: 'https://app.acme.com',
      method: 'PUT',
      headers: 'X-Trace, content-type',
    });
    await resolve({ origin: 'https://app.acme.com', method: 'PATCH' });
    await resolve({ origin: 'https://old-partner.example.net' });
    const items = await blocked(tenant.slug);
    expect(items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ reason: 'header-not-allowed', refusedName: 'x-trace' }),
        expect.objectContaining({ reason: 'method-not-allowed', refusedName: 'PATCH' }),
        expect.objectContaining({ reason: 'expired', refusedName: null, allowedInVersion: null }),
      ]),
    );
    // Allowing the refused header marks the row with the version that allows it (the resolve cache's view).
    const fixed = await replacePolicy(
      t,
      admin,
      tenant.slug,
      validPolicy({
        origins: [{ pattern: 'https://app.acme.com', note: 'prod', expiresAt: null }],
        allowedHeaders: ['content-type', 'authorization', 'x-trace'],
      }),
    );
    let row;
    for (let i = 0; i < 300; i++) {
      row = (await blocked(tenant.slug)).find((r) => r.reason === 'header-not-allowed');
      if (row?.allowedInVersion === fixed) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(row).toMatchObject({ allowedInVersion: fixed });
    const others = await blocked(tenant.slug);
    expect(others.find((r) => r.reason === 'method-not-allowed')?.allowedInVersion).toBeNull();
  });

  it('takes refusedName from SDK batches (optional, token names only)', async () => {
    const { tenant, key } = await tenantWithKey();
    const now = new Date().toISOString();
    const event = { origin: 'https://app.acme.com', count: 3, firstSeen: now, lastSeen: now };
    await t
      .http()
      .post('/resolve/events')
      .set('authorization', key.bearer)
      .send({
        events: [
          { ...event, reason: 'header-not-allowed', refusedName: 'x-a, x-b' },
          { ...event, reason: 'origin-not-allowed', origin: 'https://old.sdk.example' },
        ],
      })
      .expect(202);
    for (const refusedName of ['x a', 'x-a,x-b', '', 'é', 'x'.repeat(257)]) {
      const res = await t
        .http()
        .post('/resolve/events')
        .set('authorization', key.bearer)
        .send({ events: [{ ...event, reason: 'header-not-allowed', refusedName }] })
        .expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    }
    const items = await blocked(tenant.slug);
    expect(items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          reason: 'header-not-allowed',
          refusedName: 'x-a, x-b',
          count: 3,
        }),
        expect.objectContaining({ origin: 'https://old.sdk.example', refusedName: null }),
      ]),
    );
  });
});

describe('simulate explains', () => {
  it('names the refused method or headers and the matched entry for every reason', async () => {
    const { tenant } = await tenantWithKey();
    const sim = async (body: object) =>
      (
        await t
          .http()
          .post(`/v1/tenants/${tenant.slug}/simulate`)
          .set('authorization', admin.bearer)
          .send(body)
          .expect(200)
      ).body;
    const app = {
      pattern: 'https://app.acme.com',
      source: 'tenant',
      expiresAt: null,
      note: 'prod',
    };
    expect(await sim({ origin: 'https://app.acme.com' })).toMatchObject({
      reason: 'exact-match',
      refusedName: null,
      matchedEntry: app,
    });
    expect(
      await sim({ origin: 'https://app.acme.com', method: 'PUT', headers: 'x-b, X-A' }),
    ).toMatchObject({ reason: 'header-not-allowed', refusedName: 'x-b, x-a', matchedEntry: app });
    expect(await sim({ origin: 'https://app.acme.com', method: 'PATCH' })).toMatchObject({
      reason: 'method-not-allowed',
      refusedName: 'PATCH',
      matchedEntry: app,
    });
    expect(
      await sim({ origin: 'https://app.acme.com', method: 'PUT', privateNetwork: true }),
    ).toMatchObject({ reason: 'private-network-not-allowed', matchedEntry: app });
    expect(await sim({ origin: 'https://old-partner.example.net' })).toMatchObject({
      reason: 'expired',
      matchedPattern: null,
      matchedEntry: { pattern: 'https://old-partner.example.net', expiresAt: EXPIRED },
    });
    expect(await sim({ origin: 'https://evil.example' })).toMatchObject({
      reason: 'origin-not-allowed',
      refusedName: null,
      matchedEntry: null,
    });
  });
});
