// Unit tests of the resolver's cache semantics against a stand-in /resolve server (a real
// HTTP server on loopback whose answers the test controls). The SDK's end-to-end tests run
// against the real corsplane API in test/.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCorsResolver } from './resolver.js';
import type { CorsDecision, CorsResolverOptions } from './types.js';

interface StandIn {
  url: string;
  calls: URL[];
  events: unknown[];
  /** Statuses for the next POST /resolve/events calls; 202 once exhausted. Only accepted bodies are kept. */
  eventStatuses: number[];
  eventPosts: number;
  answer: (url: URL) => { status: number; body?: unknown; delayMs?: number };
  close: () => Promise<void>;
}

async function standIn(): Promise<StandIn> {
  const state: StandIn = {
    url: '',
    calls: [],
    events: [],
    eventStatuses: [],
    eventPosts: 0,
    answer: (url) => ({ status: 200, body: allowedBody(url.searchParams.get('origin') ?? '') }),
    close: async () => {},
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (url.pathname === '/resolve/events') {
        state.eventPosts++;
        const status = state.eventStatuses.shift() ?? 202;
        if (status === 202) state.events.push(JSON.parse(body));
        res.writeHead(status).end();
        return;
      }
      state.calls.push(url);
      const { status, body: answer, delayMs = 0 } = state.answer(url);
      setTimeout(
        () =>
          res
            .writeHead(status, { 'content-type': 'application/json' })
            .end(JSON.stringify(answer ?? {})),
        delayMs,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

const allowedBody = (origin: string, ttl = 30): CorsDecision => ({
  allowed: true,
  reason: 'exact-match',
  matchedPattern: origin,
  preflight: false,
  headers: { 'access-control-allow-origin': origin, vary: 'Origin' },
  cacheTtlSeconds: ttl,
});
const refusedBody = (ttl = 30): CorsDecision => ({
  allowed: false,
  reason: 'origin-not-allowed',
  matchedPattern: null,
  preflight: false,
  headers: { vary: 'Origin' },
  cacheTtlSeconds: ttl,
});
const get = (origin?: string) => ({
  method: 'GET',
  headers: origin === undefined ? {} : { origin },
});

let service: StandIn;
const resolvers: { close(): Promise<void> }[] = [];
const make = (options: Partial<CorsResolverOptions> = {}) => {
  const resolver = createCorsResolver({
    serviceUrl: `${service.url}/`,
    apiKey: 'cpk_test',
    onError: () => {},
    ...options,
  });
  resolvers.push(resolver);
  return resolver;
};

beforeEach(async () => {
  service = await standIn();
});
afterEach(async () => {
  await Promise.all(resolvers.splice(0).map((r) => r.close()));
  await service.close();
});

describe('createCorsResolver', () => {
  it('asks /resolve with the key and the request, then serves the answer from its cache', async () => {
    const resolver = make({ tenant: 'acme' });
    const first = await resolver.resolve(get('https://a.com'));
    expect(first).toMatchObject({
      allowed: true,
      headers: { 'access-control-allow-origin': 'https://a.com' },
    });
    expect(await resolver.resolve(get('https://a.com'))).toBe(first);
    expect(resolver.lookup(get('https://a.com'))).toBe(first);
    expect(service.calls).toHaveLength(1);
    expect(Object.fromEntries(service.calls[0]!.searchParams)).toEqual({
      origin: 'https://a.com',
      tenant: 'acme',
    });
    expect(resolver.stats()).toMatchObject({ misses: 1, hits: 2, serviceCalls: 1 });
  });

  it("sends a preflight's method, headers and private-network request, and keys the cache on them", async () => {
    const resolver = make();
    const preflight = (method: string) => ({
      method: 'OPTIONS',
      headers: {
        origin: 'https://a.com',
        'access-control-request-method': method,
        'access-control-request-headers': 'x-a',
        'access-control-request-private-network': 'true',
      },
    });
    await resolver.resolve(preflight('PUT'));
    await resolver.resolve(preflight('PUT'));
    await resolver.resolve(preflight('DELETE'));
    expect(service.calls.map((url) => Object.fromEntries(url.searchParams))).toEqual([
      { origin: 'https://a.com', method: 'PUT', headers: 'x-a', privateNetwork: 'true' },
      { origin: 'https://a.com', method: 'DELETE', headers: 'x-a', privateNetwork: 'true' },
    ]);
  });

  it('shares one service call among 100 concurrent first requests', async () => {
    service.answer = (url) => ({
      status: 200,
      body: allowedBody(url.searchParams.get('origin')!),
      delayMs: 50,
    });
    const resolver = make();
    const decisions = await Promise.all(
      Array.from({ length: 100 }, () => resolver.resolve(get('https://a.com'))),
    );
    expect(new Set(decisions).size).toBe(1);
    expect(service.calls).toHaveLength(1);
  });

  it("keeps an answer for the service's cacheTtlSeconds", async () => {
    service.answer = (url) => ({
      status: 200,
      body: allowedBody(url.searchParams.get('origin')!, 0.05),
    });
    const resolver = make();
    await resolver.resolve(get('https://a.com'));
    expect(resolver.lookup(get('https://a.com'))).toBeDefined();
    await new Promise((r) => setTimeout(r, 80));
    expect(resolver.lookup(get('https://a.com'))).toBeUndefined();
    await resolver.resolve(get('https://a.com'));
    expect(service.calls).toHaveLength(2);
  });

  it('answers a request without Origin itself: no CORS headers, Vary: Origin', async () => {
    const resolver = make();
    expect(await resolver.resolve(get())).toMatchObject({
      allowed: true,
      reason: 'no-origin',
      headers: { vary: 'Origin' },
    });
    expect(service.calls).toHaveLength(0);
  });

  it('serves stale answers while the service fails, for staleIfErrorMs, then refuses', async () => {
    service.answer = (url) => ({
      status: 200,
      body: allowedBody(url.searchParams.get('origin')!, 0.02),
    });
    const resolver = make({ staleIfErrorMs: 150 });
    await resolver.resolve(get('https://a.com'));
    service.answer = () => ({ status: 503 });
    await new Promise((r) => setTimeout(r, 40));
    expect(await resolver.resolve(get('https://a.com'))).toMatchObject({
      allowed: true,
      reason: 'exact-match',
    });
    expect(resolver.stats().staleServed).toBe(1);
    await new Promise((r) => setTimeout(r, 200));
    resolver.invalidate('https://other.com'); // unrelated: keeps the stale entry
    const after = await resolver.resolve(get('https://a.com'));
    expect(after).toMatchObject({
      allowed: false,
      reason: 'service-unavailable',
      headers: { vary: 'Origin' },
    });
  });

  it('refuses when nothing is cached and the service is down (onUnavailable: deny)', async () => {
    await service.close();
    const resolver = make({ timeoutMs: 500 });
    const decision = await resolver.resolve(get('https://a.com'));
    expect(decision).toMatchObject({ allowed: false, reason: 'service-unavailable' });
    expect(decision.headers).not.toHaveProperty('access-control-allow-origin');
    expect(resolver.stats().unavailable).toBe(1);
  });

  it('allows well-formed requests without credentials when configured to fail open, never malformed ones', async () => {
    service.answer = () => ({ status: 500 });
    const resolver = make({ onUnavailable: 'allow' });
    expect(await resolver.resolve(get('https://a.com'))).toEqual({
      allowed: true,
      reason: 'service-unavailable',
      matchedPattern: null,
      preflight: false,
      headers: { 'access-control-allow-origin': 'https://a.com', vary: 'Origin' },
    });
    expect(await resolver.resolve(get('https://a.com/\r\nx: y'))).toMatchObject({ allowed: false });
  });

  it('times out a slow service', async () => {
    service.answer = () => ({ status: 200, body: refusedBody(), delayMs: 1000 });
    const resolver = make({ timeoutMs: 100 });
    const started = Date.now();
    expect(await resolver.resolve(get('https://a.com'))).toMatchObject({
      reason: 'service-unavailable',
    });
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('refuses a request whose values the service declines (400), without the fail-open fallback', async () => {
    service.answer = () => ({
      status: 400,
      body: { statusCode: 400, error: 'Bad Request', message: 'no' },
    });
    const resolver = make({ onUnavailable: 'allow' });
    const decision = await resolver.resolve(get('https://a.com'));
    expect(decision).toMatchObject({ allowed: false, headers: { vary: 'Origin' } });
    expect(decision.reason).not.toBe('service-unavailable');
    expect(resolver.stats()).toMatchObject({ serviceErrors: 0, unavailable: 0 });
  });

  it('treats an unexpected body as a failure', async () => {
    service.answer = () => ({ status: 200, body: { nope: true } });
    expect(await make().resolve(get('https://a.com'))).toMatchObject({
      reason: 'service-unavailable',
    });
  });

  it('keeps refused answers apart, bounded, so a flood cannot evict allowed ones', async () => {
    service.answer = (url) => {
      const origin = url.searchParams.get('origin')!;
      return {
        status: 200,
        body: origin === 'https://good.com' ? allowedBody(origin) : refusedBody(),
      };
    };
    const resolver = make({ cache: { max: 10, maxRefused: 5 } });
    await resolver.resolve(get('https://good.com'));
    for (let i = 0; i < 50; i++) await resolver.resolve(get(`https://evil${i}.com`));
    expect(resolver.lookup(get('https://good.com'))).toMatchObject({ allowed: true });
    expect(resolver.lookup(get('https://evil49.com'))).toMatchObject({ allowed: false });
    expect(resolver.lookup(get('https://evil0.com'))).toBeUndefined();
  });

  it('counts refusals served from its cache and flushes them to /resolve/events', async () => {
    service.answer = () => ({ status: 200, body: refusedBody() });
    const resolver = make({ eventsFlushIntervalMs: 60_000, tenant: 'acme' });
    for (let i = 0; i < 5; i++) await resolver.resolve(get('https://evil.com'));
    await resolver.close();
    // The first refusal was counted by the service when it answered; the four repeats by the SDK.
    expect(service.events).toEqual([
      {
        tenant: 'acme',
        overflow: 0,
        events: [
          expect.objectContaining({
            origin: 'https://evil.com',
            reason: 'origin-not-allowed',
            count: 4,
          }),
        ],
      },
    ]);
  });

  it('keeps counts when a flush fails and sends them with the next one', async () => {
    service.answer = () => ({ status: 200, body: refusedBody() });
    service.eventStatuses = [503];
    const resolver = make({ eventsFlushIntervalMs: 200 });
    await resolver.resolve(get('https://evil.com')); // counted by the service
    await resolver.resolve(get('https://evil.com'));
    while (service.eventPosts === 0) await new Promise((r) => setTimeout(r, 10)); // refused with 503
    expect(service.events).toEqual([]);
    await resolver.resolve(get('https://evil.com'));
    await resolver.close();
    expect(service.events).toEqual([
      { overflow: 0, events: [expect.objectContaining({ origin: 'https://evil.com', count: 2 })] },
    ]);
  });

  it('counts refusals beyond eventsMaxKeys distinct origins as overflow', async () => {
    service.answer = () => ({ status: 200, body: refusedBody() });
    const resolver = make({ eventsFlushIntervalMs: 60_000, eventsMaxKeys: 2 });
    for (const origin of ['https://a.com', 'https://b.com', 'https://c.com', 'https://d.com']) {
      await resolver.resolve(get(origin));
      await resolver.resolve(get(origin));
    }
    await resolver.close();
    expect(service.events).toEqual([
      {
        overflow: 2,
        events: [expect.objectContaining({ count: 1 }), expect.objectContaining({ count: 1 })],
      },
    ]);
  });

  it('drops cached answers on invalidate(origin) and invalidate()', async () => {
    const resolver = make();
    await resolver.resolve(get('https://a.com'));
    await resolver.resolve(get('https://b.com'));
    resolver.invalidate('https://a.com');
    expect(resolver.lookup(get('https://a.com'))).toBeUndefined();
    expect(resolver.lookup(get('https://b.com'))).toBeDefined();
    resolver.invalidate();
    expect(resolver.lookup(get('https://b.com'))).toBeUndefined();
  });

  it('works as the `origin` option of the cors package, in callback and Promise form', async () => {
    service.answer = (url) => {
      const origin = url.searchParams.get('origin')!;
      if (origin === 'https://any.com')
        return {
          status: 200,
          body: { ...allowedBody(origin), headers: { 'access-control-allow-origin': '*' } },
        };
      return {
        status: 200,
        body: origin === 'https://a.com' ? allowedBody(origin) : refusedBody(),
      };
    };
    const resolver = make();
    expect(await resolver.origin('https://a.com')).toBe(true);
    expect(await resolver.origin('https://evil.com')).toBe(false);
    expect(await resolver.origin('https://any.com')).toBe('*');
    const viaCallback = await new Promise((resolve) =>
      resolver.origin('https://a.com', (error, allow) => resolve([error, allow])),
    );
    expect(viaCallback).toEqual([null, true]);
    expect(await resolver.isAllowed('https://a.com')).toBe(true);
    expect(await resolver.isAllowed('https://evil.com')).toBe(false);
    expect(await resolver.isAllowed(undefined)).toBe(false);
  });
});
