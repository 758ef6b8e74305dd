import { jest } from '@jest/globals';
import pg from 'pg';
import { createTenant, createUser, type TestUser } from './factories/factories.js';
import { createTestApp, type TestApp } from './factories/test-app.js';

let t: TestApp;
let admin: TestUser;
let tenant: { id: string; slug: string };

const h = (iso: string) => new Date(iso);
const row = (origin: string, hour: string, count: number, reason = 'origin-not-allowed') => ({
  tenantId: tenant.id,
  origin,
  reason,
  hour: h(hour),
  count,
  firstSeen: h(hour),
  lastSeen: h(hour),
});

beforeAll(async () => {
  t = await createTestApp();
  admin = await createUser(t, { platformRole: 'admin' });
  tenant = await createTenant(t);
  const other = await createTenant(t);
  await t.prisma.blockedOriginAggregate.createMany({
    data: [
      row('https://evil.example', '2026-01-01T10:00:00Z', 3),
      row('https://evil.example', '2026-01-01T11:00:00Z', 4),
      row('https://evil.example', '2026-01-01T11:00:00Z', 2, 'method-not-allowed'),
      row('https://new.acme.com', '2026-01-01T11:00:00Z', 5),
      row('https://new.acme.com', '2026-01-02T10:00:00Z', 1),
      row('https://50%_off.example', '2026-01-01T12:00:00Z', 8),
      // Another tenant's refusals never count.
      { ...row('https://evil.example', '2026-01-01T10:00:00Z', 100), tenantId: other.id },
    ],
  });
});
afterAll(() => t.close());

const timeline = (query: Record<string, string>) =>
  t
    .http()
    .get(`/v1/tenants/${tenant.slug}/blocked-origins/timeline`)
    .query(query)
    .set('authorization', admin.bearer);

describe('refusals timeline', () => {
  it('counts per hour, zero-filled, oldest first, from the bucket holding since to the one holding until', async () => {
    const res = await timeline({
      since: '2026-01-01T09:30:00Z',
      until: '2026-01-01T13:00:00Z',
      bucket: 'hour',
    }).expect(200);
    expect(res.body).toEqual({
      bucket: 'hour',
      since: '2026-01-01T09:00:00.000Z',
      until: '2026-01-01T13:00:00.000Z',
      buckets: [
        { start: '2026-01-01T09:00:00.000Z', count: 0 },
        { start: '2026-01-01T10:00:00.000Z', count: 3 },
        { start: '2026-01-01T11:00:00.000Z', count: 11 },
        { start: '2026-01-01T12:00:00.000Z', count: 8 },
      ],
    });
  });

  it('counts per UTC day, whatever the offset the bounds are written with', async () => {
    const res = await timeline({
      since: '2026-01-01T05:00:00+05:00', // 2026-01-01T00:00Z
      until: '2026-01-03T00:00:00Z',
      bucket: 'day',
    }).expect(200);
    expect(res.body.buckets).toEqual([
      { start: '2026-01-01T00:00:00.000Z', count: 22 },
      { start: '2026-01-02T00:00:00.000Z', count: 1 },
    ]);
  });

  it('filters origins like the list does: case-insensitive substring, wildcards taken literally', async () => {
    const q = { since: '2026-01-01T00:00:00Z', until: '2026-01-03T00:00:00Z', bucket: 'day' };
    const acme = await timeline({ ...q, q: 'ACME' }).expect(200);
    expect(acme.body.buckets.map((b: { count: number }) => b.count)).toEqual([5, 1]);
    const pct = await timeline({ ...q, q: '50%_' }).expect(200);
    expect(pct.body.buckets.map((b: { count: number }) => b.count)).toEqual([8, 0]);
    const none = await timeline({ ...q, q: '%' }).expect(200);
    expect(none.body.buckets.map((b: { count: number }) => b.count)).toEqual([8, 0]);
  });

  it('defaults to the last 24 hours by hour (25 buckets: the current hour is partial)', async () => {
    const res = await timeline({}).expect(200);
    expect(res.body.bucket).toBe('hour');
    expect(res.body.buckets).toHaveLength(25);
    expect(Date.parse(res.body.until) - Date.parse(res.body.since)).toBeLessThanOrEqual(
      25 * 3_600_000,
    );
    const byDay = await timeline({ bucket: 'day' }).expect(200);
    expect(byDay.body.buckets).toHaveLength(31);
    expect(
      byDay.body.buckets.every((b: { start: string }) => b.start.endsWith('T00:00:00.000Z')),
    ).toBe(true);
  });

  it('accepts 90 days, refuses more, an inverted window and unknown parameters with 400 and details', async () => {
    await timeline({
      since: '2026-01-01T00:00:00Z',
      until: '2026-04-01T00:00:00Z',
      bucket: 'hour',
    }).expect(200);
    const bad: Array<Record<string, string>> = [
      { since: '2026-01-01T00:00:00Z', until: '2026-04-01T00:00:01Z' },
      { since: '2026-01-02T00:00:00Z', until: '2026-01-01T00:00:00Z' },
      { since: '2026-01-01T00:00:00Z', until: '2026-01-01T00:00:00Z' },
      { since: '2020-01-01T00:00:00Z' },
      { since: 'yesterday' },
      { bucket: 'week' },
      { limit: '5' },
      { q: 'x'.repeat(201) },
    ];
    for (const query of bad) {
      const res = await timeline(query);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expect(res.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'Invalid query',
        details: [
          expect.objectContaining({ path: expect.any(String), reason: expect.any(String) }),
        ],
      });
    }
  });

  it('costs what the one-query list costs, whatever the window', async () => {
    const count = async (path: string, query: Record<string, string>) => {
      const spy = jest.spyOn(pg.Client.prototype, 'query');
      try {
        await t.http().get(path).query(query).set('authorization', admin.bearer).expect(200);
        return spy.mock.calls.length;
      } finally {
        spy.mockRestore();
      }
    };
    const base = `/v1/tenants/${tenant.slug}/blocked-origins`;
    await count(base, {}); // warm-up: the token's first use may write lastUsedAt
    // The list is a single GROUP BY: the rest is the guard (token, tenant), the same for both routes.
    const list = await count(base, {});
    const short = await count(`${base}/timeline`, {
      since: '2026-01-01T10:00:00Z',
      until: '2026-01-01T12:00:00Z',
    });
    const long = await count(`${base}/timeline`, {
      since: '2026-01-01T00:00:00Z',
      until: '2026-03-31T00:00:00Z',
      q: 'acme',
    });
    expect(list).toBeGreaterThan(0);
    expect([short, long]).toEqual([list, list]);
  });

  it('is documented in the OpenAPI document, and tenants carry their policy summary there', async () => {
    const doc = await t.http().get('/docs-json').expect(200);
    const op = doc.body.paths['/v1/tenants/{slug}/blocked-origins/timeline'].get;
    expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(
      expect.arrayContaining(['since', 'until', 'bucket', 'q']),
    );
    expect(op.responses['200'].content['application/json'].schema.properties.buckets).toBeDefined();
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['400', '401', '403', '404']));
    const list = doc.body.paths['/v1/tenants'].get.responses['200'].content['application/json'];
    expect(Object.keys(list.schema.properties.items.items.properties)).toEqual(
      expect.arrayContaining([
        'originCount',
        'mode',
        'policyVersion',
        'lastChangedAt',
        'lastChangedBy',
      ]),
    );
  });
});
