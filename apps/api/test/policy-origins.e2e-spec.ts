// SPEC §4.1: one origin at a time, import, export and paging, on real PostgreSQL through the real app.
import { jest } from '@jest/globals';
import {
  createKey,
  createTenant,
  createUser,
  manyOrigins,
  validPolicy,
  type TestUser,
} from './factories/factories.js';
import { createTestApp, type TestApp } from './factories/test-app.js';

jest.setTimeout(300_000);

let t: TestApp;
let admin: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createUser(t, { platformRole: 'admin' });
});
afterAll(() => t.close());

const enc = encodeURIComponent;
const as = (u: TestUser) => ({ authorization: u.bearer });

async function policyOf(slug: string) {
  const res = await t.http().get(`/v1/tenants/${slug}/policy`).set(as(admin)).expect(200);
  return res.body as { version: number; origins: Array<{ pattern: string; note: string | null }> };
}

async function auditOf(slug: string, action: string) {
  const res = await t
    .http()
    .get('/v1/audit')
    .query({ tenant: slug, action, limit: 500 })
    .set(as(admin))
    .expect(200);
  return res.body.items as Array<{ note: string | null; before: unknown; after: unknown }>;
}

describe('single-origin writes', () => {
  it('adds, edits and removes one origin, each one version with its note and one audit row', async () => {
    const tenant = await createTenant(t);
    const url = `/v1/tenants/${tenant.slug}/policy/origins`;
    const added = await t
      .http()
      .post(url)
      .set(as(admin))
      .set('x-change-note', enc('ticket #42 — café'))
      .send({ pattern: 'HTTPS://App.Example.com:443', note: 'prod' })
      .expect(201);
    expect(added.body).toEqual({
      version: 2,
      entry: { pattern: 'https://app.example.com', note: 'prod', expiresAt: null },
    });

    const patched = await t
      .http()
      .patch(`${url}/${enc('https://app.example.com')}`)
      .set(as(admin))
      .send({ expiresAt: '2999-01-01T00:00:00Z' })
      .expect(200);
    expect(patched.body).toEqual({
      version: 3,
      entry: {
        pattern: 'https://app.example.com',
        note: 'prod',
        expiresAt: '2999-01-01T00:00:00.000Z',
      },
    });
    // Another spelling of the pattern names the same entry.
    await t
      .http()
      .delete(`${url}/${enc('https://APP.example.com:443')}`)
      .set(as(admin))
      .set('x-change-note', 'customer left')
      .expect(200, { version: 4 });

    const versions = await t
      .http()
      .get(`/v1/tenants/${tenant.slug}/policy/versions`)
      .set(as(admin))
      .expect(200);
    expect(
      versions.body.items.map(
        (v: { version: number; note: string | null; originCount: number }) => [
          v.version,
          v.note,
          v.originCount,
        ],
      ),
    ).toEqual([
      [4, 'customer left', 0],
      [3, null, 1],
      [2, 'ticket #42 — café', 1],
      [1, null, 0],
    ]);
    expect((await auditOf(tenant.slug, 'policy.origin.add')).map((a) => a.note)).toEqual([
      'ticket #42 — café',
    ]);
    const [removal] = await auditOf(tenant.slug, 'policy.origin.delete');
    expect(removal).toMatchObject({
      note: 'customer left',
      before: { pattern: 'https://app.example.com', expiresAt: '2999-01-01T00:00:00.000Z' },
      after: null,
    });
    expect((await policyOf(tenant.slug)).version).toBe(4);
  });

  it('refuses a listed origin (409), a bad one (422), an unknown one (404), each without a version', async () => {
    const tenant = await createTenant(t);
    const url = `/v1/tenants/${tenant.slug}/policy/origins`;
    await t.http().post(url).set(as(admin)).send({ pattern: 'https://a.example' }).expect(201);
    const dup = await t
      .http()
      .post(url)
      .set(as(admin))
      .send({ pattern: 'https://A.example' })
      .expect(409);
    expect(dup.body.message).toContain('https://a.example');
    const bad = await t
      .http()
      .post(url)
      .set(as(admin))
      .send({ pattern: 'https://*.com' })
      .expect(422);
    expect(bad.body.details[0]).toMatchObject({ reason: 'public-suffix-wildcard' });
    await t
      .http()
      .delete(`${url}/${enc('https://b.example')}`)
      .set(as(admin))
      .expect(404);
    await t
      .http()
      .patch(`${url}/${enc('https://b.example')}`)
      .set(as(admin))
      .send({ note: 'x' })
      .expect(404);
    await t
      .http()
      .post(url)
      .set(as(admin))
      .set('x-change-note', '')
      .send({ pattern: 'https://c.example' })
      .expect(400);
    expect((await policyOf(tenant.slug)).version).toBe(2);
  });

  it('refuses "*" while the policy allows credentials, like a PUT would', async () => {
    const tenant = await createTenant(t);
    await t
      .http()
      .put(`/v1/tenants/${tenant.slug}/policy`)
      .set(as(admin))
      .set('if-match', '"1"')
      .send({ ...validPolicy(), note: 'credentials on' })
      .expect(200);
    const res = await t
      .http()
      .post(`/v1/tenants/${tenant.slug}/policy/origins`)
      .set(as(admin))
      .send({ pattern: '*' })
      .expect(422);
    expect(res.body.details[0]).toMatchObject({ reason: 'wildcard-with-credentials' });
    const [put] = await auditOf(tenant.slug, 'policy.update');
    expect(put?.note).toBe('credentials on');
  });

  it('lands 50 concurrent adds to one tenant: 50 versions, 50 audit rows, none lost', async () => {
    const tenant = await createTenant(t);
    const patterns = Array.from({ length: 50 }, (_, i) => `https://c${i}.concurrent.example`);
    const answers = await Promise.all(
      patterns.map((pattern) =>
        t.http().post(`/v1/tenants/${tenant.slug}/policy/origins`).set(as(admin)).send({ pattern }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(patterns.map(() => 201));
    const versions = answers.map((a) => a.body.version as number).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));
    const policy = await policyOf(tenant.slug);
    expect(policy.version).toBe(51);
    expect(policy.origins.map((o) => o.pattern).sort()).toEqual([...patterns].sort());
    expect(await auditOf(tenant.slug, 'policy.origin.add')).toHaveLength(50);
    // Each version holds exactly the origins added up to it.
    const history = await t
      .http()
      .get(`/v1/tenants/${tenant.slug}/policy/versions`)
      .query({ limit: 60 })
      .set(as(admin))
      .expect(200);
    for (const v of history.body.items as Array<{ version: number; originCount: number }>)
      expect(v.originCount).toBe(v.version - 1);
  });

  it('reaches /resolve like a PUT (the same change notification)', async () => {
    const tenant = await createTenant(t);
    const key = await createKey(t, tenant);
    const ask = () =>
      t
        .http()
        .get('/resolve')
        .query({ origin: 'https://late.example' })
        .set('authorization', key.bearer);
    expect((await ask().expect(200)).body.allowed).toBe(false);
    await t
      .http()
      .post(`/v1/tenants/${tenant.slug}/policy/origins`)
      .set(as(admin))
      .send({ pattern: 'https://late.example' })
      .expect(201);
    for (let i = 0; ; i++) {
      const res = await ask().expect(200);
      if (res.body.allowed) {
        expect(res.body.policyVersion).toBe(2);
        break;
      }
      if (i > 200) throw new Error('/resolve never saw the added origin');
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  it('lets a tenant editor write and a tenant viewer only read', async () => {
    const tenant = await createTenant(t);
    const editor = await createUser(t, { memberships: [{ tenantId: tenant.id, role: 'editor' }] });
    const viewer = await createUser(t, { memberships: [{ tenantId: tenant.id, role: 'viewer' }] });
    const url = `/v1/tenants/${tenant.slug}/policy/origins`;
    await t.http().post(url).set(as(editor)).send({ pattern: 'https://e.example' }).expect(201);
    await t.http().post(url).set(as(viewer)).send({ pattern: 'https://v.example' }).expect(403);
    const list = await t.http().get(url).set(as(viewer)).expect(200);
    expect(list.body.items).toEqual([
      { pattern: 'https://e.example', note: null, expiresAt: null },
    ]);
  });
});

describe('paged origins', () => {
  it('pages the entries in document order with a search, no duplicate and no gap', async () => {
    const tenant = await createTenant(t);
    await t
      .http()
      .put(`/v1/tenants/${tenant.slug}/policy`)
      .set(as(admin))
      .set('if-match', '1')
      .send(validPolicy({ origins: manyOrigins(250) }))
      .expect(200);
    const url = `/v1/tenants/${tenant.slug}/policy/origins`;
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: never[]; nextCursor: string | null } } = await t
        .http()
        .get(url)
        .query({ limit: 40, ...(cursor ? { cursor } : {}) })
        .set(as(admin))
        .expect(200);
      seen.push(...res.body.items.map((o: { pattern: string }) => o.pattern));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(manyOrigins(250).map((o) => o.pattern));
    const found = await t.http().get(url).query({ q: 'CUSTOMER-00012' }).set(as(admin)).expect(200);
    expect(found.body.items).toHaveLength(10);
    expect(found.body.nextCursor).toBeNull();
    await t.http().get(url).query({ limit: 501 }).set(as(admin)).expect(400);
    await t.http().get(url).query({ cursor: 'not a cursor' }).set(as(admin)).expect(400);
    // A tenants cursor is not an origins cursor.
    await t
      .http()
      .get(url)
      .query({ cursor: Buffer.from('t:abc').toString('base64url') })
      .set(as(admin))
      .expect(400);
  });
});

describe('import', () => {
  it('adds from JSON, CSV and text, counts what was listed, and dry-runs without saving', async () => {
    const tenant = await createTenant(t);
    const url = `/v1/tenants/${tenant.slug}/policy/origins/import`;
    const json = await t
      .http()
      .post(url)
      .set(as(admin))
      .set('x-change-note', 'from the CRM')
      .send(['https://a.example', { pattern: 'https://b.example', note: 'b' }])
      .expect(200);
    expect(json.body).toEqual({ added: 2, unchanged: 0, errors: [], dryRun: false, version: 2 });

    const csv =
      'pattern,note,expiresAt\r\nhttps://b.example,other,\r\n"https://c.example","says ""hi"", twice",2999-01-01T00:00:00Z\r\n';
    const fromCsv = await t
      .http()
      .post(url)
      .set(as(admin))
      .set('content-type', 'text/csv')
      .send(csv)
      .expect(200);
    expect(fromCsv.body).toMatchObject({ added: 1, unchanged: 1, version: 3 });

    const text = '# partners\nhttps://d.example\n\nhttps://D.example:443\nhttps://a.example\n';
    const dry = await t
      .http()
      .post(`${url}?dryRun=true`)
      .set(as(admin))
      .set('content-type', 'text/plain')
      .send(text)
      .expect(200);
    expect(dry.body).toEqual({ added: 1, unchanged: 2, errors: [], dryRun: true, version: 3 });
    expect((await policyOf(tenant.slug)).version).toBe(3);

    // Nothing new: no version.
    const none = await t.http().post(url).set(as(admin)).send(['https://a.example']).expect(200);
    expect(none.body).toMatchObject({ added: 0, unchanged: 1, version: 3 });

    const policy = await policyOf(tenant.slug);
    expect(policy.origins).toEqual([
      { pattern: 'https://a.example', note: null, expiresAt: null },
      { pattern: 'https://b.example', note: 'b', expiresAt: null },
      {
        pattern: 'https://c.example',
        note: 'says "hi", twice',
        expiresAt: '2999-01-01T00:00:00.000Z',
      },
    ]);
    const [event] = await auditOf(tenant.slug, 'policy.import');
    expect(event).toMatchObject({ after: { added: 1, unchanged: 1, version: 3 } });
    const [first] = (await auditOf(tenant.slug, 'policy.import')).slice(-1);
    expect(first?.note).toBe('from the CRM');
  });

  it('names each bad line and saves nothing; other bodies get 400/415', async () => {
    const tenant = await createTenant(t);
    const url = `/v1/tenants/${tenant.slug}/policy/origins/import`;
    const csv = 'https://ok.example\nhttps://x.example/path\n"unclosed\n';
    const res = await t
      .http()
      .post(url)
      .set(as(admin))
      .set('content-type', 'text/csv')
      .send(csv)
      .expect(422);
    expect(res.body).toMatchObject({ statusCode: 422, added: 0, unchanged: 0 });
    expect(
      res.body.errors.map((e: { line: number; reason: string }) => [e.line, e.reason]),
    ).toEqual([
      [2, 'has-path'],
      [3, 'malformed-csv'],
    ]);
    await t
      .http()
      .post(url)
      .set(as(admin))
      .set('content-type', 'application/x-www-form-urlencoded')
      .send('a=b')
      .expect(415);
    expect((await policyOf(tenant.slug)).version).toBe(1);
    // Text bodies stay refused everywhere else.
    await t
      .http()
      .post(`/v1/tenants/${tenant.slug}/policy/origins`)
      .set(as(admin))
      .set('content-type', 'text/plain')
      .send('https://a.example')
      .expect(415);
  });

  it('refuses 100,000 lines with 3 bad ones: exactly 3 line errors, nothing saved', async () => {
    const tenant = await createTenant(t);
    const lines = manyOrigins(100_000).map((o) => o.pattern);
    lines[9] = 'https://bad.example/path';
    lines[49_999] = 'https://*.com';
    lines[99_999] = 'ftp://user@host.example';
    const res = await t
      .http()
      .post(`/v1/tenants/${tenant.slug}/policy/origins/import`)
      .set(as(admin))
      .set('content-type', 'text/plain')
      .send(lines.join('\n'))
      .expect(422);
    expect(res.body.errors.map((e: { line: number }) => e.line)).toEqual([10, 50_000, 100_000]);
    expect(res.body.errors.map((e: { value: string }) => e.value)).toEqual([
      'https://bad.example/path',
      'https://*.com',
      'ftp://user@host.example',
    ]);
    const policy = await policyOf(tenant.slug);
    expect(policy).toMatchObject({ version: 1, origins: [] });
    expect(await auditOf(tenant.slug, 'policy.import')).toEqual([]);
  });
});

describe('export', () => {
  it('round-trips a 100,000-origin policy: PUT, export CSV, import elsewhere, same entries', async () => {
    const a = await createTenant(t);
    const b = await createTenant(t);
    const origins = manyOrigins(100_000).map((o, i) => ({
      ...o,
      note: i === 7 ? 'a, "quoted"\nnote' : o.note,
    }));
    await t
      .http()
      .put(`/v1/tenants/${a.slug}/policy`)
      .set(as(admin))
      .set('if-match', '1')
      .send({ ...validPolicy({ origins }), note: 'bulk' })
      .expect(200);
    const json = await t
      .http()
      .get(`/v1/tenants/${a.slug}/policy/export?format=json`)
      .set(as(admin))
      .expect(200);
    expect(json.headers['content-disposition']).toBe(
      `attachment; filename="${a.slug}-policy-v2.json"`,
    );
    expect(json.body.origins).toEqual(origins);
    const csv = await t
      .http()
      .get(`/v1/tenants/${a.slug}/policy/export`)
      .query({ format: 'csv' })
      .set(as(admin))
      .buffer(true)
      .parse((res, cb) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => cb(null, text));
      })
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const imported = await t
      .http()
      .post(`/v1/tenants/${b.slug}/policy/origins/import`)
      .set(as(admin))
      .set('content-type', 'text/csv')
      .send(csv.body as string)
      .expect(200);
    expect(imported.body).toMatchObject({ added: 100_000, unchanged: 0, errors: [] });
    expect((await policyOf(b.slug)).origins).toEqual(origins);
    // The limit holds for single adds too.
    const over = await t
      .http()
      .post(`/v1/tenants/${b.slug}/policy/origins`)
      .set(as(admin))
      .send({ pattern: 'https://one-too-many.example' })
      .expect(422);
    expect(over.body.message).toContain('100,000');
  });
});

