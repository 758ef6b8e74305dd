import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { e2eEnv, signInAsAdmin, uniqueSlug, useConsoleSuite } from './support/harness.js';

// Issue 16: a picture of every page at a desktop (1440 px) and a phone (390 px) width, written to
// test-results/console/pages/ (gitignored) for review; the 390 px header is checked for overlap.
const WIDTHS = [1440, 390] as const;

describe('every page at 1440 px and 390 px', () => {
  const suite = useConsoleSuite();

  it('writes a screenshot of each page at both widths; at 390 px Sign out overlaps nothing', async () => {
    const slug = uniqueSlug('shots');
    await suite.api.createTenant(slug, 'Screenshot Corp');
    await suite.api.putPolicy(slug, {
      origins: [
        { pattern: 'https://app.acme.com', note: 'production', expiresAt: null },
        { pattern: 'https://*.preview.acme.com', note: 'previews', expiresAt: null },
        {
          pattern: 'https://old-partner.example.net',
          note: null,
          expiresAt: '2025-01-01T00:00:00.000Z',
        },
      ],
    });
    const { secret } = await suite.api.createKey(slug, 'gateway');
    await suite.api.resolve(secret, { origin: 'https://evil.example' });
    await suite.api.resolve(secret, {
      origin: 'https://app.acme.com',
      method: 'PUT',
      headers: 'x-trace-id',
    });

    const { page } = suite.session;
    await signInAsAdmin(page, '/tenants');
    const pages: Array<[string, string, (p: Page) => Promise<unknown>]> = [
      [
        'tenants',
        '/tenants',
        (p) =>
          p
            .getByRole('heading', { name: /Tenants/ })
            .first()
            .waitFor(),
      ],
      [
        'policy',
        `/tenants/${slug}/policy`,
        (p) => p.getByRole('tab', { name: 'Policy' }).waitFor(),
      ],
      [
        'test-origin',
        `/tenants/${slug}/test`,
        (p) => p.getByRole('button', { name: 'Test', exact: true }).waitFor(),
      ],
      ['blocked', `/tenants/${slug}/blocked`, (p) => p.getByTestId('refusals-chart').waitFor()],
      [
        'versions',
        `/tenants/${slug}/versions`,
        (p) => p.getByRole('tab', { name: 'Versions' }).waitFor(),
      ],
      [
        'keys',
        `/tenants/${slug}/keys`,
        (p) => p.getByRole('table', { name: 'API keys' }).waitFor(),
      ],
      ['audit', '/audit', (p) => p.getByRole('table', { name: 'Audit events' }).waitFor()],
      [
        'admin-tokens',
        '/tokens',
        (p) => p.getByRole('heading', { name: 'Admin tokens' }).waitFor(),
      ],
      ['platform-baseline', '/platform/policy', (p) => p.getByRole('heading').first().waitFor()],
      [
        'platform-keys',
        '/platform/keys',
        (p) => p.getByRole('heading', { name: 'Platform keys', exact: true }).waitFor(),
      ],
      ['users', '/users', (p) => p.getByRole('heading').first().waitFor()],
    ];
    const dir = path.join(e2eEnv().resultsDir, 'pages');
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      for (const [name, url, ready] of pages) {
        await page.goto(url);
        await ready(page);
        await page.waitForTimeout(300);
        await page.screenshot({ path: path.join(dir, `${name}-${width}.png`), fullPage: true });
        if (width === 390 && url.startsWith('/tenants/')) {
          // The mobile header: Sign out stays inside the header, clear of the breadcrumb below it.
          const signOut = await page.getByRole('button', { name: 'Sign out' }).boundingBox();
          const crumbs = await page.getByRole('link', { name: 'Tenants' }).last().boundingBox();
          expect(signOut).not.toBeNull();
          expect(crumbs).not.toBeNull();
          expect(signOut!.y + signOut!.height).toBeLessThanOrEqual(crumbs!.y);
          expect(signOut!.x + signOut!.width).toBeLessThanOrEqual(390);
          // Not squeezed either: its label fits its box.
          const clipped = await page.getByRole('button', { name: 'Sign out' }).evaluate((b) => {
            const label = b.querySelector('.mantine-Button-label') ?? b;
            return label.scrollWidth > label.clientWidth + 1 || b.scrollWidth > b.clientWidth + 1;
          });
          expect(clipped).toBe(false);
        }
      }
    }
    expect(suite.session.problems).toEqual([]);
  });
});
