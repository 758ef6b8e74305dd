// The resolver against the real corsplane service (its API on embedded PostgreSQL): every change
// made through the admin API reaches a running resolver over /resolve/changes, without a restart
// and without any TTL to wait out; the service going away and coming back.
import { createCorsResolver, type CorsResolver, type CorsResolverOptions } from '../src/index.js';
import { SERVICE_TIMEOUT_MS, until } from './support/until.js';
import type { IncomingCorsRequest } from '../src/types.js';
import { startCorsplane, type CorsplaneService } from './support/corsplane-service.js';

const APP = 'https://app.shop.test';
const policy = (origins: Array<string | { pattern: string; expiresAt: string }>) => ({
  mode: 'enforce',
  origins: origins.map((o) => (typeof o === 'string' ? { pattern: o } : o)),
  allowedMethods: ['GET', 'PUT'],
  allowedHeaders: ['content-type'],
  exposedHeaders: [],
  allowCredentials: false,
  maxAgeSeconds: null,
  allowPrivateNetwork: false,
});
const get = (origin: string) => ({ method: 'GET', headers: { origin } });

describe('createCorsResolver against the real corsplane service', () => {
  let service: CorsplaneService;
  let key: string;
  let tenants = 0;
  const resolvers: Array<CorsResolver<never>> = [];
  const resolver = <Req extends IncomingCorsRequest = IncomingCorsRequest>(
    options: Partial<CorsResolverOptions<Req>> = {},
  ) => {
    const created = createCorsResolver<Req>({
      serviceUrl: service.url,
      apiKey: key,
      onError: () => {},
      timeoutMs: SERVICE_TIMEOUT_MS,
      ...options,
    });
    resolvers.push(created as unknown as CorsResolver<never>);
    return created;
  };
  /** A tenant of its own for a test that changes it. */
  const tenant = async (origins: string[] = [APP]) => {
    const slug = `shop-${++tenants}`;
    return { slug, key: await service.createTenant(slug, policy(origins)) };
  };

  beforeAll(async () => {
    service = await startCorsplane();
    key = await service.createTenant('shop', policy([APP]));
  });
  afterEach(async () => {
    await Promise.all(resolvers.splice(0).map((r) => r.close()));
  });
  afterAll(async () => {
    await service?.dispose();
  });

  it('decides 100,000 distinct unseen origins locally: zero service calls after the first fetch', async () => {
    const local = resolver();
    expect((await local.resolve(get(APP))).reason).toBe('exact-match');
    await until(() => local.stats().streamConnected, 'the change stream');
    const before = local.stats().serviceCalls;
    for (let i = 0; i < 100_000; i++) {
      const decision = local.lookup(get(`https://unseen-${i}.example.net`));
      if (decision?.reason !== 'origin-not-allowed')
        throw new Error(`origin ${i}: ${decision?.reason}`);
    }
    expect(local.stats()).toMatchObject({ serviceCalls: before, hits: 100_000 });
  });

  it('follows an added and a removed origin, the moment they are saved', async () => {
    const t = await tenant([APP]);
    const following = resolver({ apiKey: t.key });
    expect((await following.resolve(get('https://new.shop.test'))).allowed).toBe(false);
    await until(() => following.stats().streamConnected, 'the change stream');
    await service.setPolicy(t.slug, policy([APP, 'https://new.shop.test']));
    await until(() => following.lookup(get('https://new.shop.test'))?.allowed === true, 'the add');
    await service.setPolicy(t.slug, policy(['https://new.shop.test']));
    await until(() => following.lookup(get(APP))?.allowed === false, 'the removal');
    expect(following.lookup(get(APP))).toMatchObject({
      reason: 'origin-not-allowed',
      policyVersion: 4,
    });
  });

  it('stops allowing an entry when its expiry passes, with no call to the service', async () => {
    const t = await tenant([]);
    const soon = new Date(Date.now() + 1_500).toISOString();
    await service.setPolicy(
      t.slug,
      policy([{ pattern: 'https://temp.shop.test', expiresAt: soon }]),
    );
    const expiring = resolver({ apiKey: t.key });
    const first = await expiring.resolve(get('https://temp.shop.test'));
    // A busy machine may have needed longer than the expiry to get here: either way it must not allow after it.
    if (Date.now() < Date.parse(soon)) expect(first.allowed).toBe(true);
    const calls = expiring.stats().serviceCalls;
    await until(
      () => expiring.lookup(get('https://temp.shop.test'))?.reason === 'expired',
      'expiry',
    );
    expect(expiring.stats().serviceCalls).toBeLessThanOrEqual(calls + 1); // at most the stream's revalidation
  });

  it('refuses everything once its key is revoked', async () => {
    const t = await tenant();
    const second = await service.createKey(t.slug);
    const revocable = resolver({ apiKey: second.secret });
    expect((await revocable.resolve(get(APP))).allowed).toBe(true);
    await until(() => revocable.stats().streamConnected, 'the change stream');
    await service.revokeKey(t.slug, second.id);
    await until(() => revocable.lookup(get(APP))?.reason === 'revoked', 'the revocation');
    expect(revocable.lookup(get(APP))?.allowed).toBe(false);
  });

  it('refuses everything once its tenant is deleted', async () => {
    const t = await tenant();
    const doomed = resolver({ apiKey: t.key });
    expect((await doomed.resolve(get(APP))).allowed).toBe(true);
    await until(() => doomed.stats().streamConnected, 'the change stream');
    await service.deleteTenant(t.slug);
    await until(() => doomed.lookup(get(APP))?.allowed === false, 'the deletion');
  });

  it('serves two tenants with their own policies from one resolver (platform key, tenant function)', async () => {
    const a = await tenant(['https://app.alpha.test']);
    const b = await tenant(['https://app.beta.test']);
    const platform = await service.createPlatformKey();
    type Req = IncomingCorsRequest & { hostname: string };
    const shared = resolver<Req>({ apiKey: platform, tenant: (req) => req.hostname.split('.')[0] });
    const at = (slug: string, origin: string): Req => ({
      ...get(origin),
      hostname: `${slug}.api.test`,
    });
    expect(await shared.resolve(at(a.slug, 'https://app.alpha.test'))).toMatchObject({
      allowed: true,
      tenant: a.slug,
    });
    expect(await shared.resolve(at(b.slug, 'https://app.beta.test'))).toMatchObject({
      allowed: true,
      tenant: b.slug,
    });
    expect((await shared.resolve(at(b.slug, 'https://app.alpha.test'))).allowed).toBe(false);
    expect((await shared.resolve(at('no-such-tenant', 'https://app.alpha.test'))).reason).toBe(
      'unknown-tenant',
    );
    // One stream follows both.
    await until(() => shared.stats().streamConnected, 'the change stream');
    await service.setPolicy(b.slug, policy(['https://app.beta.test', 'https://two.beta.test']));
    await until(() => shared.lookup(at(b.slug, 'https://two.beta.test'))?.allowed === true, 'b');
    expect(shared.lookup(at(a.slug, 'https://two.beta.test'))?.allowed).toBe(false);
  });

  it('reports refusals exactly: every one is counted and flushed in a batch', async () => {
    // A tenant of its own: the service itemises a capped number of origins per tenant and hour.
    const t = await tenant();
    const counting = resolver({ apiKey: t.key, eventsFlushIntervalMs: 60_000 });
    for (let i = 0; i < 25; i++)
      expect((await counting.resolve(get('https://refused.test'))).allowed).toBe(false);
    await counting.close();
    await until(async () => {
      const rows = await service.blockedOrigins(t.slug);
      return rows.some((row) => row.origin === 'https://refused.test' && row.count === 25);
    }, '25 refusals in the blocked-origin log');
  });

  it('catches up after the service restarts, serves stale while it is down, then onUnavailable', async () => {
    const t = await tenant([APP]);
    const resilient = resolver({ apiKey: t.key, staleIfErrorMs: 60_000 });
    const strict = resolver({ apiKey: t.key, staleIfErrorMs: 1_000 });
    expect((await resilient.resolve(get(APP))).allowed).toBe(true);
    expect((await strict.resolve(get(APP))).allowed).toBe(true);
    await until(
      () => resilient.stats().streamConnected && strict.stats().streamConnected,
      'streams',
    );
    await service.stop();
    try {
      await until(() => !resilient.stats().streamConnected, 'the lost stream');
      expect(await resilient.resolve(get(APP))).toMatchObject({
        allowed: true,
        headers: { 'access-control-allow-origin': APP },
      });
      expect(resilient.stats().staleServed).toBeGreaterThanOrEqual(1);
      const unseenTenant = resolver({ apiKey: t.key });
      expect(await unseenTenant.resolve(get(APP))).toMatchObject({
        allowed: false,
        reason: 'service-unavailable',
      });
      await until(
        async () => (await strict.resolve(get(APP))).reason === 'service-unavailable',
        'staleIfErrorMs to pass',
      );
    } finally {
      await service.start();
    }
    await service.setPolicy(t.slug, policy(['https://after.shop.test']));
    await until(
      () => resilient.lookup(get('https://after.shop.test'))?.allowed === true,
      'catch-up',
    );
    expect(resilient.stats().streamReconnects).toBeGreaterThanOrEqual(1);
  });

  // Last: the baseline is the whole service's, and its version counts in every tenant's effective version.
  it('follows a platform baseline change on every held tenant without a restart, with matchedSource', async () => {
    const a = await tenant(['https://app.alpha.test']);
    const b = await tenant(['https://app.beta.test']);
    const platform = await service.createPlatformKey();
    type Req = IncomingCorsRequest & { hostname: string };
    const shared = resolver<Req>({ apiKey: platform, tenant: (req) => req.hostname.split('.')[0] });
    const own = resolver({ apiKey: a.key });
    const at = (slug: string, origin: string): Req => ({ ...get(origin), hostname: `${slug}.api` });
    const console = (slug: string) => `https://${slug}.console.test`;
    for (const t of [a, b])
      expect((await shared.resolve(at(t.slug, console(t.slug)))).allowed).toBe(false);
    expect((await own.resolve(get(console(a.slug)))).allowed).toBe(false);
    await until(() => shared.stats().streamConnected, 'the shared change stream');
    await until(() => own.stats().streamConnected, 'the tenant key’s change stream');

    await service.setBaseline([{ pattern: 'https://{tenant}.console.test' }]);
    for (const t of [a, b]) {
      await until(
        () => shared.lookup(at(t.slug, console(t.slug)))?.allowed === true,
        `the baseline on ${t.slug}`,
      );
      expect(shared.lookup(at(t.slug, console(t.slug)))).toMatchObject({
        reason: 'exact-match',
        matchedPattern: console(t.slug),
        matchedSource: 'baseline',
      });
    }
    await until(() => own.lookup(get(console(a.slug)))?.allowed === true, 'the tenant key');
    // {tenant} is each tenant's own slug, and the tenant's own entries keep their source.
    expect(shared.lookup(at(a.slug, console(b.slug)))?.allowed).toBe(false);
    expect(own.lookup(get('https://app.alpha.test'))).toMatchObject({ matchedSource: 'tenant' });

    await service.setBaseline([]);
    await until(() => own.lookup(get(console(a.slug)))?.allowed === false, 'the removal');
    await until(
      () => shared.lookup(at(b.slug, console(b.slug)))?.allowed === false,
      'the removal on the shared resolver',
    );
  });

  it('refuses with a wrong key rather than guessing', async () => {
    const wrong = resolver({ apiKey: 'cpk_live_nope_nope', onUnavailable: 'allow' });
    expect(await wrong.resolve(get(APP))).toMatchObject({ allowed: false, reason: 'revoked' });
  });
});
