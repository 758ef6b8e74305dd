// Version storage (issue 15): single-origin writes store deltas, the rest snapshots, and every read of a version
// (GET …/versions/:v, restore, an audit row's `before`) rebuilds it from its chain; the versions list counts
// each version's origins in PostgreSQL without reading a document out. Real PostgreSQL, real app;
// POLICY_SNAPSHOT_INTERVAL is 3 so a few writes cross snapshot boundaries.
import { jest } from '@jest/globals';
import {
  createTenant,
  createUser,
  manyOrigins,
  validPolicy,
  type TestUser,
} from './factories/factories.js';
import { createTestApp, type TestApp } from './factories/test-app.js';

jest.setTimeout(300_000);

const INTERVAL = 3;

let t: TestApp;
let admin: TestUser;

beforeAll(async () => {
  t = await createTestApp({ POLICY_SNAPSHOT_INTERVAL: String(INTERVAL) });
  admin = await createUser(t, { platformRole: 'admin' });
});
afterAll(() => t.close());

const enc = encodeURIComponent;
const as = () => ({ authorization: admin.bearer });
type Doc = { version: number; origins: Array<{ pattern: string }> } & Record<string, unknown>;

async function live(slug: string): Promise<Doc> {
  return (await t.http().get(`/v1/tenants/${slug}/policy`).set(as()).expect(200)).body as Doc;
}

/**
 * Every version through the API: the list `limit` at a time (so pages start and end inside chains), each
 * version's document from `GET …/versions/:v`. The list carries counts, not documents: each count is checked
 * against the document it stands for.
 */
async function allVersions(slug: string, limit: number) {
  type Summary = { version: number; source: string; note: string | null; originCount: number };
  const items: Array<Summary & { policy: Doc }> = [];
  let before: number | undefined;
  for (;;) {
    const res = await t
      .http()
      .get(`/v1/tenants/${slug}/policy/versions`)
      .query({ limit, ...(before ? { before } : {}) })
      .set(as())
      .expect(200);
    const page = res.body.items as Summary[];
    for (const summary of page) {
      expect(summary).not.toHaveProperty('policy');
      const one = await t
        .http()
        .get(`/v1/tenants/${slug}/policy/versions/${summary.version}`)
        .set(as())
        .expect(200);
      expect(one.body).toMatchObject(summary);
      expect(summary.originCount).toBe(one.body.policy.origins.length);
      items.push(one.body);
    }
    if (page.length < limit) return items;
    before = page.at(-1)?.version;
  }
}

/** Which stored rows are snapshots (`S`) and which deltas (`D`), by version. */
async function storage(tenantId: string) {
  const rows = await t.prisma.policyVersion.findMany({
    where: { tenantId },
    orderBy: { version: 'asc' },
    select: { version: true, snapshotVersion: true, document: true },
  });
  return rows.map((r) => `${r.version}${r.document === null ? `D${r.snapshotVersion}` : 'S'}`);
}

const pattern = (host: string) => `https://${host}.example`;

