// GET /v1/audit pages by size as well as by count (AUDIT_PAGE_MAX_BYTES): the rows of large policy writes carry
// whole documents (tens of megabytes each at 100,000 origins), so a page holds only as many as fit, says
// nextCursor, and paging still returns every row once, newest first. Real PostgreSQL, real app; a 64 KiB budget
// so that policies of 3,000 origins cross it.
import { randomBytes } from 'node:crypto';
import { jest } from '@jest/globals';
import {
  createKey,
  createTenant,
  createUser,
  replacePolicy,
  validPolicy,
  type TestUser,
} from './factories/factories.js';
import { createTestApp, type TestApp } from './factories/test-app.js';

jest.setTimeout(120_000);

const BUDGET = 64 * 1024;

let t: TestApp;
let admin: TestUser;

beforeAll(async () => {
  t = await createTestApp({ AUDIT_PAGE_MAX_BYTES: String(BUDGET) });
  admin = await createUser(t, { platformRole: 'admin' });
});
afterAll(() => t.close());

/** 3,000 origins whose notes do not compress: each stored document is well past half the budget. */
const largePolicy = () =>
  validPolicy({
    origins: Array.from({ length: 3000 }, (_, i) => ({
      pattern: `https://c${i}.example.com`,
      note: randomBytes(16).toString('hex'),
      expiresAt: null,
    })),
  });

describe('GET /v1/audit pages by size', () => {
  it('stops a page at the byte budget, says nextCursor, and pages through every row once', async () => {
    const tenant = await createTenant(t);
    for (let i = 0; i < 3; i++) await replacePolicy(t, admin, tenant.slug, largePolicy());
    // Small rows after the large ones share a page.
    await createKey(t, tenant);
    await createKey(t, tenant);
    const stored = await t.prisma.$queryRaw<Array<{ id: bigint; size: number }>>`
      SELECT id, (COALESCE(pg_column_size(before), 0) + COALESCE(pg_column_size(after), 0))::int AS size
      FROM audit_events WHERE tenant_slug = ${tenant.slug} ORDER BY id DESC`;
    const sizeOf = new Map(stored.map((r) => [r.id.toString(), r.size]));
    const bytes = (ids: string[]) => ids.reduce((sum, id) => sum + (sizeOf.get(id) ?? 0), 0);

    const pages: string[][] = [];
    let before: string | undefined;
    for (;;) {
      const res = await t
        .http()
        .get('/v1/audit')
        .query({ tenant: tenant.slug, limit: 50, ...(before ? { before } : {}) })
        .set('authorization', admin.bearer)
        .expect(200);
      pages.push((res.body.items as Array<{ id: string }>).map((e) => e.id));
      if (res.body.nextCursor === null) break;
      expect(res.body.nextCursor).toBe(pages.at(-1)?.at(-1));
      before = res.body.nextCursor;
    }
    // Every row once, newest first, though each page asked for 50 and there are fewer.
    expect(stored.length).toBeLessThan(50);
    expect(pages.flat()).toEqual(stored.map((r) => r.id.toString()));
    expect(pages.length).toBeGreaterThan(2);
    for (const [i, page] of pages.entries()) {
      // Within the budget, unless one row alone is past it…
      if (page.length > 1) expect(bytes(page)).toBeLessThanOrEqual(BUDGET);
      // …and as full as the budget allows: the next page's first row would not have fitted.
      const next = pages[i + 1]?.[0];
      if (next !== undefined) expect(bytes(page) + bytes([next])).toBeGreaterThan(BUDGET);
    }
    expect(pages[0]).toHaveLength(2); // the two key rows
  });
});
