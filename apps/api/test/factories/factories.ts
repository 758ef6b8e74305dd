import { randomUUID } from 'node:crypto';
import type { PolicyInput } from '@corsplane/contracts';
import { SYSTEM_ACTOR, type Actor } from '../../src/common/auth/principal.js';
import { hashPassword } from '../../src/common/crypto/secrets.js';
import { ApiKeysService } from '../../src/modules/api-keys/api-keys.service.js';
import { AuthService } from '../../src/modules/auth/auth.service.js';
import { TenantsService } from '../../src/modules/tenants/tenants.service.js';
import type { TestApp } from './test-app.js';

export const PASSWORD = 'correct horse battery staple';
// One scrypt hash shared by every test user: hashing costs ~50 ms each.
const passwordHash = hashPassword(PASSWORD);

export const uniq = (prefix = 't') => `${prefix}-${randomUUID().slice(0, 8)}`;

export interface TestUser {
  id: string;
  email: string;
  /** `Authorization` header value of an admin token acting as this user. */
  bearer: string;
}

export async function createUser(
  t: TestApp,
  o: {
    email?: string;
    platformRole?: 'admin' | 'viewer' | null;
    memberships?: Array<{ tenantId: string; role: 'editor' | 'viewer' }>;
  } = {},
): Promise<TestUser> {
  const user = await t.prisma.user.create({
    data: {
      email: o.email ?? `${uniq('user')}@example.test`,
      passwordHash: await passwordHash,
      platformRole: o.platformRole ?? null,
      memberships: o.memberships
        ? { create: o.memberships.map((m) => ({ tenantId: m.tenantId, role: m.role })) }
        : undefined,
    },
  });
  const token = await t.app.get(AuthService).createToken(
    {
      kind: 'user',
      userId: user.id,
      email: user.email,
      platformRole: user.platformRole,
      memberships: new Map(),
      via: 'token',
    },
    { name: 'test' },
    SYSTEM_ACTOR,
  );
  return { id: user.id, email: user.email, bearer: `Bearer ${token.token}` };
}

export async function createTenant(
  t: TestApp,
  o: { slug?: string; name?: string } = {},
  actor: Actor = SYSTEM_ACTOR,
) {
  return t.app
    .get(TenantsService)
    .create({ slug: o.slug ?? uniq('tenant'), name: o.name ?? 'Test tenant' }, actor);
}

export async function createKey(
  t: TestApp,
  tenant: { id: string; slug: string } | null,
  name = 'gateway',
) {
  const key = await t.app.get(ApiKeysService).create(tenant, name, SYSTEM_ACTOR);
  return { ...key, bearer: `Bearer ${key.secret}` };
}

/** Signs in through the API; returns the Cookie header value. */
export async function sessionCookie(
  t: TestApp,
  email: string,
  password = PASSWORD,
): Promise<string> {
  const res = await t.http().post('/v1/auth/login').send({ email, password }).expect(200);
  const set = res.headers['set-cookie'] as unknown as string[];
  const cookie = set.find((c) => c.startsWith('corsplane_session='));
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0] as string;
}

export function validPolicy(overrides: Partial<PolicyInput> = {}): PolicyInput {
  return {
    mode: 'enforce',
    origins: [
      { pattern: 'https://app.acme.com', note: 'prod', expiresAt: null },
      { pattern: 'https://*.acme.com', note: null, expiresAt: null },
    ],
    allowedMethods: ['GET', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: ['content-type', 'authorization'],
    exposedHeaders: ['x-request-id'],
    allowCredentials: true,
    maxAgeSeconds: 600,
    allowPrivateNetwork: false,
    ...overrides,
  };
}

/** `count` distinct exact origins with the notes and expiries a real large tenant has. */
export function manyOrigins(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    pattern: `https://customer-${String(i).padStart(6, '0')}.eu-west.app.example-saas.com`,
    note: `customer ${i}, production`,
    expiresAt: i % 10 === 0 ? '2999-12-31T00:00:00.000Z' : null,
  }));
}

/**
 * Replaces a tenant's policy through the API as `actor` (GET for the ETag, then PUT with
 * If-Match); returns the new version. A refusal throws with the response body, which names the
 * offending field.
 */
export async function replacePolicy(
  t: TestApp,
  actor: TestUser,
  slug: string,
  document: object,
): Promise<number> {
  const url = `/v1/tenants/${slug}/policy`;
  const current = await t.http().get(url).set('authorization', actor.bearer).expect(200);
  const saved = await t
    .http()
    .put(url)
    .set('authorization', actor.bearer)
    .set('if-match', current.headers.etag as string)
    .send(document);
  if (saved.status !== 200)
    throw new Error(`policy of ${slug} refused: ${saved.status} ${JSON.stringify(saved.body)}`);
  return saved.body.version as number;
}

/** Polls /resolve until it serves `version` to this key: NOTIFY arrives right after the commit. */
export async function untilResolveServes(
  t: TestApp,
  bearer: string,
  version: number,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await t
      .http()
      .get('/resolve?origin=https%3A%2F%2Fwarm-up.invalid')
      .set('authorization', bearer);
    if (res.body.policyVersion === version) return;
    if (Date.now() > deadline) throw new Error(`/resolve never served policy version ${version}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
