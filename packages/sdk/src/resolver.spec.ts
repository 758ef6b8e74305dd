// Unit tests of the resolver's sync semantics against a stand-in service (a real HTTP server on
// loopback whose policies, stream and failures the test controls). The SDK's end-to-end tests run
// against the real corsplane API in test/.
import { jest } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCorsResolver } from './resolver.js';
import type { CorsResolverOptions, IncomingCorsRequest } from './types.js';

interface Tenant {
  version: number;
  policy: object;
}

interface StandIn {
  url: string;
  tenants: Map<string, Tenant>;
  /** Every /resolve/policy call: tenant= value ('' without one) and its If-None-Match. */
  policyCalls: Array<{ tenant: string; ifNoneMatch: string | undefined }>;
  events: Array<{
    tenant?: string;
    events: Array<{ origin: string; reason: string; count: number }>;
  }>;
  streams: http.ServerResponse[];
  streamOpens: number;
  /** When set, /resolve/policy answers this status. */
  failPolicy: number | null;
  /** When set, /resolve/changes answers this status. */
  failStream: number | null;
  send(event: string, data: unknown): void;
  dropStreams(): void;
  close(): Promise<void>;
}

const policyOf = (
  origins: Array<string | { pattern: string; expiresAt?: string }>,
  extra = {},
) => ({
  mode: 'enforce',
  origins: origins.map((o) => (typeof o === 'string' ? { pattern: o } : o)),
  allowedMethods: ['GET', 'PUT'],
  allowedHeaders: ['content-type'],
  exposedHeaders: [],
  allowCredentials: true,
  maxAgeSeconds: null,
  allowPrivateNetwork: false,
  ...extra,
});

