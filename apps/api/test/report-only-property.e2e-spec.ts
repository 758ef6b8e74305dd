import fc from 'fast-check';
import { jest } from '@jest/globals';
import { compilePolicy, decide, emptyPolicy } from '@corsplane/policy';
import {
  createKey,
  createTenant,
  createUser,
  replacePolicy,
  untilResolveServes,
  type TestUser,
} from './factories/factories.js';
import { createTestApp, type TestApp } from './factories/test-app.js';

// SPEC §3: a report-only policy answers a would-be refusal as allowed, but never grants more than an
// uncredentialed public answer: no Access-Control-Allow-Credentials and no Access-Control-Allow-Private-Network
// for an origin it does not list. The engine's property (packages/policy properties.spec.ts), here through
// GET /resolve and /resolve/headers, over random policies saved in PostgreSQL and random requests; the oracle is
// the same document in enforce mode.
jest.setTimeout(120_000);

let t: TestApp;
let admin: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createUser(t, { platformRole: 'admin' });
});
afterAll(() => t.close());

const GRANTS = ['access-control-allow-credentials', 'access-control-allow-private-network'];

const document = fc
  .record({
    origins: fc.subarray([
      'https://a.example',
      'https://*.b.example',
      'http://localhost:*',
      'null',
      '*',
    ]),
    allowCredentials: fc.boolean(),
    allowPrivateNetwork: fc.boolean(),
    allowedMethods: fc.subarray(['PUT', 'DELETE', '*']),
    allowedHeaders: fc.subarray(['x-a', 'authorization', '*']),
  })
  // Validation refuses `*` with credentials or private network.
  .filter((d) => !d.origins.includes('*') || (!d.allowCredentials && !d.allowPrivateNetwork));
const request = fc.record({
  origin: fc.constantFrom(
    'https://a.example',
    'https://x.b.example',
    'http://localhost:8080',
    'null',
    'https://evil.example',
  ),
  preflight: fc.boolean(),
  acrm: fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH'),
  acrh: fc.option(fc.constantFrom('x-a', 'x-b', 'authorization'), { nil: undefined }),
  privateNetwork: fc.boolean(),
});

it('/resolve and /resolve/headers never grant credentials or private-network access to an unlisted origin in report-only', async () => {
  await fc.assert(
    fc.asyncProperty(
      document,
      fc.array(request, { minLength: 3, maxLength: 6 }),
      async (d, reqs) => {
        const doc = {
          ...emptyPolicy(),
          ...d,
          mode: 'report-only' as const,
          origins: d.origins.map((pattern) => ({ pattern, note: null, expiresAt: null })),
        };
        const tenant = await createTenant(t);
        const version = await replacePolicy(t, admin, tenant.slug, doc);
        const key = await createKey(t, tenant);
        await untilResolveServes(t, key.bearer, version);
        const enforce = compilePolicy({ ...doc, mode: 'enforce' });
        for (const r of reqs) {
          const headers: Record<string, string> = { origin: r.origin };
          if (r.preflight) headers['access-control-request-method'] = r.acrm;
          if (r.preflight && r.acrh !== undefined)
            headers['access-control-request-headers'] = r.acrh;
          if (r.preflight && r.privateNetwork)
            headers['access-control-request-private-network'] = 'true';
          const method = r.preflight ? 'OPTIONS' : 'GET';
          const enforced = decide(enforce, { method, headers });

          const query: Record<string, string> = { origin: r.origin };
          if (r.preflight) query.method = r.acrm;
          if (r.preflight && r.acrh !== undefined) query.headers = r.acrh;
          if (r.preflight && r.privateNetwork) query.privateNetwork = 'true';
          const viaQuery = await t
            .http()
            .get('/resolve')
            .query(query)
            .set('authorization', key.bearer)
            .expect(200);
          const gateway = t.http()[r.preflight ? 'options' : 'get']('/resolve/headers');
          void gateway.set('authorization', key.bearer);
          for (const [name, value] of Object.entries(headers)) void gateway.set(name, value);
          const viaHeaders = await gateway;
          expect(viaHeaders.status).toBeLessThan(500);

          for (const granted of GRANTS) {
            for (const sent of [viaQuery.body.headers[granted], viaHeaders.headers[granted]]) {
              if (sent !== undefined) {
                expect(enforced.allowed).toBe(true);
                expect(enforced.headers[granted]).toBe(sent);
              }
            }
          }
        }
      },
    ),
    { numRuns: 25, seed: 20261203 },
  );
});
