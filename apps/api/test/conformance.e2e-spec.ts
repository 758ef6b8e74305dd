// Conformance suite, /resolve path: every case of @corsplane/policy's conformance data asked of the real
// API (GET /resolve with a tenant key), one tenant per distinct policy. The same cases run against the
// engine (packages/policy) and the SDK middleware (packages/sdk), so the three cannot disagree unnoticed.
import {
  casesFor,
  comparable,
  expected,
  loadConformanceSuite,
  type ConformanceCase,
} from '@corsplane/policy/conformance';
import {
  createKey,
  createTenant,
  createUser,
  replacePolicy,
  untilResolveServes,
  type TestUser,
} from './factories/factories.js';
import { createTestApp, type TestApp } from './factories/test-app.js';

const suite = loadConformanceSuite();
const { conforming, deviating } = casesFor(suite, 'resolve');

let t: TestApp;
let admin: TestUser;
const bearers = new Map<string, string>();

/**
 * A request as a gateway asks it: Origin → origin; a preflight's ACRM/ACRH/ACRPN → method/headers/privateNetwork;
 * the request path → path.
 */
function resolveQuery(c: ConformanceCase): string {
  const { method, headers } = c.request;
  const query = new URLSearchParams();
  if (headers.origin !== undefined) query.set('origin', headers.origin);
  const acrm = headers['access-control-request-method'];
  if (method === 'OPTIONS' && acrm !== undefined) {
    query.set('method', acrm);
    const acrh = headers['access-control-request-headers'];
    if (acrh !== undefined) query.set('headers', acrh);
    const pna = headers['access-control-request-private-network'];
    if (pna === 'true' || pna === 'false') query.set('privateNetwork', pna);
  }
  if (c.request.path !== undefined) query.set('path', c.request.path);
  return query.toString();
}

function ask(c: ConformanceCase) {
  return t
    .http()
    .get(`/resolve?${resolveQuery(c)}`)
    .set('authorization', bearers.get(c.policyName) as string);
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await createUser(t, { platformRole: 'admin' });
  for (const [name, policy] of suite.policies) {
    const tenant = await createTenant(t, { slug: `conformance-${name}` });
    const version = await replacePolicy(t, admin, tenant.slug, policy);
    const key = await createKey(t, tenant, 'conformance');
    bearers.set(name, key.bearer);
    await untilResolveServes(t, key.bearer, version);
  }
  // One tenant per policy, each PUT and waited for: generous on a busy 2-core machine.
}, 180_000);
afterAll(() => t?.close());

describe('conformance: GET /resolve', () => {
  it.each(conforming.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const res = await ask(c);
    expect({ id: c.id, httpStatus: res.status }).toEqual({ id: c.id, httpStatus: 200 });
    expect({ id: c.id, ...comparable(res.body, c.expect) }).toEqual({
      id: c.id,
      ...expected(c.expect),
    });
  });

  // Where /resolve cannot take the request as written (e.g. no origin: SPEC §4 says 400), it is pinned.
  it.each(deviating.map(({ case: c, deviation }) => [c.id, c, deviation] as const))(
    '%s (deviation)',
    async (_id, c, deviation) => {
      const res = await ask(c);
      if (deviation.httpStatus !== undefined) {
        expect({ id: c.id, httpStatus: res.status }).toEqual({
          id: c.id,
          httpStatus: deviation.httpStatus,
        });
        return;
      }
      const expect_ = deviation.expect as NonNullable<typeof deviation.expect>;
      expect({ id: c.id, ...comparable(res.body, expect_) }).toEqual({
        id: c.id,
        ...expected(expect_),
      });
    },
  );
});
