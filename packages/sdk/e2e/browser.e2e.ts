// The browser proof: real Chromium loads pages from several origins and calls the example
// services (Express and Fastify, protected by the SDK) on another origin. Chromium's own CORS
// checks decide what the pages can read; the policy lives in a real corsplane API.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  freePort,
  startCorsplane,
  type CorsplaneService,
} from '../test/support/corsplane-service.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

interface FetchOutcome {
  ok: boolean;
  status?: number;
  body?: string;
  error?: string;
}

let service: CorsplaneService;
let key: string;
let browser: Browser;
let pages: http.Server;
let pagePort: number;
const consoleMessages: string[] = [];

const policy = (origins: string[]) => ({
  mode: 'enforce',
  origins: origins.map((pattern) => ({ pattern })),
  allowedMethods: ['GET', 'POST', 'PUT'],
  allowedHeaders: ['content-type', 'x-client'],
  exposedHeaders: [],
  allowCredentials: true,
  maxAgeSeconds: null,
  allowPrivateNetwork: false,
});
const listed = () => [`http://127.0.0.1:${pagePort}`, 'http://*.corp.localhost:*'];

beforeAll(async () => {
  service = await startCorsplane();
  pagePort = await freePort();
  key = await service.createTenant('browser', policy(listed()));
  // One page server, reached under several host names: each is its own origin to Chromium.
  pages = http.createServer((_req, res) =>
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<!doctype html><title>page</title><p>page</p>'),
  );
  await new Promise<void>((resolve) => pages.listen(pagePort, '127.0.0.1', resolve));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => pages?.close(resolve));
  await service?.dispose();
});

