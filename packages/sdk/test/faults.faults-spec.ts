// Fault test (npm run test:faults): the resolver while the corsplane service is stopped. Answers it had
// cached keep being served (stale) for staleIfErrorMs past their TTL, then it refuses (onUnavailable:
// 'deny'), and it never allows anything it had not seen; once the service is back, answers come from it
// again. Measured on a timeline of requests every 25 ms.
import { createCorsResolver } from '../src/index.js';
import { startCorsplane, type CorsplaneService } from './support/corsplane-service.js';

const APP = 'https://app.shop.test';
const REFUSED = 'https://refused.shop.test';
const TTL_MS = 1_000; // cacheTtlSeconds of the service below
const STALE_IF_ERROR_MS = 3_000;
const get = (origin: string) => ({ method: 'GET', headers: { origin } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let service: CorsplaneService | undefined;

afterAll(async () => {
  await service?.dispose();
});

it('serves stale decisions for staleIfErrorMs while the service is stopped, then denies', async () => {
  service = await startCorsplane({ cacheTtlSeconds: TTL_MS / 1000 });
  const key = await service.createTenant('shop', {
    mode: 'enforce',
    origins: [{ pattern: APP }],
    allowedMethods: ['GET'],
    allowedHeaders: [],
    exposedHeaders: [],
    allowCredentials: false,
    maxAgeSeconds: null,
    allowPrivateNetwork: false,
  });
  const resolver = createCorsResolver({
    serviceUrl: service.url,
    apiKey: key,
    staleIfErrorMs: STALE_IF_ERROR_MS,
    onUnavailable: 'deny',
    timeoutMs: 500,
    onError: () => {},
  });
  try {
    // Warm: one fresh answer each, then the service goes away.
    // The stale window runs from the start of the fresh fetch (the resolver stamps it then).
    const fetchedAt = performance.now();
    expect((await resolver.resolve(get(APP))).allowed).toBe(true);
    const fetchTook = performance.now() - fetchedAt;
    expect((await resolver.resolve(get(REFUSED))).allowed).toBe(false);
    await service.stop();
    const stoppedAfter = performance.now() - fetchedAt;

    let staleAllowed = 0;
    let deniedAt = Infinity;
    let allowedAfterDeny = 0;
    let refusedEverAllowed = 0;
    let unseenEverAllowed = 0;
    const deadline = fetchedAt + TTL_MS + STALE_IF_ERROR_MS + 3_000;
    while (performance.now() < deadline) {
      const d = await resolver.resolve(get(APP));
      const t = performance.now() - fetchedAt;
      if (d.allowed) {
        if (deniedAt !== Infinity) allowedAfterDeny++;
        else staleAllowed++;
        expect(d.headers['access-control-allow-origin']).toBe(APP);
      } else {
        expect(d.reason).toBe('service-unavailable');
        expect(d.headers).not.toHaveProperty('access-control-allow-origin');
        if (deniedAt === Infinity) deniedAt = t;
      }
      if ((await resolver.resolve(get(REFUSED))).allowed) refusedEverAllowed++;
      if ((await resolver.resolve(get(`https://unseen-${staleAllowed}.test`))).allowed)
        unseenEverAllowed++;
      await sleep(25);
    }
    const stats = resolver.stats();

    await service.start();
    await sleep(1_100); // the denial is cached for a second
    const back = await resolver.resolve(get(APP));

    const expectedDenyAt = TTL_MS + STALE_IF_ERROR_MS;
    process.stdout.write(
      `\nfault test: SDK resolver with the service stopped (TTL ${TTL_MS} ms, staleIfErrorMs ${STALE_IF_ERROR_MS} ms)\n` +
        `  service stopped after                 ${stoppedAfter.toFixed(0)} ms (from the last fresh answer)\n` +
        `  stale allowed answers served          ${staleAllowed} (resolver stats: staleServed ${stats.staleServed}, serviceErrors ${stats.serviceErrors})\n` +
        `  turned to deny at                     ${deniedAt.toFixed(0)} ms (expected ${expectedDenyAt} ms = TTL + staleIfErrorMs)\n` +
        `  allowed after the deny                ${allowedAfterDeny}\n` +
        `  refused / unseen origins allowed      ${refusedEverAllowed} / ${unseenEverAllowed}\n` +
        `  after the service is back             ${back.allowed ? 'allowed' : 'refused'} (${back.reason})\n`,
    );

    expect(staleAllowed).toBeGreaterThan(10);
    expect(stats.staleServed).toBeGreaterThan(0);
    // Not before the window ends (a few ms for Date.now against performance.now), and within a poll after.
    expect(deniedAt).toBeGreaterThanOrEqual(expectedDenyAt - 20);
    expect(deniedAt).toBeLessThan(expectedDenyAt + fetchTook + 1_000);
    expect(allowedAfterDeny).toBe(0);
    expect(refusedEverAllowed).toBe(0);
    expect(unseenEverAllowed).toBe(0);
    expect(back).toMatchObject({ allowed: true, reason: 'exact-match' });
  } finally {
    await resolver.close();
  }
});
