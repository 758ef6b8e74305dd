// Fault test (npm run test:faults): the resolver while the corsplane service is stopped. The policy it
// holds keeps deciding (stale) for staleIfErrorMs after its change stream was lost, then it refuses
// (onUnavailable: 'deny'); it never allows an origin the policy does not list; once the service is back,
// the stream reopens and the policy is confirmed again. Measured on a timeline of requests every 25 ms.
import { createCorsResolver } from '../src/index.js';
import { startCorsplane, type CorsplaneService } from './support/corsplane-service.js';

const APP = 'https://app.shop.test';
const REFUSED = 'https://refused.shop.test';
const STALE_IF_ERROR_MS = 3_000;
const get = (origin: string) => ({ method: 'GET', headers: { origin } });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let service: CorsplaneService | undefined;

afterAll(async () => {
  await service?.dispose();
});

it('serves the held policy for staleIfErrorMs while the service is stopped, then denies', async () => {
  service = await startCorsplane();
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
    expect((await resolver.resolve(get(APP))).allowed).toBe(true);
    while (!resolver.stats().streamConnected) await sleep(20);
    // The stale window cannot start before the service begins to stop (the stream ends after that).
    const stopping = performance.now();
    await service.stop();
    const stoppedAfter = performance.now() - stopping;

    let staleAllowed = 0;
    let deniedAt = Infinity;
    let allowedAfterDeny = 0;
    let refusedEverAllowed = 0;
    let unseenEverAllowed = 0;
    for (;;) {
      const d = await resolver.resolve(get(APP));
      const t = performance.now() - stopping;
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
      // Keep polling a while after the deny, to see that it holds.
      if (t > deniedAt + 1_000) break;
      await sleep(25);
    }
    const stats = resolver.stats();

    await service.start();
    while (!resolver.stats().streamConnected) await sleep(20);
    const back = await resolver.resolve(get(APP));

    process.stdout.write(
      `\nfault test: SDK resolver with the service stopped (staleIfErrorMs ${STALE_IF_ERROR_MS} ms)\n` +
        `  service stopped in                    ${stoppedAfter.toFixed(0)} ms\n` +
        `  stale allowed answers served          ${staleAllowed} (resolver stats: staleServed ${stats.staleServed}, serviceErrors ${stats.serviceErrors})\n` +
        `  turned to deny at                     ${deniedAt.toFixed(0)} ms after the stop began (window ${STALE_IF_ERROR_MS} ms from the stream's loss)\n` +
        `  allowed after the deny                ${allowedAfterDeny}\n` +
        `  refused / unseen origins allowed      ${refusedEverAllowed} / ${unseenEverAllowed}\n` +
        `  after the service is back             ${back.allowed ? 'allowed' : 'refused'} (${back.reason}), stream reconnects ${resolver.stats().streamReconnects}\n`,
    );

    expect(staleAllowed).toBeGreaterThan(10);
    expect(stats.staleServed).toBeGreaterThan(0);
    // Never before the window ends (a few ms for Date.now against performance.now).
    expect(deniedAt).toBeGreaterThanOrEqual(STALE_IF_ERROR_MS - 20);
    expect(allowedAfterDeny).toBe(0);
    expect(refusedEverAllowed).toBe(0);
    expect(unseenEverAllowed).toBe(0);
    expect(back).toMatchObject({ allowed: true, reason: 'exact-match' });
  } finally {
    await resolver.close();
  }
});
