// Conformance suite, SDK path: every case of @corsplane/policy's conformance data sent as a real HTTP
// request to a real Express app using corsMiddleware, whose resolver holds the policy synced from a real
// corsplane API (started from apps/api/dist with its own embedded PostgreSQL) and decides locally. One tenant and one app per distinct policy. What
// is compared is what a browser sees: the status and every Access-Control-* and Vary response header.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import {
  casesFor,
  loadConformanceSuite,
  type ConformanceCase,
  type ConformanceExpectation,
} from '@corsplane/policy/conformance';
import { corsMiddleware, createCorsResolver, type CorsResolver } from '../src/index.js';
import { SERVICE_TIMEOUT_MS, until } from './support/until.js';
import { startCorsplane, type CorsplaneService } from './support/corsplane-service.js';

const suite = loadConformanceSuite();
const { conforming, deviating } = casesFor(suite, 'sdk');
/** The route behind the middleware answers every actual request with this status. */
const ROUTE_STATUS = 200;

interface RunningApp {
  url: string;
  resolver: CorsResolver;
  close(): Promise<void>;
}

let service: CorsplaneService;
const apps = new Map<string, RunningApp>();
const serviceErrors: string[] = [];

async function startApp(name: string, apiKey: string): Promise<RunningApp> {
  const resolver = createCorsResolver({
    serviceUrl: service.url,
    apiKey,
    onError: (error) => serviceErrors.push(`${name}: ${error.message}`),
    timeoutMs: SERVICE_TIMEOUT_MS,
  });
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(corsMiddleware(resolver));
  app.use((_req, res) => {
    res.status(ROUTE_STATUS).type('text/plain').send('route');
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  // The policy is fetched once; from then on every case is decided locally by the synced policy.
  await resolver.resolve({ method: 'GET', headers: { origin: 'https://warm-up.invalid' } });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    resolver,
    close: async () => {
      await resolver.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Waits until the service answers for the tenant's saved policy (version 2: created, then set). */
async function waitForPolicy(apiKey: string): Promise<void> {
  await until(async () => {
    const res = await fetch(`${service.url}/resolve?origin=https%3A%2F%2Fwarm-up.invalid`, {
      headers: { authorization: `Bearer ${apiKey}` },
    });
    return ((await res.json()) as { policyVersion?: number }).policyVersion === 2;
  }, 'the saved policy (version 2) served');
}

/**
 * Header values as bytes on the wire: Node's http client writes header strings as latin1, so
 * non-ASCII text is first turned into its UTF-8 bytes, as a real client (curl, a proxy) sends it.
 */
function onWire(value: string): string {
  return Buffer.from(value, 'utf8').toString('latin1');
}

/** One real HTTP request with exactly the case's header lines (an array value: one line each). */
function send(
  url: string,
  c: ConformanceCase,
): Promise<{ status: number; headers: Record<string, string> }> {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(c.request.wire))
    headers[name] = Array.isArray(value) ? value.map(onWire) : onWire(value);
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: c.request.method, headers, agent: false }, (res) => {
      res.resume();
      res.on('end', () => {
        const cors: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers)) {
          if (name === 'vary' || name.startsWith('access-control-')) cors[name] = String(value);
        }
        resolve({ status: res.statusCode as number, headers: cors });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** What a browser sees: a preflight's status from the adapter, the route's status otherwise. */
function observable(expect: ConformanceExpectation): {
  status: number;
  headers: Record<string, string>;
} {
  return {
    status: expect.preflight ? (expect.status as number) : ROUTE_STATUS,
    headers: expect.headers,
  };
}

async function check(c: ConformanceCase, expect_: ConformanceExpectation): Promise<void> {
  const app = apps.get(c.policyName) as RunningApp;
  // SPEC §2.1: the request goes to the case's path, which the middleware reads from the request itself.
  const response = await send(new URL(c.request.path ?? '/', app.url).href, c);
  expect({ id: c.id, ...response }).toEqual({ id: c.id, ...observable(expect_) });
}

beforeAll(async () => {
  service = await startCorsplane();
  for (const [name, policy] of suite.policies) {
    const apiKey = await service.createTenant(`conformance-${name}`, policy);
    await waitForPolicy(apiKey);
    apps.set(name, await startApp(name, apiKey));
  }
}, 120_000);

afterAll(async () => {
  for (const app of apps.values()) await app.close();
  await service?.dispose();
});

describe('conformance: SDK middleware (Express + corsplane service)', () => {
  it.each(conforming.map((c) => [c.id, c] as const))('%s', (_id, c) => check(c, c.expect));

  // Requests an HTTP stack cannot carry as written, and known SDK disagreements, are pinned.
  it.each(deviating.map(({ case: c, deviation }) => [c.id, c, deviation] as const))(
    '%s (deviation)',
    (_id, c, deviation) => check(c, deviation.expect as NonNullable<typeof deviation.expect>),
  );

  it('decided every case with the synced policy: a few policy fetches per app, none per case', () => {
    expect(serviceErrors).toEqual([]);
    for (const [name, app] of apps) {
      const stats = app.resolver.stats();
      const cases = suite.cases.filter((c) => c.policyName === name).length;
      // The first fetch, and at most two revalidations by ETag (stream opened during or after it).
      expect({
        name,
        fetches: stats.policyFetches <= 3,
        decisions: stats.decisions > cases,
      }).toEqual({
        name,
        fetches: true,
        decisions: true,
      });
    }
  });
});
