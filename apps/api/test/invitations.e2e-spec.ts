import { newPrefixedSecret, sha256 } from '../src/common/crypto/secrets.js';
import { createTenant, createUser, uniq, type TestUser } from './factories/factories.js';
import { createTestApp, type TestApp } from './factories/test-app.js';

// One proxy hop in front of the API (as docker-compose.yml has it): each test speaks from its own address,
// so the per-address throttle of the public invitation routes never couples two tests.
let t: TestApp;
let admin: TestUser;
beforeAll(async () => {
  t = await createTestApp({ TRUST_PROXY: '1' });
  admin = await createUser(t, { platformRole: 'admin' });
});
afterAll(() => t.close());

const STRONG = 'violet tugboat anchors midnight';
let nextHost = 1;
/** A fresh documentation address (RFC 5737), distinct per call. */
const address = () => `203.0.${Math.floor(nextHost / 250)}.${(nextHost++ % 250) + 1}`;

async function invite(body: Record<string, unknown> = {}) {
  const res = await t
    .http()
    .post('/v1/invitations')
    .set('authorization', admin.bearer)
    .send({ email: `${uniq('invitee')}@example.test`, ...body })
    .expect(201);
  const created = res.body as { id: string; email: string; link: string; expiresAt: string };
  const token = decodeURIComponent(created.link.split('/invite/')[1] ?? '');
  return { ...created, token };
}

const lookup = (token: string, from = address()) =>
  t.http().post('/v1/invitations/lookup').set('x-forwarded-for', from).send({ token });
const accept = (token: string, password = STRONG, from = address()) =>
  t.http().post('/v1/invitations/accept').set('x-forwarded-for', from).send({ token, password });

/** The one answer for a link that cannot be used, whatever the reason. */
const UNUSABLE = {
  statusCode: 404,
  error: 'Not Found',
  message:
    'This invitation link is not valid: it was already used, revoked or has expired. Ask an administrator for a new one.',
};

function cookieOf(res: { headers: Record<string, unknown> }): string {
  const set = (res.headers['set-cookie'] as string[] | undefined) ?? [];
  const cookie = set.find((c) => c.startsWith('corsplane_session='));
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0] as string;
}

describe('creating invitations', () => {
  it('answers the link once, stores only the token hash, and lists the invitation as pending', async () => {
    const created = await invite({ platformRole: 'viewer' });
    expect(created.link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/invite\/cpi_[a-z0-9]{8}_[\w-]{49}$/);
    const hours = (Date.parse(created.expiresAt) - Date.now()) / 3600_000;
    expect(hours).toBeGreaterThan(71);
    expect(hours).toBeLessThanOrEqual(72);
    const row = await t.prisma.invitation.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.tokenHash).toBe(sha256(created.token));
    expect(JSON.stringify(row)).not.toContain(created.token);
    const list = await t
      .http()
      .get('/v1/invitations')
      .set('authorization', admin.bearer)
      .expect(200);
    const listed = (list.body.items as Array<Record<string, unknown>>).find(
      (i) => i.id === created.id,
    );
    expect(listed).toEqual({
      id: created.id,
      email: created.email,
      name: null,
      platformRole: 'viewer',
      memberships: [],
      createdBy: admin.email,
      createdAt: expect.any(String),
      expiresAt: created.expiresAt,
    });
    expect(JSON.stringify(list.body)).not.toContain(created.token);
  });

  it('refuses an email that already has a user (409) and an unknown tenant (400 naming it)', async () => {
    const existing = await createUser(t);
    const taken = await t
      .http()
      .post('/v1/invitations')
      .set('authorization', admin.bearer)
      .send({ email: existing.email.toUpperCase() })
      .expect(409);
    expect(taken.body).toMatchObject({
      statusCode: 409,
      message: expect.stringContaining('already exists'),
    });
    const unknown = await t
      .http()
      .post('/v1/invitations')
      .set('authorization', admin.bearer)
      .send({
        email: `${uniq('x')}@example.test`,
        memberships: [{ tenant: 'no-such-tenant', role: 'editor' }],
      })
      .expect(400);
    expect(unknown.body.details).toEqual([
      expect.objectContaining({ path: 'memberships[0].tenant', reason: 'not-found' }),
    ]);
  });

  it('replaces a pending invitation to the same email: the old link stops working', async () => {
    const first = await invite();
    const second = await invite({ email: first.email });
    expect((await lookup(first.token)).body).toEqual(UNUSABLE);
    expect((await lookup(second.token)).status).toBe(200);
    const pending = await t.prisma.invitation.count({
      where: { email: first.email, revokedAt: null },
    });
    expect(pending).toBe(1);
  });

  it('deletes invitations that expired more than 30 days ago, and keeps the recently expired', async () => {
    const day = 24 * 3600_000;
    const row = (email: string, expiredDaysAgo: number) =>
      t.prisma.invitation.create({
        data: {
          email,
          tokenHash: sha256(newPrefixedSecret('cpi').secret),
          createdByLabel: 'test',
          createdAt: new Date(Date.now() - (expiredDaysAgo + 3) * day),
          expiresAt: new Date(Date.now() - expiredDaysAgo * day),
        },
      });
    const longDead = await row(`${uniq('old')}@example.test`, 31);
    const recent = await row(`${uniq('recent')}@example.test`, 29);
    await invite();
    expect(await t.prisma.invitation.findUnique({ where: { id: longDead.id } })).toBeNull();
    expect(await t.prisma.invitation.findUnique({ where: { id: recent.id } })).not.toBeNull();
  });
});

