import fc from 'fast-check';
import { jest } from '@jest/globals';
import { compilePolicy, decide, emptyPolicy } from '@corsplane/policy';
import {
  grantsBeyondEnforce,
  reportOnlyPolicyFields,
  reportOnlyRequest,
} from '@corsplane/policy/report-only-property';
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

it('/resolve and /resolve/headers never grant credentials or private-network access to an unlisted origin in report-only', async () => {
  await fc.assert(
    fc.asyncProperty(
      reportOnlyPolicyFields,
      fc.array(reportOnlyRequest, { minLength: 3, maxLength: 6 }),
      async (fields, requests) => {
        const doc = {
          ...emptyPolicy(),
          ...fields,
          mode: 'report-only' as const,
          origins: fields.origins.map((pattern) => ({ pattern, note: null, expiresAt: null })),
        };
        const tenant = await createTenant(t);
        const version = await replacePolicy(t, admin, tenant.slug, doc);
        const key = await createKey(t, tenant);
        await untilResolveServes(t, key.bearer, version);
        const enforce = compilePolicy({ ...doc, mode: 'enforce' });
        for (const r of requests) {
          const enforced = decide(enforce, r);
          const h = r.headers;
          const query: Record<string, string> = { origin: h.origin as string };
          if (h['access-control-request-method']) query.method = h['access-control-request-method'];
          if (h['access-control-request-headers'])
            query.headers = h['access-control-request-headers'];
          if (h['access-control-request-private-network']) query.privateNetwork = 'true';
          const viaQuery = await t
            .http()
            .get('/resolve')
            .query(query)
            .set('authorization', key.bearer)
            .expect(200);
          const gateway = t.http()[r.method === 'OPTIONS' ? 'options' : 'get']('/resolve/headers');
          void gateway.set('authorization', key.bearer);
          for (const [name, value] of Object.entries(h)) void gateway.set(name, value);
          const viaHeaders = await gateway;
          expect(viaHeaders.status).toBeLessThan(500);
          expect(grantsBeyondEnforce(enforced, viaQuery.body.headers)).toEqual([]);
          expect(grantsBeyondEnforce(enforced, viaHeaders.headers)).toEqual([]);
        }
      },
    ),
    { numRuns: 25, seed: 20261203 },
  );
});
