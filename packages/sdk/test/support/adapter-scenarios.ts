// The behaviour every adapter must show, run against real framework apps and the real
// corsplane service. Each framework's spec supplies a function that starts its app.
import { createCorsResolver, type CorsAdapterOptions, type CorsResolver } from '../../src/index.js';
import { SERVICE_TIMEOUT_MS } from './until.js';
import { startCorsplane, type CorsplaneService } from './corsplane-service.js';

export interface RunningApp {
  url: string;
  /** How many times a route handler ran. */
  handled: () => number;
  close: () => Promise<void>;
}

/**
 * Starts an app where a hook that runs before the SDK sets `Vary: Accept-Encoding` (as a
 * compression middleware would), then the SDK, and these routes:
 * GET /data → 200 {"ok":true}; PUT /data → 200; OPTIONS /data → 200 "options handler";
 * GET /public/:file and GET /webhooks/stripe → 200 {"ok":true} (the policy's routes, SPEC §2.1).
 */
export type StartApp = (resolver: CorsResolver, options: CorsAdapterOptions) => Promise<RunningApp>;

const APP = 'https://app.acme.test';
const POLICY = {
  mode: 'enforce',
  origins: [{ pattern: APP }, { pattern: 'https://*.acme.test' }],
  allowedMethods: ['GET', 'PUT', 'DELETE'],
  allowedHeaders: ['content-type', 'authorization'],
  exposedHeaders: ['x-request-id'],
  allowCredentials: true,
  maxAgeSeconds: 600,
  allowPrivateNetwork: false,
  // SPEC §2.1: the adapters pass the request's path, so these routes decide their paths.
  routes: [
    { path: '/public/*', origins: [{ pattern: '*' }], allowCredentials: false },
    { path: '/webhooks/stripe', origins: [] },
  ],
};

