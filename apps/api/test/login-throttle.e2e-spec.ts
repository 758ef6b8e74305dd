import { createUser, PASSWORD, type TestUser } from './factories/factories.js';
import { createTestApp, type TestApp } from './factories/test-app.js';

// One proxy hop in front of the API, as docker-compose.yml sets it up: the API counts the entry that proxy
// appended (the rightmost), never what the client wrote before it.
const PROXIED = { TRUST_PROXY: '1' };

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp(PROXIED);
});
afterAll(() => t.close());

/** A login as seen behind one proxy: `forwardedFor` is the whole X-Forwarded-For the API receives. */
const login = (app: TestApp, email: string, password: string, forwardedFor: string) =>
  app.http().post('/v1/auth/login').set('x-forwarded-for', forwardedFor).send({ email, password });

/** A fresh documentation address (RFC 5737), distinct per call. */
let nextHost = 1;
const address = () => `198.51.${Math.floor(nextHost / 250)}.${(nextHost++ % 250) + 1}`;

describe('login throttling under attack', () => {
  it('lets 100 parallel wrong passwords from one address through to at most 5 password checks', async () => {
    const user = await createUser(t, { platformRole: 'viewer' });
    const from = address();
    const statuses = await Promise.all(
      Array.from({ length: 100 }, () =>
        login(t, user.email, 'wrong-password!', from).then((r) => r.status),
      ),
    );
    // A 401 is a password that was checked; a 429 was refused before any password work.
    const checked = statuses.filter((s) => s === 401).length;
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(100 - checked);
  });

  it('counts the address the proxy appended, not the X-Forwarded-For entries the client made up', async () => {
    const real = address();
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      // Each try claims another address and another account; only the proxy's entry is real.
      const res = await login(
        t,
        `nobody-${i}-${real}@example.test`,
        'wrong-password!',
        `10.66.${i}.1, ${real}`,
      );
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
    const keys = (await t.prisma.loginFailureWindow.findMany({ select: { key: true } })).map(
      (w) => w.key,
    );
    expect(keys).toContain(`ip:${real}`);
    expect(keys.some((k) => k.startsWith('ip:10.66.'))).toBe(false);
  });

  it('still signs the right password in from a clean address while the account is attacked', async () => {
    const user = await createUser(t, { platformRole: 'viewer' });
    const attackers = [address(), address(), address()];
    for (const from of attackers)
      for (let i = 0; i < 8; i++) await login(t, user.email, 'wrong-password!', from);
    // The attackers' own addresses are refused, even with the right password…
    const refused = await login(t, user.email, PASSWORD, attackers[0] as string).expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // …but the account is not locked: its owner, from an address with no failures, gets in.
    await login(t, user.email, PASSWORD, address()).expect(200);
  });

  it('slows an attacked account down for addresses that already failed on it', async () => {
    const user = await createUser(t, { platformRole: 'viewer' });
    // Twelve addresses, one wrong guess each: no pair reaches its limit, but the account is 7 attempts past
    // its count, so the backoff (2^7 s) outlasts however slowly this machine runs the next two requests.
    for (let i = 0; i < 12; i++)
      await login(t, user.email, 'wrong-password!', address()).expect(401);
    const typo = address();
    await login(t, user.email, 'wrong-password!', typo).expect(401);
    // A second try from an address that failed waits for the account's backoff, right password or not.
    const res = await login(t, user.email, PASSWORD, typo).expect(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('does not charge an address for its own successful sign-ins', async () => {
    const user: TestUser = await createUser(t, { platformRole: 'viewer' });
    const from = address();
    for (let i = 0; i < 10; i++) await login(t, user.email, PASSWORD, from).expect(200);
  });
});