describe('paged tenants', () => {
  it('pages through 1,000 tenants while tenants are being created: no duplicate, no gap', async () => {
    const prefix = `pg${Date.now().toString(36)}`;
    // 1,000 tenants in one statement each for tenants, policies and versions (the API path is tested above).
    await t.prisma.$executeRaw`INSERT INTO tenants (id, slug, name, updated_at)
      SELECT gen_random_uuid(), ${prefix} || '-' || lpad(i::text, 4, '0'), 'Paging ' || i, now()
        FROM generate_series(0, 999) AS i`;
    await t.prisma
      .$executeRaw`INSERT INTO policies (tenant_id, version, mode, allowed_methods, allowed_headers,
        exposed_headers, allow_credentials, max_age_seconds, allow_private_network, updated_at)
      SELECT id, 1, 'enforce', '{}', '{}', '{}', false, NULL, false, now() FROM tenants
       WHERE slug LIKE ${prefix + '-%'}`;
    const existing = Array.from(
      { length: 1000 },
      (_, i) => `${prefix}-${String(i).padStart(4, '0')}`,
    );

    let creating = true;
    let created = 0;
    const creator = (async () => {
      // New tenants sort between existing ones (…-0123a): they may or may not show, never disturb the rest.
      while (creating && created < 200) {
        const n = String(Math.floor((created * 997) % 1000)).padStart(4, '0');
        await t
          .http()
          .post('/v1/tenants')
          .set(as(admin))
          .send({ slug: `${prefix}-${n}a${created}`, name: 'Late' })
          .expect(201);
        created += 1;
      }
    })();
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { body: { items: never[]; nextCursor: string | null } } = await t
        .http()
        .get('/v1/tenants')
        .query({ q: prefix.toUpperCase(), limit: 37, ...(cursor ? { cursor } : {}) })
        .set(as(admin))
        .expect(200);
      seen.push(...res.body.items.map((x: { slug: string }) => x.slug));
      cursor = res.body.nextCursor;
      pages += 1;
    } while (cursor);
    creating = false;
    await creator;
    expect(pages).toBeGreaterThanOrEqual(28);
    expect(new Set(seen).size).toBe(seen.length);
    // Late slugs are `<prefix>-<n>a<k>` (the prefix itself may hold an "a": it is a base-36 timestamp).
    expect(seen.filter((s) => !s.slice(prefix.length).includes('a'))).toEqual(existing);
    expect(created).toBeGreaterThan(0);
  });

  it('searches slug and name, and shows members only their tenants', async () => {
    const mine = await createTenant(t, { name: 'Zebra Findable Corp' });
    await createTenant(t, { name: 'Zebra Findable Other' });
    const member = await createUser(t, { memberships: [{ tenantId: mine.id, role: 'viewer' }] });
    const all = await t
      .http()
      .get('/v1/tenants')
      .query({ q: 'zebra findable' })
      .set(as(admin))
      .expect(200);
    expect(all.body.items).toHaveLength(2);
    const own = await t
      .http()
      .get('/v1/tenants')
      .query({ q: 'zebra findable' })
      .set(as(member))
      .expect(200);
    expect(own.body.items.map((x: { slug: string }) => x.slug)).toEqual([mine.slug]);
    await t.http().get('/v1/tenants').query({ limit: 0 }).set(as(admin)).expect(400);
  });
});

describe('OpenAPI', () => {
  it('documents every route of SPEC §4.1 this service serves', async () => {
    const doc = (await t.http().get('/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, { parameters?: Array<{ name: string }> }>>;
    };
    const base = '/v1/tenants/{slug}/policy';
    expect(Object.keys(doc.paths[`${base}/origins`] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths[`${base}/origins/{pattern}`] ?? {}).sort()).toEqual([
      'delete',
      'patch',
    ]);
    expect(Object.keys(doc.paths[`${base}/origins/import`] ?? {})).toEqual(['post']);
    expect(Object.keys(doc.paths[`${base}/export`] ?? {})).toEqual(['get']);
    const listParams = doc.paths['/v1/tenants']?.get?.parameters?.map((p) => p.name);
    expect(listParams).toEqual(expect.arrayContaining(['q', 'limit', 'cursor']));
    const addParams = doc.paths[`${base}/origins`]?.post?.parameters?.map((p) => p.name);
    expect(addParams).toContain('X-Change-Note');
  });
});