describe('accepting an invitation', () => {
  it('creates the user with the invited role and memberships, signs them in, and works only once', async () => {
    const editorOf = await createTenant(t);
    const viewerOf = await createTenant(t);
    const created = await invite({
      name: 'Ada Lovelace',
      platformRole: 'viewer',
      memberships: [
        { tenant: editorOf.slug, role: 'editor' },
        { tenant: viewerOf.slug, role: 'viewer' },
      ],
    });
    const preview = await lookup(created.token).expect(200);
    expect(preview.body).toEqual({
      email: created.email,
      name: 'Ada Lovelace',
      expiresAt: created.expiresAt,
    });

    const accepted = await accept(created.token).expect(200);
    expect(accepted.body).toMatchObject({ email: created.email, platformRole: 'viewer' });
    const me = await t.http().get('/v1/auth/me').set('cookie', cookieOf(accepted)).expect(200);
    expect(me.body).toMatchObject({
      email: created.email,
      name: 'Ada Lovelace',
      platformRole: 'viewer',
      authMethod: 'session',
    });
    expect(me.body.memberships).toEqual(
      expect.arrayContaining([
        { tenant: editorOf.slug, role: 'editor' },
        { tenant: viewerOf.slug, role: 'viewer' },
      ]),
    );
    // The new user signs in with the password they chose.
    await t
      .http()
      .post('/v1/auth/login')
      .send({ email: created.email, password: STRONG })
      .expect(200);

    // Used: both public routes now give the one answer for an unusable link, and nothing is created twice.
    expect((await accept(created.token, 'another strong passphrase here')).body).toEqual(UNUSABLE);
    expect((await lookup(created.token)).body).toEqual(UNUSABLE);
    expect(await t.prisma.user.count({ where: { email: created.email } })).toBe(1);
    const list = await t
      .http()
      .get('/v1/invitations')
      .set('authorization', admin.bearer)
      .expect(200);
    expect(JSON.stringify(list.body)).not.toContain(created.id);
  });

  it('of ten parallel accepts with one link, makes exactly one user', async () => {
    const created = await invite({ platformRole: 'admin' });
    const statuses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        accept(created.token, `${STRONG} ${i}`).then((r) =>
          r.status === 200 || r.status === 404 ? r.status : `${r.status} ${JSON.stringify(r.body)}`,
        ),
      ),
    );
    expect(statuses.sort()).toEqual([200, ...Array<number>(9).fill(404)]);
    expect(await t.prisma.user.count({ where: { email: created.email } })).toBe(1);
    const accepts = await t.prisma.auditEvent.count({
      where: { action: 'invitation.accept', targetId: created.id },
    });
    expect(accepts).toBe(1);
  });

  it('refuses an expired link like a used one, and creates nobody', async () => {
    const created = await invite();
    await t.prisma.invitation.update({
      where: { id: created.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await lookup(created.token)).body).toEqual(UNUSABLE);
    expect((await accept(created.token)).body).toEqual(UNUSABLE);
    expect(await t.prisma.user.count({ where: { email: created.email } })).toBe(0);
  });

  it('refuses a revoked link, and revoking twice is a 404', async () => {
    const created = await invite();
    await t
      .http()
      .delete(`/v1/invitations/${created.id}`)
      .set('authorization', admin.bearer)
      .expect(204);
    expect((await lookup(created.token)).body).toEqual(UNUSABLE);
    expect((await accept(created.token)).body).toEqual(UNUSABLE);
    expect(await t.prisma.user.count({ where: { email: created.email } })).toBe(0);
    const again = await t
      .http()
      .delete(`/v1/invitations/${created.id}`)
      .set('authorization', admin.bearer)
      .expect(404);
    expect(again.body).toMatchObject({
      statusCode: 404,
      message: 'No pending invitation with this id',
    });
  });

  it.each([
    ['an unknown token with a valid checksum', () => newPrefixedSecret('cpi').secret],
    ['a token with a broken checksum', () => 'cpi_abcdefgh_' + 'B'.repeat(49)],
    ['a token of another kind', () => 'cpa_abcdefgh_' + 'C'.repeat(49)],
  ])('answers %s exactly like a used link', async (_name, token) => {
    expect((await lookup(token())).body).toEqual(UNUSABLE);
    expect((await accept(token())).body).toEqual(UNUSABLE);
  });

  it('refuses a guessable password (400) without using the link up', async () => {
    const created = await invite();
    const weak = await accept(created.token, 'password1234').expect(400);
    expect(weak.body).toMatchObject({
      statusCode: 400,
      details: [expect.objectContaining({ path: 'password' })],
    });
    await accept(created.token).expect(200);
  });

  it('answers 409 when the email got a user meanwhile, and leaves the link pending', async () => {
    const created = await invite();
    await createUser(t, { email: created.email });
    const res = await accept(created.token).expect(409);
    expect(res.body).toMatchObject({
      statusCode: 409,
      message: expect.stringContaining(created.email),
    });
    expect((await lookup(created.token)).status).toBe(200);
  });

  it('drops a membership whose tenant was deleted before the link was used', async () => {
    const kept = await createTenant(t);
    const gone = await createTenant(t);
    const created = await invite({
      memberships: [
        { tenant: kept.slug, role: 'editor' },
        { tenant: gone.slug, role: 'editor' },
      ],
    });
    await t
      .http()
      .delete(`/v1/tenants/${gone.slug}`)
      .set('authorization', admin.bearer)
      .expect(204);
    const res = await accept(created.token).expect(200);
    expect(res.body.memberships).toEqual([{ tenant: kept.slug, role: 'editor' }]);
  });

  it('refuses a cross-site accept (the route sets a session cookie)', async () => {
    const created = await invite();
    const res = await t
      .http()
      .post('/v1/invitations/accept')
      .set('x-forwarded-for', address())
      .set('origin', 'https://evil.example')
      .send({ token: created.token, password: STRONG })
      .expect(403);
    expect(res.body).toMatchObject({ statusCode: 403 });
    expect((await lookup(created.token)).status).toBe(200);
  });
});

