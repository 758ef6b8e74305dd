import type { PolicyInput } from '@corsplane/contracts';
import {
  candidateImpactSchema,
  candidateImpactTimelineSchema,
  resolveResponseSchema,
} from '@corsplane/contracts';
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

const KEEP = 'https://app.acme.com'; // listed by both: never a difference
const DROP = 'https://old.legacy-acme.com'; // live only: would-block
const ADD = 'https://new.partner.example'; // candidate only: would-allow

const entry = (pattern: string) => ({ pattern, note: null, expiresAt: null });
const live = () => validPolicy({ origins: [entry(KEEP), entry(DROP)] });
const candidate = (overrides: Partial<PolicyInput> = {}) =>
  validPolicy({ origins: [entry(KEEP), entry(ADD)], ...overrides });

const url = (slug: string, rest = '') => `/v1/tenants/${slug}/policy/candidate${rest}`;

async function tenantWithKey() {
  const tenant = await createTenant(t);
  const version = await replacePolicy(t, admin, tenant.slug, live());
  const key = await createKey(t, tenant);
  await untilResolveServes(t, key.bearer, version);
  return { tenant, key, version };
}

function putCandidate(slug: string, doc: object, ifMatch?: string) {
  const req = t.http().put(url(slug)).set('authorization', admin.bearer);
  if (ifMatch !== undefined) void req.set('if-match', ifMatch);
  return req.send(doc);
}

function resolve(bearer: string, query: Record<string, string>) {
  return t.http().get('/resolve').query(query).set('authorization', bearer);
}