export function describeAdapter(framework: string, startApp: StartApp): void {
  describe(`${framework} adapter against the real corsplane service`, () => {
    let service: CorsplaneService;
    let key: string;
    const cleanups: Array<() => Promise<void>> = [];

    beforeAll(async () => {
      service = await startCorsplane();
      key = await service.createTenant('acme', POLICY);
    });
    afterAll(async () => {
      await service?.dispose();
    });
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    async function app(options: CorsAdapterOptions = {}): Promise<RunningApp> {
      const resolver = createCorsResolver({
        serviceUrl: service.url,
        apiKey: key,
        onError: () => {},
        timeoutMs: SERVICE_TIMEOUT_MS,
      });
      const running = await startApp(resolver, options);
      cleanups.push(
        () => resolver.close(),
        () => running.close(),
      );
      return running;
    }

    it('adds the allowed origin, credentials and exposed headers to an actual request, appending to Vary', async () => {
      const running = await app();
      const response = await fetch(`${running.url}/data`, { headers: { origin: APP } });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ ok: true });
      expect(response.headers.get('access-control-allow-origin')).toBe(APP);
      expect(response.headers.get('access-control-allow-credentials')).toBe('true');
      expect(response.headers.get('access-control-expose-headers')).toBe('x-request-id');
      expect(
        response.headers
          .get('vary')
          ?.split(/\s*,\s*/)
          .sort(),
      ).toEqual(['Accept-Encoding', 'Origin']);
    });

    it('reflects a wildcard-matched subdomain', async () => {
      const running = await app();
      const response = await fetch(`${running.url}/data`, {
        headers: { origin: 'https://eu.acme.test' },
      });
      expect(response.headers.get('access-control-allow-origin')).toBe('https://eu.acme.test');
    });

    it('never reflects a refused origin, while the route still answers (CORS is not access control)', async () => {
      const running = await app();
      for (const origin of [
        'https://evil.test',
        'https://acme.test',
        'https://app.acme.test.evil.test',
        'HTTPS://APP.ACME.TEST',
      ]) {
        const response = await fetch(`${running.url}/data`, { headers: { origin } });
        expect(response.status).toBe(200);
        expect(response.headers.get('access-control-allow-origin')).toBeNull();
        expect(response.headers.get('access-control-allow-credentials')).toBeNull();
        expect(response.headers.get('vary')).toContain('Origin');
      }
    });

    it('answers a successful preflight itself, without reaching the route', async () => {
      const running = await app();
      const response = await fetch(`${running.url}/data`, {
        method: 'OPTIONS',
        headers: {
          origin: APP,
          'access-control-request-method': 'PUT',
          'access-control-request-headers': 'content-type,authorization',
        },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(APP);
      expect(response.headers.get('access-control-allow-methods')).toBe('GET, PUT, DELETE');
      expect(response.headers.get('access-control-allow-headers')).toBe(
        'content-type,authorization',
      );
      expect(response.headers.get('access-control-allow-credentials')).toBe('true');
      expect(response.headers.get('access-control-max-age')).toBe('600');
      expect(running.handled()).toBe(0);
    });

    it('fails a preflight for a method or header not allowed, with no Access-Control-Allow-* header', async () => {
      const running = await app();
      const refused: Array<Record<string, string>> = [
        { 'access-control-request-method': 'PATCH' },
        { 'access-control-request-method': 'PUT', 'access-control-request-headers': 'x-secret' },
      ];
      for (const extra of refused) {
        const response = await fetch(`${running.url}/data`, {
          method: 'OPTIONS',
          headers: { origin: APP, ...extra },
        });
        expect(response.status).toBe(403);
        expect(
          [...response.headers.keys()].filter((name) => name.startsWith('access-control-allow')),
        ).toEqual([]);
      }
      expect(running.handled()).toBe(0);
    });

    it('treats OPTIONS without Access-Control-Request-Method as an ordinary request', async () => {
      const running = await app();
      const response = await fetch(`${running.url}/data`, {
        method: 'OPTIONS',
        headers: { origin: APP },
      });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('options handler');
      expect(response.headers.get('access-control-allow-origin')).toBe(APP);
      expect(running.handled()).toBe(1);
    });

    it('decides a `*` route by the request path: any origin, no credentials (SPEC §2.1, Fetch §3.2.5)', async () => {
      const running = await app();
      const response = await fetch(`${running.url}/public/logo.png?v=2`, {
        headers: { origin: 'https://anyone.test' },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
      // The default still decides other paths: the same origin is refused on /data.
      const data = await fetch(`${running.url}/data`, {
        headers: { origin: 'https://anyone.test' },
      });
      expect(data.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('refuses the default origins on a route with none, for actual requests and preflights', async () => {
      const running = await app();
      const actual = await fetch(`${running.url}/webhooks/stripe?id=1`, {
        headers: { origin: APP },
      });
      expect(actual.status).toBe(200);
      expect(actual.headers.get('access-control-allow-origin')).toBeNull();
      const preflight = await fetch(`${running.url}/webhooks/stripe`, {
        method: 'OPTIONS',
        headers: { origin: APP, 'access-control-request-method': 'PUT' },
      });
      expect(preflight.status).toBe(403);
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
      expect(running.handled()).toBe(1);
    });

    it('honours optionsSuccessStatus and preflightContinue', async () => {
      const legacy = await app({ optionsSuccessStatus: 200 });
      const preflight = {
        method: 'OPTIONS',
        headers: { origin: APP, 'access-control-request-method': 'PUT' },
      };
      expect((await fetch(`${legacy.url}/data`, preflight)).status).toBe(200);
      const passing = await app({ preflightContinue: true });
      const response = await fetch(`${passing.url}/data`, preflight);
      expect(await response.text()).toBe('options handler');
      expect(response.headers.get('access-control-allow-methods')).toBe('GET, PUT, DELETE');
      expect(passing.handled()).toBe(1);
    });
  });
}