describe('versions across deltas and snapshots', () => {
  it('shows, restores and audits every version as it was, whether stored as a delta or a snapshot', async () => {
    const tenant = await createTenant(t);
    const slug = tenant.slug;
    const url = `/v1/tenants/${slug}/policy/origins`;
    const seen = new Map<number, Doc>();
    const record = async () => {
      const doc = await live(slug);
      seen.set(doc.version, doc);
      return doc;
    };
    await record(); // v1: create
    const put = await t
      .http()
      .put(`/v1/tenants/${slug}/policy`)
      .set(as())
      .set('if-match', '1')
      .send({ ...validPolicy({ origins: [{ pattern: pattern('a') }, { pattern: pattern('b') }] }) })
      .expect(200);
    expect(put.body.version).toBe(2);
    await record();
    await t
      .http()
      .post(url)
      .set(as())
      .send({ pattern: pattern('c'), note: 'c "quoted" \\ — café' })
      .expect(201); // v3
    await record();
    await t
      .http()
      .patch(`${url}/${enc(pattern('a'))}`)
      .set(as())
      .send({ note: 'edited', expiresAt: '2999-01-02T03:04:05.678Z' })
      .expect(200); // v4
    await record();
    await t
      .http()
      .delete(`${url}/${enc(pattern('b'))}`)
      .set(as())
      .expect(200); // v5: the chain is full
    await record();
    await t
      .http()
      .post(url)
      .set(as())
      .send({ pattern: pattern('d') })
      .expect(201); // v6
    await record();
    const v6 = seen.get(6) as Doc;
    const { version: _v, ...v6Doc } = v6;
    await t
      .http()
      .put(`/v1/tenants/${slug}/policy`)
      .set(as())
      .set('if-match', '6')
      .send({ ...v6Doc, mode: 'report-only', note: 'after a delta' })
      .expect(200); // v7
    await record();
    await t
      .http()
      .post(url)
      .set(as())
      .send({ pattern: pattern('e') })
      .expect(201); // v8
    await record();

    expect(await storage(tenant.id)).toEqual(['1S', '2S', '3D2', '4D2', '5S', '6D5', '7S', '8D7']);
    expect(seen.get(4)?.origins.map((o) => o.pattern)).toEqual([
      pattern('a'),
      pattern('b'),
      pattern('c'),
    ]);

    for (const limit of [1, 2, 3, 50]) {
      const versions = await allVersions(slug, limit);
      expect(versions.map((v) => v.version)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
      for (const v of versions) expect(v.policy).toEqual(seen.get(v.version));
    }

    // The audit row of the PUT that replaced delta version 6 shows version 6 whole.
    const audit = await t
      .http()
      .get('/v1/audit')
      .query({ tenant: slug, action: 'policy.update' })
      .set(as())
      .expect(200);
    const v7Row = (audit.body.items as Array<{ before: Doc; after: Doc }>).find(
      (r) => r.after.version === 7,
    );
    expect(v7Row?.before).toEqual(v6);

    // Restoring a delta version (4) and a snapshot version (5) gives each back whole, as a new snapshot.
    for (const [from, to] of [
      [4, 9],
      [5, 10],
      [8, 11],
    ] as const) {
      const restored = await t
        .http()
        .post(`/v1/tenants/${slug}/policy/versions/${from}/restore`)
        .set(as())
        .send({ note: `back to ${from}` })
        .expect(200);
      const { version: _from, ...expected } = seen.get(from) as Doc;
      expect(restored.body).toEqual({ ...expected, version: to });
      expect(await live(slug)).toEqual({ ...expected, version: to });
    }
    // Single-origin writes after a restore chain to it.
    await t
      .http()
      .post(url)
      .set(as())
      .send({ pattern: pattern('f') })
      .expect(201); // v12
    expect((await storage(tenant.id)).slice(8)).toEqual(['9S', '10S', '11S', '12D11']);
    const [v12] = await allVersions(slug, 1);
    expect(v12?.policy).toEqual(await live(slug));
    // An import is a bulk write: a snapshot.
    await t
      .http()
      .post(`${url}/import`)
      .set(as())
      .set('content-type', 'text/plain')
      .send(`${pattern('g')}\n${pattern('h')}\n`)
      .expect(200);
    expect((await storage(tenant.id)).at(-1)).toBe('13S');
    const [v13, v12Again] = await allVersions(slug, 2);
    expect(v13?.policy).toEqual(await live(slug));
    expect(v12Again?.policy).toEqual(v12?.policy);
  });

  it('keeps 50 concurrent adds in one order: each version is the one before plus its origin', async () => {
    const tenant = await createTenant(t);
    const url = `/v1/tenants/${tenant.slug}/policy/origins`;
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t
          .http()
          .post(url)
          .set(as())
          .send({ pattern: pattern(`c${i}`) }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(201));
    const versions = (await allVersions(tenant.slug, 7)).reverse();
    expect(versions.map((v) => v.version)).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
    for (let i = 1; i < versions.length; i++) {
      const prev = versions[i - 1]?.policy.origins.map((o) => o.pattern) ?? [];
      const cur = versions[i]?.policy.origins.map((o) => o.pattern) ?? [];
      expect(cur.slice(0, -1)).toEqual(prev);
    }
    // The live entries (ordered by position) are in the order the versions added them.
    expect(await live(tenant.slug)).toEqual(versions.at(-1)?.policy);
    const kinds = await storage(tenant.id);
    expect(kinds.filter((k) => k.endsWith('S'))).toHaveLength(1 + Math.floor(50 / INTERVAL));
  });

  it('builds a snapshot from the live policy with its routes and settings', async () => {
    const tenant = await createTenant(t);
    const routes = [
      {
        path: '/public/*',
        origins: [{ pattern: pattern('open'), note: 'route', expiresAt: null }],
      },
      { path: '/admin', allowCredentials: false, allowedMethods: ['GET'] },
    ];
    await t
      .http()
      .put(`/v1/tenants/${tenant.slug}/policy`)
      .set(as())
      .set('if-match', '1')
      .send(validPolicy({ mode: 'report-only', maxAgeSeconds: null, routes }))
      .expect(200); // v2
    for (const host of ['r1', 'r2', 'r3'])
      await t
        .http()
        .post(`/v1/tenants/${tenant.slug}/policy/origins`)
        .set(as())
        .send({ pattern: pattern(host), expiresAt: '2998-05-06T07:08:09.010Z' })
        .expect(201); // v3, v4, v5 (the snapshot)
    expect(await storage(tenant.id)).toEqual(['1S', '2S', '3D2', '4D2', '5S']);
    const [v5] = await allVersions(tenant.slug, 1);
    expect(v5?.policy).toEqual(await live(tenant.slug));
    expect(v5?.policy).toMatchObject({ mode: 'report-only', maxAgeSeconds: null });
    expect(v5?.policy.routes).toHaveLength(2);
  });
});

describe('a 100,000-origin tenant', () => {
  it('adds its 100,000th origin as a small delta; the history counts, each version reads whole', async () => {
    const tenant = await createTenant(t);
    const origins = manyOrigins(99_999);
    await t
      .http()
      .put(`/v1/tenants/${tenant.slug}/policy`)
      .set(as())
      .set('if-match', '1')
      .send(validPolicy({ origins }))
      .expect(200);
    const added = await t
      .http()
      .post(`/v1/tenants/${tenant.slug}/policy/origins`)
      .set(as())
      .set('x-change-note', 'one more')
      .send({ pattern: 'https://one-more.example' })
      .expect(201);
    expect(added.body.version).toBe(3);
    // The new row holds the one entry, not a copy of the policy.
    const [size] = await t.prisma.$queryRaw<Array<{ delta: number; document: number | null }>>`
      SELECT pg_column_size(delta) AS delta, pg_column_size(document) AS document
        FROM policy_versions WHERE tenant_id = ${tenant.id}::uuid AND version = 3`;
    expect(size).toEqual({ delta: expect.any(Number), document: null });
    expect(size?.delta).toBeLessThan(200);

    // The history lists counts, not documents: three versions of 100,000 origins fit in a few hundred bytes.
    const res = await t
      .http()
      .get(`/v1/tenants/${tenant.slug}/policy/versions`)
      .set(as())
      .expect(200);
    expect(res.body.items).toEqual([
      expect.objectContaining({ version: 3, note: 'one more', originCount: 100_000 }),
      expect.objectContaining({ version: 2, originCount: 99_999 }),
      expect.objectContaining({ version: 1, originCount: 0 }),
    ]);
    expect(res.text.length).toBeLessThan(1_000);
    // Each version whole, from its own route.
    const version = async (v: number) =>
      (await t.http().get(`/v1/tenants/${tenant.slug}/policy/versions/${v}`).set(as()).expect(200))
        .body as { version: number; note: string; policy: Doc };
    const after = await version(3);
    const before = await version(2);
    expect(after.note).toBe('one more');
    expect(after.policy.origins).toHaveLength(100_000);
    expect(after.policy.origins.at(-1)).toEqual({
      pattern: 'https://one-more.example',
      note: null,
      expiresAt: null,
    });
    expect(before.policy.origins).toEqual(origins);
    expect(after.policy.origins.slice(0, -1)).toEqual(origins);
    const tenants = await t.http().get(`/v1/tenants/${tenant.slug}`).set(as()).expect(200);
    expect(tenants.body).toMatchObject({ policyVersion: 3, originCount: 100_000 });
  });
});