/** Polls /resolve (with an origin both policies allow: no difference counted) until it shows a candidate. */
async function untilShadow(bearer: string, present = true) {
  const deadline = Date.now() + 5000;
  for (;;) {
    const res = await resolve(bearer, { origin: KEEP }).expect(200);
    if ((res.body.shadow !== undefined) === present) return res;
    if (Date.now() > deadline)
      throw new Error(`/resolve never ${present ? 'showed' : 'dropped'} the candidate`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function impact(slug: string, query: Record<string, string> = {}) {
  await t.app.get(BlockedLogService).flush();
  const res = await t
    .http()
    .get(url(slug, '/impact'))
    .query(query)
    .set('authorization', admin.bearer)
    .expect(200);
  expect(candidateImpactSchema.safeParse(res.body).success).toBe(true);
  return res.body as import('@corsplane/contracts').CandidateImpact;
}

describe('candidate policy routes (SPEC §4.1)', () => {
  it('creates without If-Match, replaces only with the current ETag (428, 412), validates like a policy, audits', async () => {
    const { tenant } = await tenantWithKey();
    await t.http().get(url(tenant.slug)).set('authorization', admin.bearer).expect(404);

    const created = await putCandidate(tenant.slug, candidate()).expect(200);
    expect(created.headers.etag).toBe('"1"');
    expect(created.body).toMatchObject({ version: 1, origins: [entry(KEEP), entry(ADD)] });

    await putCandidate(tenant.slug, candidate()).expect(428);
    const stale = await putCandidate(tenant.slug, candidate(), '"7"').expect(412);
    expect(stale.headers.etag).toBe('"1"');
    const bad = await putCandidate(
      tenant.slug,
      candidate({ origins: [entry('https://*.com')] }),
      '"1"',
    ).expect(422);
    expect(bad.body.details[0]).toMatchObject({ path: 'origins[0].pattern' });

    const replaced = await putCandidate(
      tenant.slug,
      { ...candidate({ maxAgeSeconds: 60 }), note: 'shorter max-age' },
      created.headers.etag as string,
    ).expect(200);
    expect(replaced.body).toMatchObject({ version: 2, maxAgeSeconds: 60, note: 'shorter max-age' });
    const got = await t.http().get(url(tenant.slug)).set('authorization', admin.bearer).expect(200);
    expect(got.headers.etag).toBe('"2"');

    // Discard, then a new candidate gets a new version (ETags are never reused).
    await t
      .http()
      .delete(url(tenant.slug))
      .set('authorization', admin.bearer)
      .set('if-match', '"1"')
      .expect(412);
    const gone = await t
      .http()
      .delete(url(tenant.slug))
      .set('authorization', admin.bearer)
      .expect(200);
    expect(gone.body).toEqual({ version: 3 });
    await t.http().get(url(tenant.slug)).set('authorization', admin.bearer).expect(404);
    expect((await putCandidate(tenant.slug, candidate()).expect(200)).body.version).toBe(4);

    const actions = await t.prisma.auditEvent.findMany({
      where: { tenantId: tenant.id, action: { startsWith: 'policy.candidate' } },
      orderBy: { id: 'asc' },
    });
    expect(actions.map((a) => a.action)).toEqual([
      'policy.candidate.update',
      'policy.candidate.update',
      'policy.candidate.delete',
      'policy.candidate.update',
    ]);
    expect(actions[1]?.after).toMatchObject({ version: 2, maxAgeSeconds: 60 });
    expect(actions[1]?.before).toMatchObject({ version: 1, maxAgeSeconds: 600 });
    expect(actions[1]?.note).toBe('shorter max-age');
  });

  it('a tenant viewer reads the candidate but cannot write it', async () => {
    const { tenant } = await tenantWithKey();
    const viewer = await createUser(t, { memberships: [{ tenantId: tenant.id, role: 'viewer' }] });
    await putCandidate(tenant.slug, candidate()).expect(200);
    await t.http().get(url(tenant.slug)).set('authorization', viewer.bearer).expect(200);
    await t.http().get(url(tenant.slug, '/impact')).set('authorization', viewer.bearer).expect(200);
    await t
      .http()
      .put(url(tenant.slug))
      .set('authorization', viewer.bearer)
      .send(candidate())
      .expect(403);
    const other = await createTenant(t);
    await t.http().get(url(other.slug)).set('authorization', viewer.bearer).expect(404);
  });
});

describe('simulate with candidate: true', () => {
  it('decides with the stored candidate, sees a new candidate at once, and refuses no candidate or both', async () => {
    const tenant = await createTenant(t);
    await replacePolicy(t, admin, tenant.slug, live());
    const simulate = (body: object) =>
      t
        .http()
        .post(`/v1/tenants/${tenant.slug}/simulate`)
        .set('authorization', admin.bearer)
        .send(body);
    const none = await simulate({ origin: ADD, candidate: true }).expect(404);
    expect(none.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: `Tenant "${tenant.slug}" has no candidate policy`,
    });
    const first = await putCandidate(tenant.slug, candidate()).expect(200);
    expect((await simulate({ origin: ADD }).expect(200)).body).toMatchObject({ allowed: false });
    expect((await simulate({ origin: ADD, candidate: true }).expect(200)).body).toMatchObject({
      allowed: true,
      reason: 'exact-match',
      policyVersion: 0,
    });
    expect((await simulate({ origin: DROP, candidate: true }).expect(200)).body).toMatchObject({
      allowed: false,
      reason: 'origin-not-allowed',
    });
    // A new candidate is what the next simulate decides with.
    await putCandidate(
      tenant.slug,
      candidate({ allowedMethods: ['GET'] }),
      first.headers.etag,
    ).expect(200);
    expect(
      (await simulate({ origin: ADD, method: 'PUT', candidate: true }).expect(200)).body,
    ).toMatchObject({ allowed: false, reason: 'method-not-allowed', refusedName: 'PUT' });
    const both = await simulate({ origin: ADD, candidate: true, policy: live() }).expect(400);
    expect(both.body.message).toBe('Send a draft policy or candidate: true, not both');
  });
});

describe('shadow evaluation (SPEC §3)', () => {
  it('traffic from three origins gives exact would-block / would-allow counts; /resolve answers live, carries shadow', async () => {
    const { tenant, key } = await tenantWithKey();
    // No candidate: no shadow in the body.
    expect((await resolve(key.bearer, { origin: KEEP }).expect(200)).body.shadow).toBeUndefined();
    await putCandidate(tenant.slug, candidate()).expect(200);
    const same = await untilShadow(key.bearer);
    expect(same.body.shadow).toEqual({ allowed: true, reason: 'exact-match' });
    expect(resolveResponseSchema.safeParse(same.body).success).toBe(true);

    const dropped = await resolve(key.bearer, { origin: DROP }).expect(200);
    // The answer is the live one (allowed, with its headers); the candidate would refuse.
    expect(dropped.body).toMatchObject({
      allowed: true,
      reason: 'exact-match',
      shadow: { allowed: false, reason: 'origin-not-allowed' },
    });
    expect(dropped.body.headers['access-control-allow-origin']).toBe(DROP);
    const added = await resolve(key.bearer, { origin: ADD }).expect(200);
    expect(added.body).toMatchObject({
      allowed: false,
      reason: 'origin-not-allowed',
      shadow: { allowed: true, reason: 'exact-match' },
    });
    expect(added.body.headers['access-control-allow-origin']).toBeUndefined();

    // The ETag follows the shadow verdict too: same live answer, another body.
    expect(dropped.headers.etag).not.toBe(same.headers.etag);

    for (let i = 0; i < 4; i++) await resolve(key.bearer, { origin: KEEP }).expect(200);
    for (let i = 0; i < 2; i++) await resolve(key.bearer, { origin: DROP }).expect(200);
    for (let i = 0; i < 3; i++) await resolve(key.bearer, { origin: ADD }).expect(200);
    // Preflights through /resolve/headers count alike.
    await t
      .http()
      .options('/resolve/headers')
      .set('authorization', key.bearer)
      .set('origin', DROP)
      .set('access-control-request-method', 'PUT')
      .expect(204);
    const refused = await t
      .http()
      .get('/resolve/headers')
      .set('authorization', key.bearer)
      .set('origin', ADD);
    expect(refused.headers['x-corsplane-decision']).toBe('refused');

    const out = await impact(tenant.slug);
    expect(out.rows).toEqual([
      expect.objectContaining({
        origin: ADD,
        direction: 'would-allow',
        reason: 'exact-match',
        count: 5,
      }),
      expect.objectContaining({
        origin: DROP,
        direction: 'would-block',
        reason: 'origin-not-allowed',
        count: 4,
      }),
    ]);
    expect(out.totals).toEqual({
      wouldBlock: 4,
      wouldAllow: 5,
      wouldBlockOrigins: 1,
      wouldAllowOrigins: 1,
    });
    expect(out.nextCursor).toBeNull();

    // Paged: one row a page, then the next by cursor; the totals cover the window whatever the page.
    const first = await impact(tenant.slug, { limit: '1' });
    expect(first.rows.map((r) => r.origin)).toEqual([ADD]);
    expect(first.nextCursor).not.toBeNull();
    const second = await impact(tenant.slug, { limit: '1', cursor: first.nextCursor as string });
    expect(second.rows.map((r) => r.origin)).toEqual([DROP]);
    expect(second.nextCursor).toBeNull();
    expect(second.totals.wouldBlock).toBe(4);

    // A window that ends before the traffic counts nothing.
    const before = await impact(tenant.slug, {
      since: new Date(Date.now() - 3 * 3_600_000).toISOString(),
      until: new Date(Date.now() - 2 * 3_600_000).toISOString(),
    });
    expect(before.rows).toEqual([]);
    expect(before.totals.wouldBlock).toBe(0);

    // The chart's timeline: the same counts, per hour, zero-filled, in one request.
    const timeline = await t
      .http()
      .get(url(tenant.slug, '/impact/timeline'))
      .set('authorization', admin.bearer)
      .expect(200);
    expect(candidateImpactTimelineSchema.parse(timeline.body)).toEqual(timeline.body);
    const buckets = timeline.body.buckets as Array<{
      start: string;
      wouldBlock: number;
      wouldAllow: number;
    }>;
    expect(timeline.body.bucket).toBe('hour');
    expect(buckets.length).toBeGreaterThanOrEqual(24);
    for (const [i, b] of buckets.entries())
      if (i > 0)
        expect(Date.parse(b.start) - Date.parse(buckets[i - 1]?.start ?? '')).toBe(3_600_000);
    const sum = (k: 'wouldBlock' | 'wouldAllow') => buckets.reduce((n, b) => n + b[k], 0);
    expect([sum('wouldBlock'), sum('wouldAllow')]).toEqual([4, 5]);
    expect(buckets.filter((b) => b.wouldBlock + b.wouldAllow > 0).length).toBeLessThanOrEqual(2);
    const daily = await t
      .http()
      .get(url(tenant.slug, '/impact/timeline'))
      .query({ bucket: 'day' })
      .set('authorization', admin.bearer)
      .expect(200);
    expect(daily.body.buckets.length).toBeGreaterThanOrEqual(30);
    expect(
      (daily.body.buckets as typeof buckets).reduce((n, b) => n + b.wouldBlock + b.wouldAllow, 0),
    ).toBe(9);

    // The blocked-origin log is unchanged by shadow evaluation: it holds the live refusals (of ADD), not DROP.
    const blocked = await t
      .http()
      .get(`/v1/tenants/${tenant.slug}/blocked-origins`)
      .set('authorization', admin.bearer)
      .expect(200);
    const items = blocked.body.items as Array<{ origin: string; count: number }>;
    expect(items.filter((i) => i.origin === ADD || i.origin === DROP)).toEqual([
      expect.objectContaining({ origin: ADD, reason: 'origin-not-allowed', count: 5 }),
    ]);
  });

  it('refuses a bad impact query with 400 (window, cursor)', async () => {
    const { tenant } = await tenantWithKey();
    const get = (q: Record<string, string>) =>
      t.http().get(url(tenant.slug, '/impact')).query(q).set('authorization', admin.bearer);
    await get({ since: '2026-12-01T00:00:00Z', until: '2026-11-01T00:00:00Z' }).expect(400);
    await get({ since: '2026-01-01T00:00:00Z', until: '2026-12-01T00:00:00Z' }).expect(400);
    await get({ cursor: 'bm90LWEtY3Vyc29y' }).expect(400);
    await get({ limit: '0' }).expect(400);
    const timeline = (q: Record<string, string>) =>
      t
        .http()
        .get(url(tenant.slug, '/impact/timeline'))
        .query(q)
        .set('authorization', admin.bearer);
    await timeline({ since: '2026-01-01T00:00:00Z', until: '2026-12-01T00:00:00Z' }).expect(400);
    await timeline({ bucket: 'week' }).expect(400);
  });

  it('SDK-reported shadow counts (POST /resolve/events) reach the impact', async () => {
    const { tenant, key } = await tenantWithKey();
    const now = new Date().toISOString();
    const accepted = await t
      .http()
      .post('/resolve/events')
      .set('authorization', key.bearer)
      .send({
        events: [
          { origin: ADD, reason: 'origin-not-allowed', count: 7, firstSeen: now, lastSeen: now },
        ],
        shadow: [
          {
            origin: ADD,
            direction: 'would-allow',
            reason: 'exact-match',
            count: 7,
            firstSeen: now,
            lastSeen: now,
          },
          {
            origin: DROP,
            direction: 'would-block',
            reason: 'origin-not-allowed',
            count: 2,
            firstSeen: now,
            lastSeen: now,
          },
        ],
      })
      .expect(202);
    expect(accepted.body).toEqual({ accepted: 1, overflow: 0 });
    await t
      .http()
      .post('/resolve/events')
      .set('authorization', key.bearer)
      .send({
        events: [],
        shadow: [
          {
            origin: ADD,
            direction: 'sideways',
            reason: 'exact-match',
            count: 1,
            firstSeen: now,
            lastSeen: now,
          },
        ],
      })
      .expect(400);
    const out = await impact(tenant.slug);
    expect(out.totals).toEqual({
      wouldBlock: 2,
      wouldAllow: 7,
      wouldBlockOrigins: 1,
      wouldAllowOrigins: 1,
    });
  });

  it('/resolve/policy carries the candidate, and its ETag moves with it', async () => {
    const { tenant, key } = await tenantWithKey();
    const before = await t
      .http()
      .get('/resolve/policy')
      .set('authorization', key.bearer)
      .expect(200);
    expect(before.body.candidate).toBeNull();
    await putCandidate(tenant.slug, candidate()).expect(200);
    await untilShadow(key.bearer);
    const during = await t
      .http()
      .get('/resolve/policy')
      .set('authorization', key.bearer)
      .expect(200);
    expect(during.body.version).toBe(before.body.version);
    expect(during.headers.etag).not.toBe(before.headers.etag);
    expect(during.body.candidate.origins.map((o: { pattern: string }) => o.pattern)).toEqual([
      KEEP,
      ADD,
    ]);
    await t
      .http()
      .get('/resolve/policy')
      .set('authorization', key.bearer)
      .set('if-none-match', before.headers.etag as string)
      .expect(200);
    await t
      .http()
      .get('/resolve/policy')
      .set('authorization', key.bearer)
      .set('if-none-match', during.headers.etag as string)
      .expect(304);
  });
});

describe('promote (SPEC §4.1)', () => {
  it('makes the candidate live in one version with one audit row; the candidate is cleared; a stale promote is 412', async () => {
    const { tenant, key, version } = await tenantWithKey();
    await putCandidate(tenant.slug, candidate()).expect(200);
    await untilShadow(key.bearer);
    const promote = (ifMatch: string, body: object = {}) =>
      t
        .http()
        .post(url(tenant.slug, '/promote'))
        .set('authorization', admin.bearer)
        .set('if-match', ifMatch)
        .send(body);
    const auditBefore = await t.prisma.auditEvent.count({ where: { tenantId: tenant.id } });

    const stale = await promote(`"${version - 1}"`).expect(412);
    expect(stale.headers.etag).toBe(`"${version}"`);
    await promote(`"${version}"`, { candidateVersion: 9 }).expect(412);
    await t
      .http()
      .post(url(tenant.slug, '/promote'))
      .set('authorization', admin.bearer)
      .expect(428);
    // Nothing was written by the refused promotes.
    expect(await t.prisma.auditEvent.count({ where: { tenantId: tenant.id } })).toBe(auditBefore);
    await t.http().get(url(tenant.slug)).set('authorization', admin.bearer).expect(200);

    const done = await promote(`"${version}"`, {
      note: 'partner onboarding',
      candidateVersion: 1,
    }).expect(200);
    expect(done.headers.etag).toBe(`"${version + 1}"`);
    expect(done.body).toMatchObject({ version: version + 1, origins: [entry(KEEP), entry(ADD)] });

    const audit = await t.prisma.auditEvent.findMany({
      where: { tenantId: tenant.id, id: { gt: 0n } },
      orderBy: { id: 'asc' },
    });
    const added = audit.slice(auditBefore);
    expect(added.map((a) => a.action)).toEqual(['policy.promote']);
    expect(added[0]?.note).toBe('partner onboarding');
    expect(added[0]?.after).toMatchObject({ version: version + 1 });

    const versions = await t
      .http()
      .get(`/v1/tenants/${tenant.slug}/policy/versions`)
      .set('authorization', admin.bearer)
      .expect(200);
    expect(versions.body.items[0]).toMatchObject({ version: version + 1, source: 'promote' });
    expect(versions.body.items[1]).toMatchObject({ version });

    await t.http().get(url(tenant.slug)).set('authorization', admin.bearer).expect(404);
    await promote(`"${version + 1}"`).expect(404);

    // /resolve serves the promoted policy, without shadow.
    await untilResolveServes(t, key.bearer, version + 1);
    const now = await untilShadow(key.bearer, false);
    expect(now.body.policyVersion).toBe(version + 1);
    expect((await resolve(key.bearer, { origin: ADD }).expect(200)).body).toMatchObject({
      allowed: true,
      reason: 'exact-match',
    });
    expect((await resolve(key.bearer, { origin: DROP }).expect(200)).body.allowed).toBe(false);
  });
});