async function standIn(): Promise<StandIn> {
  const state: StandIn = {
    url: '',
    tenants: new Map([['acme', { version: 1, policy: policyOf(['https://app.acme.test']) }]]),
    policyCalls: [],
    events: [],
    streams: [],
    streamOpens: 0,
    failPolicy: null,
    failStream: null,
    send(event, data) {
      for (const s of state.streams) s.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    dropStreams() {
      for (const s of state.streams.splice(0)) s.destroy();
    },
    close: async () => {},
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (url.pathname === '/resolve/events') {
        state.events.push(JSON.parse(body));
        res.writeHead(202).end();
        return;
      }
      if (url.pathname === '/resolve/changes') {
        if (state.failStream !== null) return void res.writeHead(state.failStream).end('{}');
        state.streamOpens++;
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(': open\n\n');
        state.streams.push(res);
        res.on('close', () => (state.streams = state.streams.filter((s) => s !== res)));
        return;
      }
      const tenant = url.searchParams.get('tenant') ?? '';
      const ifNoneMatch = req.headers['if-none-match'];
      state.policyCalls.push({ tenant, ifNoneMatch });
      if (state.failPolicy !== null) return void res.writeHead(state.failPolicy).end('{}');
      const found = state.tenants.get(tenant || 'acme');
      if (found === undefined)
        return void res
          .writeHead(404, { 'content-type': 'application/json' })
          .end('{"statusCode":404,"error":"Not Found","message":"Tenant not found"}');
      const etag = `"${found.version}"`;
      if (ifNoneMatch === etag) return void res.writeHead(304, { etag }).end();
      res.writeHead(200, { 'content-type': 'application/json', etag }).end(
        JSON.stringify({
          tenant: tenant || 'acme',
          version: found.version,
          policy: found.policy,
          candidate: null,
        }),
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

const get = (origin?: string): IncomingCorsRequest => ({
  method: 'GET',
  headers: origin === undefined ? {} : { origin },
});

/** Polls until `check` holds (never a fixed sleep that assumes a fast machine). */
async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('createCorsResolver (policy sync, against a stand-in service)', () => {
  let service: StandIn;
  const closers: Array<() => Promise<void>> = [];
  const make = <Req extends IncomingCorsRequest = IncomingCorsRequest>(
    options: Partial<CorsResolverOptions<Req>> = {},
  ) => {
    const resolver = createCorsResolver<Req>({
      serviceUrl: service.url,
      apiKey: 'cpk_test',
      onError: () => {},
      timeoutMs: 1_000,
      stream: { minBackoffMs: 20, maxBackoffMs: 100 },
      ...options,
    });
    closers.push(() => resolver.close());
    return resolver;
  };

  beforeEach(async () => {
    service = await standIn();
  });
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
    await service.close();
  });

  it('fetches the policy once for 100 concurrent first requests, then decides every origin locally', async () => {
    const resolver = make();
    const first = await Promise.all(
      Array.from({ length: 100 }, () => resolver.resolve(get('https://app.acme.test'))),
    );
    expect(first.every((d) => d.allowed && d.reason === 'exact-match')).toBe(true);
    expect(first[0]).toMatchObject({ tenant: 'acme', mode: 'enforce', policyVersion: 1 });
    await until(() => resolver.stats().streamConnected, 'the stream');
    const calls = resolver.stats().serviceCalls;
    for (let i = 0; i < 10_000; i++) {
      const decision = resolver.lookup(get(`https://unseen-${i}.example`));
      expect(decision?.reason).toBe('origin-not-allowed');
    }
    expect(resolver.stats()).toMatchObject({ serviceCalls: calls, hits: 10_000 });
    expect(service.policyCalls.filter((c) => c.ifNoneMatch === undefined)).toHaveLength(1);
  });

  it('revalidates by ETag once the stream is open (a change before it opened is caught up)', async () => {
    service.failStream = 503;
    const resolver = make();
    expect((await resolver.resolve(get('https://app.acme.test'))).allowed).toBe(true);
    service.tenants.set('acme', { version: 2, policy: policyOf(['https://later.acme.test']) });
    service.failStream = null;
    await until(
      () => resolver.lookup(get('https://later.acme.test'))?.allowed === true,
      'catch-up',
    );
    expect(service.policyCalls.some((c) => c.ifNoneMatch === '"1"')).toBe(true);
    expect(resolver.stats().streamConnects).toBe(1);
  });

  it('follows a policy event: refetches by ETag and decides with the new version', async () => {
    const resolver = make();
    await resolver.resolve(get('https://app.acme.test'));
    await until(() => service.streams.length === 1, 'the stream');
    service.tenants.set('acme', { version: 2, policy: policyOf(['https://new.acme.test']) });
    service.send('policy', { tenant: 'acme', version: 2 });
    await until(
      () => resolver.lookup(get('https://new.acme.test'))?.allowed === true,
      'the change',
    );
    expect(resolver.lookup(get('https://app.acme.test'))).toMatchObject({
      allowed: false,
      policyVersion: 2,
    });
  });

  it('takes a policy carried by the event itself without fetching', async () => {
    const resolver = make();
    await resolver.resolve(get('https://app.acme.test'));
    await until(() => service.streams.length === 1, 'the stream');
    const calls = service.policyCalls.length;
    service.send('policy', {
      tenant: 'acme',
      version: 5,
      policy: policyOf(['https://pushed.acme.test']),
    });
    await until(
      () => resolver.lookup(get('https://pushed.acme.test'))?.allowed === true,
      'the push',
    );
    expect(service.policyCalls.length).toBe(calls);
  });

  it('ignores events for older versions and for tenants it does not hold', async () => {
    const resolver = make({ tenant: 'acme' });
    await resolver.resolve(get('https://app.acme.test'));
    await until(() => service.streams.length === 1, 'the stream');
    const calls = service.policyCalls.length;
    service.send('policy', { tenant: 'acme', version: 1 });
    service.send('policy', { tenant: 'other', version: 9 });
    service.send('policy', 'not json');
    // A later event proves the earlier ones were read.
    service.send('policy', { tenant: 'acme', version: 3, policy: policyOf([]) });
    await until(() => resolver.lookup(get('https://app.acme.test'))?.allowed === false, 'v3');
    expect(service.policyCalls.length).toBe(calls);
  });

  it('evaluates expiry at decision time, with no service call', async () => {
    service.tenants.set('acme', {
      version: 1,
      policy: policyOf([
        {
          pattern: 'https://soon.acme.test',
          expiresAt: new Date(Date.now() + 60_000).toISOString(),
        },
      ]),
    });
    const resolver = make();
    expect((await resolver.resolve(get('https://soon.acme.test'))).allowed).toBe(true);
    const fetches = resolver.stats().policyFetches;
    // The clock passes the expiry (no waiting: the test cannot depend on how busy the machine is).
    const later = Date.now() + 120_000;
    const clock = jest.spyOn(Date, 'now').mockReturnValue(later);
    try {
      expect(resolver.lookup(get('https://soon.acme.test'))?.reason).toBe('expired');
    } finally {
      clock.mockRestore();
    }
    expect(resolver.stats().policyFetches).toBe(fetches);
  });

  it('after a lost stream, reconnects and revalidates every held policy', async () => {
    const resolver = make();
    await resolver.resolve(get('https://app.acme.test'));
    await until(() => resolver.stats().streamConnected, 'the stream');
    service.tenants.set('acme', { version: 2, policy: policyOf(['https://missed.acme.test']) });
    service.dropStreams(); // the change's event is never sent: only revalidation can find it
    await until(() => resolver.stats().streamReconnects === 1, 'the reconnect');
    await until(
      () => resolver.lookup(get('https://missed.acme.test'))?.allowed === true,
      'catch-up',
    );
  });

  it('serves the held policy for staleIfErrorMs while the service is unreachable, then onUnavailable', async () => {
    const resolver = make({ staleIfErrorMs: 400 });
    await resolver.resolve(get('https://app.acme.test'));
    await until(() => resolver.stats().streamConnected, 'the stream');
    service.failStream = 503;
    service.failPolicy = 503;
    service.dropStreams();
    await until(() => !resolver.stats().streamConnected, 'the loss');
    expect((await resolver.resolve(get('https://app.acme.test'))).allowed).toBe(true);
    await until(
      async () =>
        (await resolver.resolve(get('https://app.acme.test'))).reason === 'service-unavailable',
      'staleIfErrorMs to pass',
    );
    const refused = await resolver.resolve(get('https://app.acme.test'));
    expect(refused).toMatchObject({ allowed: false, reason: 'service-unavailable' });
    expect(refused.headers).not.toHaveProperty('access-control-allow-origin');
    expect(resolver.stats().staleServed).toBeGreaterThan(0);
    expect(resolver.stats().unavailable).toBeGreaterThan(0);
  });

  it("with nothing held and no service, 'allow' answers without credentials and 'deny' refuses", async () => {
    service.failPolicy = 503;
    service.failStream = 503;
    const open = make({ onUnavailable: 'allow' });
    const allowed = await open.resolve(get('https://any.example'));
    expect(allowed).toMatchObject({ allowed: true, reason: 'service-unavailable' });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://any.example');
    expect(allowed.headers).not.toHaveProperty('access-control-allow-credentials');
    const closed = make();
    expect(await closed.resolve(get('https://any.example'))).toMatchObject({
      allowed: false,
      reason: 'service-unavailable',
    });
    // A failed fetch is not retried by every request: the next second answers at once.
    const calls = service.policyCalls.length;
    for (let i = 0; i < 50; i++) await closed.resolve(get(`https://flood-${i}.example`));
    expect(service.policyCalls.length).toBe(calls);
  });

  it('answers a request without Origin without waiting for the service', async () => {
    const resolver = make();
    expect(resolver.lookup(get())).toMatchObject({ allowed: true, reason: 'no-origin' });
    expect(service.policyCalls.filter((c) => c.ifNoneMatch === undefined)).toHaveLength(0);
  });

  it('denies everything once the key is revoked on the stream', async () => {
    const resolver = make();
    await resolver.resolve(get('https://app.acme.test'));
    await until(() => service.streams.length === 1, 'the stream');
    service.send('revoked', {});
    await until(
      () => resolver.lookup(get('https://app.acme.test'))?.reason === 'revoked',
      'revocation',
    );
    expect(resolver.lookup(get('https://app.acme.test'))?.allowed).toBe(false);
    await until(() => service.streams.length === 0, 'the stream to close');
  });

  it('serves several tenants from one resolver with a tenant function', async () => {
    service.tenants.set('globex', { version: 4, policy: policyOf(['https://app.globex.test']) });
    const resolver = make<IncomingCorsRequest & { hostname: string }>({
      tenant: (req) => req.hostname.split('.')[0],
    });
    const at = (hostname: string, origin: string) => ({ ...get(origin), hostname });
    expect(await resolver.resolve(at('acme.api.test', 'https://app.acme.test'))).toMatchObject({
      allowed: true,
      tenant: 'acme',
    });
    expect(await resolver.resolve(at('globex.api.test', 'https://app.globex.test'))).toMatchObject({
      allowed: true,
      tenant: 'globex',
      policyVersion: 4,
    });
    expect((await resolver.resolve(at('globex.api.test', 'https://app.acme.test'))).allowed).toBe(
      false,
    );
    expect(await resolver.resolve(at('nobody.api.test', 'https://app.acme.test'))).toMatchObject({
      allowed: false,
      reason: 'unknown-tenant',
    });
    const calls = service.policyCalls.length;
    expect(
      await resolver.resolve(at('Not A Slug.api.test', 'https://app.acme.test')),
    ).toMatchObject({
      reason: 'unknown-tenant',
    });
    expect(service.policyCalls.length).toBe(calls);
    // A tenant function that throws refuses the request; resolve still never rejects.
    expect(await resolver.resolve(get('https://app.acme.test') as never)).toMatchObject({
      reason: 'unknown-tenant',
    });
    expect(resolver.stats().tenants).toBe(3);
    // One stream for every tenant (no tenant= on it), and a deleted tenant is refused from then on.
    await until(() => service.streams.length === 1, 'the stream');
    service.send('revoked', { tenant: 'globex' });
    await until(
      () =>
        resolver.lookup(at('globex.api.test', 'https://app.globex.test'))?.reason ===
        'unknown-tenant',
      'the deletion',
    );
    expect(resolver.lookup(at('acme.api.test', 'https://app.acme.test'))?.allowed).toBe(true);
  });

  it('isAllowed hands a tenant function the request, prototype getters included (Express req.hostname)', async () => {
    class Req {
      constructor(readonly headers: Record<string, string>) {}
      get hostname(): string {
        return (this.headers.host ?? '').split(':')[0] as string;
      }
    }
    const resolver = make<IncomingCorsRequest & { hostname: string }>({
      tenant: (req) => req.hostname.split('.')[0],
    });
    const req = new Req({ host: 'acme.api.test:443' }) as unknown as IncomingCorsRequest & {
      hostname: string;
    };
    expect(await resolver.isAllowed('https://app.acme.test', req)).toBe(true);
    expect(await resolver.isAllowed('https://other.example', req)).toBe(false);
  });

  it('counts every refusal and sends them in batches, per tenant', async () => {
    service.tenants.set('globex', { version: 1, policy: policyOf([]) });
    const resolver = make<IncomingCorsRequest & { t: string }>({
      tenant: (req) => req.t,
      eventsFlushIntervalMs: 60_000,
    });
    for (let i = 0; i < 5; i++)
      await resolver.resolve({ ...get('https://bad.example'), t: 'acme' });
    await resolver.resolve({ ...get('https://bad.example'), t: 'globex' });
    await resolver.close();
    const byTenant = Object.fromEntries(service.events.map((e) => [e.tenant, e.events]));
    expect(byTenant).toEqual({
      acme: [
        expect.objectContaining({
          origin: 'https://bad.example',
          reason: 'origin-not-allowed',
          count: 5,
        }),
      ],
      globex: [expect.objectContaining({ origin: 'https://bad.example', count: 1 })],
    });
  });

  it('refuses with a refused key rather than guessing, even when configured to fail open', async () => {
    service.failPolicy = 401;
    service.failStream = 401;
    const resolver = make({ onUnavailable: 'allow' });
    expect(await resolver.resolve(get('https://app.acme.test'))).toMatchObject({
      allowed: false,
      reason: 'revoked',
    });
  });

  it('works as the origin option of the cors package, in both forms', async () => {
    const resolver = make();
    await expect(resolver.origin('https://app.acme.test')).resolves.toBe(true);
    const answer = await new Promise((resolve) =>
      resolver.origin('https://other.example', (_err, allow) => resolve(allow)),
    );
    expect(answer).toBe(false);
    expect(await resolver.isAllowed('https://app.acme.test')).toBe(true);
    expect(await resolver.isAllowed(undefined)).toBe(false);
  });
});
