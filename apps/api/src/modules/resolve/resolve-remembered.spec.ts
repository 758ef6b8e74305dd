import { jest } from '@jest/globals';
import { APP, COLD, KEYS, TENANTS, WARM, world } from '../../../test/factories/resolve-world.js';
import { shapeQuery, type ResolveOutcome } from './resolve.service.js';

// `resolve` gives a repeated query (the same shaped query object, as the edge's QueryMemo hands it over) its
// last answer again while nothing it came from changed. These tests hold it to that: every change, expiry and
// side effect the worked-out path has is still there.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const bearer = (key: string) => `Bearer ${key}`;

/** One sample of the scrape, e.g. `corsplane_resolve_cache_hits_total{cache="key"}`. */
async function sample(w: ReturnType<typeof world>, name: string): Promise<number> {
  const text = await w.metrics.scrape();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? 0 : Number(line.slice(name.length + 1));
}

const body = (out: ResolveOutcome) =>
  out.body as { allowed: boolean; reason: string; tenant: string };

describe('remembered /resolve answers', () => {
  it('gives a repeated query its answer again without the lookups, counted like a worked-out one', async () => {
    const w = world();
    const query = shapeQuery({ origin: APP });
    const first = await w.resolver.resolve(bearer(WARM), query);
    expect(first).toMatchObject({ status: 200, body: { allowed: true, reason: 'exact-match' } });
    // The first answer needed loads (not remembered); the second, from the caches alone, is remembered.
    expect(w.resolver.resolve(bearer(WARM), query)).toBe(first);
    const lookups = jest.spyOn(w.policies, 'cachedPolicy');
    const counts = async () => ({
      decisions: await sample(
        w,
        'corsplane_resolve_decisions_total{reason="exact-match",allowed="true"}',
      ),
      keyHits: await sample(w, 'corsplane_resolve_cache_hits_total{cache="key"}'),
      policyHits: await sample(w, 'corsplane_resolve_cache_hits_total{cache="policy"}'),
      timed: await sample(w, 'corsplane_resolve_duration_seconds_count'),
    });
    const before = await counts();
    for (let i = 0; i < 5; i++) expect(w.resolver.resolve(bearer(WARM), query)).toBe(first);
    expect(lookups).not.toHaveBeenCalled();
    expect(await counts()).toEqual({
      decisions: before.decisions + 5,
      keyHits: before.keyHits + 5,
      policyHits: before.policyHits + 5,
      timed: before.timed + 5,
    });
  });

  it('answers another key asking the same query with its own answer', async () => {
    const w = world();
    const query = shapeQuery({ origin: APP });
    await w.resolver.resolve(bearer(WARM), query);
    expect(body(await w.resolver.resolve(bearer(COLD), query)).tenant).toBe('cold');
    expect(body(await w.resolver.resolve(bearer(WARM), query)).tenant).toBe('warm');
    expect((await w.resolver.resolve(undefined, query)).status).toBe(401);
    expect((await w.resolver.resolve(`${bearer(WARM)}x`, query)).status).toBe(401);
  });

  it('works the answer out again after a policy change', async () => {
    const w = world();
    const query = shapeQuery({ origin: APP });
    await w.resolver.resolve(bearer(WARM), query);
    await w.resolver.resolve(bearer(WARM), query);
    w.db.origins = ['https://other.example'];
    w.policies.invalidatePolicy(TENANTS.warm!.id);
    expect(body(await w.resolver.resolve(bearer(WARM), query))).toMatchObject({
      allowed: false,
      reason: 'origin-not-allowed',
    });
  });

  it('refuses a revoked key on its next request', async () => {
    const w = world();
    const query = shapeQuery({ origin: APP });
    await w.resolver.resolve(bearer(WARM), query);
    await w.resolver.resolve(bearer(WARM), query);
    delete KEYS[WARM];
    try {
      w.keys.invalidateTenant(TENANTS.warm!.id);
      expect((await w.resolver.resolve(bearer(WARM), query)).status).toBe(401);
    } finally {
      KEYS[WARM] = { tenant: 'warm' };
    }
  });

  it('works the answer out again once the caches are marked stale (change notifications lost)', async () => {
    const w = world();
    const query = shapeQuery({ origin: APP });
    await w.resolver.resolve(bearer(WARM), query);
    await w.resolver.resolve(bearer(WARM), query);
    const loads = w.db.loads;
    w.listenerLost();
    w.db.origins = ['https://other.example'];
    expect(body(await w.resolver.resolve(bearer(WARM), query)).allowed).toBe(false);
    expect(w.db.loads).toBeGreaterThan(loads);
  });

  it('is not given past the moment its cached policy would have been reloaded (the TTL safety net)', async () => {
    const w = world({ RESOLVE_POLICY_CACHE_TTL_SECONDS: '2' });
    const query = shapeQuery({ origin: APP });
    await w.resolver.resolve(bearer(WARM), query);
    // Changed with no notification: only the TTL can bring it in.
    w.db.origins = ['https://other.example'];
    expect(body(await w.resolver.resolve(bearer(WARM), query)).allowed).toBe(true);
    await sleep(2200);
    expect(body(await w.resolver.resolve(bearer(WARM), query)).allowed).toBe(false);
  });

  it('never remembers a refusal: each one is logged', async () => {
    const w = world();
    const query = shapeQuery({ origin: 'https://evil.example' });
    for (let i = 0; i < 3; i++)
      expect(body(await w.resolver.resolve(bearer(WARM), query)).allowed).toBe(false);
    await w.blocked.flush();
    const rows = w.db.upserts.flat().filter((r) => r.origin === 'https://evil.example');
    expect(rows.reduce((n, r) => n + r.count, 0)).toBe(3);
  });

  it('never remembers an answer from a policy with expiring entries (it depends on the clock)', async () => {
    const w = world();
    const expiry = Date.now() + 60_000;
    w.db.origins = [{ pattern: APP, expiresAt: new Date(expiry).toISOString() }];
    const query = shapeQuery({ origin: APP });
    expect(body(await w.resolver.resolve(bearer(WARM), query)).allowed).toBe(true);
    expect(body(await w.resolver.resolve(bearer(WARM), query)).allowed).toBe(true);
    // The policy's clock (decide reads Date.now) passes the expiry; the caches' TTLs are untouched.
    const clock = jest.spyOn(Date, 'now').mockReturnValue(expiry + 1);
    try {
      expect(body(await w.resolver.resolve(bearer(WARM), query))).toMatchObject({
        allowed: false,
        reason: 'expired',
      });
    } finally {
      clock.mockRestore();
    }
  });
});