async function startExample(
  name: 'express' | 'fastify',
): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(REPO_ROOT, `examples/${name}-service/server.mjs`)],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        CORSPLANE_URL: service.url,
        CORSPLANE_KEY: key,
        HOST: '127.0.0.1',
        PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`${name} example exited: ${output}`);
    if (
      await fetch(`${url}/api/hello`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (attempt > 100) throw new Error(`${name} example did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function pageAt(origin: string): Promise<Page> {
  const page = await browser.newPage();
  page.on('console', (message) => consoleMessages.push(message.text()));
  await page.goto(`${origin}/`);
  return page;
}

/** Runs fetch() inside the page, so Chromium applies CORS for the page's origin. */
function callFrom(page: Page, url: string, init: RequestInit = {}): Promise<FetchOutcome> {
  return page.evaluate(
    async ({ url, init }) => {
      try {
        const response = await fetch(url, init);
        return { ok: true, status: response.status, body: await response.text() };
      } catch (error) {
        return { ok: false, error: String(error) };
      }
    },
    { url, init },
  );
}

const credentialedPost: RequestInit = {
  method: 'POST',
  credentials: 'include',
  headers: { 'content-type': 'application/json', 'x-client': 'e2e' },
  body: JSON.stringify({ sku: 'A-1', quantity: 2 }),
};

describe.each(['express', 'fastify'] as const)(
  'Chromium calling the %s example service',
  (name) => {
    let example: { url: string; stop: () => Promise<void> };

    beforeAll(async () => {
      await service.setPolicy('browser', policy(listed()));
      example = await startExample(name);
    });
    afterAll(async () => {
      await example?.stop();
    });

    it('lets a listed origin read a GET and a credentialed JSON POST with a custom header (preflighted)', async () => {
      const page = await pageAt(`http://127.0.0.1:${pagePort}`);
      const hello = await callFrom(page, `${example.url}/api/hello`);
      expect(hello).toMatchObject({ ok: true, status: 200 });
      expect(hello.body).toContain(`hello from ${name}`);
      const order = await callFrom(page, `${example.url}/api/orders`, credentialedPost);
      expect(order).toMatchObject({ ok: true, status: 201 });
      expect(JSON.parse(order.body ?? '{}')).toEqual({
        received: { sku: 'A-1', quantity: 2 },
        by: 'e2e',
      });
      await page.close();
    });

    it('lets a subdomain matched by a wildcard read the response', async () => {
      const page = await pageAt(`http://eu.corp.localhost:${pagePort}`);
      expect(await callFrom(page, `${example.url}/api/hello`)).toMatchObject({
        ok: true,
        status: 200,
      });
      await page.close();
    });

    it.each([
      ['an origin not listed', 'localhost', {}],
      ['the apex of a wildcard', 'corp.localhost', {}],
      ['a method not allowed', '127.0.0.1', { method: 'DELETE' }],
      ['a header not allowed', '127.0.0.1', { headers: { 'x-secret': '1' } }],
    ] as const)('blocks %s in the browser', async (_why, host, init) => {
      const page = await pageAt(`http://${host}:${pagePort}`);
      const before = consoleMessages.length;
      const outcome = await callFrom(page, `${example.url}/api/hello`, init as RequestInit);
      expect(outcome).toEqual({ ok: false, error: 'TypeError: Failed to fetch' });
      // Chromium also says why on the console ("… has been blocked by CORS policy: …").
      for (
        let i = 0;
        i < 50 && !consoleMessages.slice(before).some((m) => m.includes('blocked by CORS policy'));
        i++
      ) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(consoleMessages.slice(before).join('\n')).toContain('blocked by CORS policy');
      await page.close();
    });

    /** Saves `doc` and waits until the example's SDK answers `origin` on `url` with `expectedAcao`. */
    async function applyPolicy(
      doc: object,
      url: string,
      origin: string,
      expectedAcao: string | null,
    ): Promise<void> {
      await service.setPolicy('browser', doc);
      for (let i = 0; ; i++) {
        const probe = await fetch(url, { headers: { origin } });
        await probe.body?.cancel();
        if (probe.headers.get('access-control-allow-origin') === expectedAcao) return;
        if (i > 500) throw new Error('the policy change never reached the example service');
        await new Promise((r) => setTimeout(r, 10));
      }
    }

    it('accepts a credentialed preflight with custom headers under allowedHeaders ["*"] (the names are echoed, Fetch §3.2.3)', async () => {
      const origin = `http://127.0.0.1:${pagePort}`;
      const preflight = await fetch(`${example.url}/api/orders`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-anything',
        },
      });
      await preflight.body?.cancel();
      // The listed headers only, at first: the custom name is refused.
      expect(preflight.status).toBe(403);
      const starPolicy = { ...policy(listed()), allowedHeaders: ['*'] };
      await service.setPolicy('browser', starPolicy);
      // Wait until the example's SDK answers the preflight with the new policy.
      for (let i = 0; ; i++) {
        const probe = await fetch(`${example.url}/api/orders`, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'x-probe',
          },
        });
        await probe.body?.cancel();
        if (probe.status === 204) break;
        if (i > 500) throw new Error('the policy change never reached the example service');
        await new Promise((r) => setTimeout(r, 10));
      }
      const page = await pageAt(origin);
      const order = await callFrom(page, `${example.url}/api/orders`, {
        ...credentialedPost,
        headers: {
          'content-type': 'application/json',
          'x-client': 'e2e',
          'x-trace-id': 'abc',
          'x-tenant-hint': 'acme',
        },
      });
      expect(order).toMatchObject({ ok: true, status: 201 });
      // `*` never covers authorization (Fetch §3.2.3): the browser blocks that one.
      const withAuth = await callFrom(page, `${example.url}/api/orders`, {
        ...credentialedPost,
        headers: { 'content-type': 'application/json', authorization: 'Bearer x' },
      });
      expect(withAuth).toEqual({ ok: false, error: 'TypeError: Failed to fetch' });
      await page.close();
      await applyPolicy(policy(listed()), `${example.url}/api/hello`, origin, origin);
    });

    it('applies a `*` route without credentials and a one-origin default as configured (SPEC §2.1)', async () => {
      const listedOrigin = `http://127.0.0.1:${pagePort}`;
      const other = `http://localhost:${pagePort}`;
      const routed = {
        ...policy([listedOrigin]),
        routes: [{ path: '/api/hello', origins: [{ pattern: '*' }], allowCredentials: false }],
      };
      await applyPolicy(routed, `${example.url}/api/hello`, other, '*');
      const stranger = await pageAt(other);
      // The `*` route: any page reads it, without credentials.
      const hello = await callFrom(stranger, `${example.url}/api/hello?from=stranger`);
      expect(hello).toMatchObject({ ok: true, status: 200 });
      // With credentials a browser refuses `Access-Control-Allow-Origin: *` (Fetch §3.2.5).
      expect(
        await callFrom(stranger, `${example.url}/api/hello`, { credentials: 'include' }),
      ).toEqual({ ok: false, error: 'TypeError: Failed to fetch' });
      // The default: only the one listed origin, so the stranger's order is blocked…
      expect(await callFrom(stranger, `${example.url}/api/orders`, credentialedPost)).toEqual({
        ok: false,
        error: 'TypeError: Failed to fetch',
      });
      await stranger.close();
      // …and the listed origin's credentialed, preflighted order goes through.
      const owner = await pageAt(listedOrigin);
      expect(await callFrom(owner, `${example.url}/api/orders`, credentialedPost)).toMatchObject({
        ok: true,
        status: 201,
      });
      await owner.close();
      await applyPolicy(policy(listed()), `${example.url}/api/hello`, other, null);
    });

    it('follows an allow-list change in corsplane at once, with default settings', async () => {
      const page = await pageAt(`http://localhost:${pagePort}`);
      const origin = `http://localhost:${pagePort}`;
      expect((await callFrom(page, `${example.url}/api/hello`)).ok).toBe(false);
      const saved = performance.now();
      await service.setPolicy('browser', policy([...listed(), origin]));
      // The service pushes the change to the example's SDK; this waits for that push to land (the
      // example answers with the new policy), never for a cache TTL to run out.
      for (let i = 0; ; i++) {
        const probe = await fetch(`${example.url}/api/hello`, { headers: { origin } });
        await probe.body?.cancel();
        if (probe.headers.get('access-control-allow-origin') === origin) break;
        if (i > 500) throw new Error('the change never reached the example service');
        await new Promise((r) => setTimeout(r, 10));
      }
      process.stdout.write(
        `  policy change reached the ${name} example's SDK ${(performance.now() - saved).toFixed(0)} ms after the PUT was sent\n`,
      );
      expect(await callFrom(page, `${example.url}/api/hello`)).toMatchObject({
        ok: true,
        status: 200,
      });
      await page.close();
      await service.setPolicy('browser', policy(listed()));
    });
  },
);