describe('guessing tokens', () => {
  it('is throttled per address (429 + Retry-After) and a valid link keeps working elsewhere', async () => {
    const from = address();
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      const res = await lookup(`cpi_abcdefgh_${String(i).padStart(49, 'x')}`, from);
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    // LOGIN_MAX_FAILURES_PER_IP (20) guesses are answered, then the address waits.
    expect(statuses.slice(0, 20).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
    const created = await invite();
    const blocked = await accept(created.token, STRONG, from).expect(429);
    expect(blocked.body).toMatchObject({ statusCode: 429 });
    await accept(created.token, STRONG, address()).expect(200);
  });
});

describe('audit', () => {
  it('records create, revoke and accept, never with the token', async () => {
    const revoked = await invite();
    await t
      .http()
      .delete(`/v1/invitations/${revoked.id}`)
      .set('authorization', admin.bearer)
      .expect(204);
    const used = await invite({ platformRole: 'viewer' });
    const accepted = await accept(used.token).expect(200);
    const rows = await t.prisma.auditEvent.findMany({
      where: { targetId: { in: [revoked.id, used.id] } },
      orderBy: { id: 'asc' },
    });
    expect(rows.map((r) => [r.targetId, r.action, r.actorLabel])).toEqual([
      [revoked.id, 'invitation.create', admin.email],
      [revoked.id, 'invitation.revoke', admin.email],
      [used.id, 'invitation.create', admin.email],
      [used.id, 'invitation.accept', used.email],
    ]);
    expect(rows[3]?.actorId).toBe(accepted.body.id);
    expect(rows[3]?.after).toMatchObject({ email: used.email, platformRole: 'viewer' });
    const text = JSON.stringify(rows.map((r) => [r.before, r.after]));
    expect(text).not.toContain(revoked.token);
    expect(text).not.toContain(used.token);
    expect(text).not.toMatch(/scrypt/);
  });
});
