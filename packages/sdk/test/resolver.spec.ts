// The resolver against the real corsplane service: what a microservice sees when the
// service answers, changes, and goes away.
import { createCorsResolver, type CorsResolver } from '../src/index.js';
import { startCorsplane, type CorsplaneService } from './support/corsplane-service.js';

const APP = 'https://app.shop.test';
const policy = (origins: string[]) => ({
  mode: 'enforce',
  origins: origins.map((pattern) => ({ pattern })),
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
  const resolvers: CorsResolver[] = [];
  const resolver = (options: Partial<Parameters<typeof createCorsResolver>[0]> = {}) => {
    const created = createCorsResolver({
      serviceUrl: service.url,
      apiKey: key,
      onError: () => {},
      timeoutMs: 1000,
      ...options,
    });
    resolvers.push(created);
    return created;
  };

  beforeAll(async () => {
    // A one-second cacheTtlSeconds, so the tests see entries expire.
    service = await startCorsplane({ cacheTtlSeconds: 1 });
    key = await service.createTenant('shop', policy([APP]));
  });
  afterEach(async () => {
    await Promise.all(resolvers.splice(0).map((r) => r.close()));
  });
  afterAll(async () => {
    await service?.dispose();
  });

  it('shares one /resolve call among 100 concurrent first requests', async () => {
    const fresh = resolver();
    const decisions = await Promise.all(Array.from({ length: 100 }, () => fresh.resolve(get(APP))));
    expect(
      decisions.every((d) => d.allowed && d.headers['access-control-allow-origin'] === APP),
    ).toBe(true);
    expect(fresh.stats()).toMatchObject({ serviceCalls: 1, misses: 1 });
  });

  it('reports refusals exactly: the service counts the first, the SDK flushes the repeats', async () => {
    const counting = resolver({ eventsFlushIntervalMs: 60_000 });
    for (let i = 0; i < 25; i++)
      expect((await counting.resolve(get('https://refused.test'))).allowed).toBe(false);
    expect(counting.stats().serviceCalls).toBe(1);
    await counting.close();
    let rows: Awaited<ReturnType<CorsplaneService['blockedOrigins']>> = [];
    for (let attempt = 0; attempt < 50; attempt++) {
      rows = (await service.blockedOrigins('shop')).filter(
        (row) => row.origin === 'https://refused.test',
      );
      if (rows[0]?.count === 25) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(rows).toEqual([
      expect.objectContaining({
        origin: 'https://refused.test',
        reason: 'origin-not-allowed',
        count: 25,
      }),
    ]);
  });

  it('follows a policy change once its cached answer expires', async () => {
    const following = resolver();
    expect((await following.resolve(get('https://new.shop.test'))).allowed).toBe(false);
    await service.setPolicy('shop', policy([APP, 'https://new.shop.test']));
    await new Promise((r) => setTimeout(r, 1100));
    expect((await following.resolve(get('https://new.shop.test'))).allowed).toBe(true);
  });

  it('serves stale answers while the service is stopped, and refuses what it never saw', async () => {
    const resilient = resolver({ staleIfErrorMs: 60_000 });
    expect((await resilient.resolve(get(APP))).allowed).toBe(true);
    await service.stop();
    try {
      await new Promise((r) => setTimeout(r, 1100)); // the cached answer is now past its TTL
      const stale = await resilient.resolve(get(APP));
      expect(stale).toMatchObject({
        allowed: true,
        headers: { 'access-control-allow-origin': APP },
      });
      expect(resilient.stats().staleServed).toBeGreaterThanOrEqual(1);
      const unseen = await resilient.resolve(get('https://unseen.test'));
      expect(unseen).toMatchObject({ allowed: false, reason: 'service-unavailable' });
      expect(unseen.headers).not.toHaveProperty('access-control-allow-origin');
    } finally {
      await service.start();
    }
    // Back up: answers come from the service again.
    expect((await resolver().resolve(get(APP))).reason).toBe('exact-match');
  });

  it('stops serving stale answers after staleIfErrorMs', async () => {
    const strict = resolver({ staleIfErrorMs: 500 });
    expect((await strict.resolve(get(APP))).allowed).toBe(true);
    await service.stop();
    try {
      await new Promise((r) => setTimeout(r, 1700)); // TTL (1 s) + staleIfErrorMs (0.5 s) have passed
      expect(await strict.resolve(get(APP))).toMatchObject({
        allowed: false,
        reason: 'service-unavailable',
      });
    } finally {
      await service.start();
    }
  });

  it('refuses with a wrong key rather than guessing', async () => {
    const wrong = resolver({ apiKey: 'cpk_live_nope_nope' });
    expect(await wrong.resolve(get(APP))).toMatchObject({
      allowed: false,
      reason: 'service-unavailable',
    });
    expect(wrong.stats().serviceErrors).toBe(1);
  });
});
