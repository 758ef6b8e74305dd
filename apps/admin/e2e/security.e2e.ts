import { describe, expect, it } from '@jest/globals';
import { e2eEnv, signIn, useConsoleSuite } from './support/harness.js';

describe('console hardening', () => {
  const suite = useConsoleSuite();

  it('serves the console, its assets, /docs and JSON with nosniff and no framing', async () => {
    const { baseUrl } = e2eEnv();
    const page = await fetch(`${baseUrl}/tenants`);
    const html = await page.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    for (const path of ['/tenants', asset as string, '/docs', '/v1/auth/me']) {
      const res = await fetch(`${baseUrl}${path}`);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    }
  });

  it.each(['/\\evil.com', '//evil.com', 'https://evil.com/'])(
    'signs in from ?next=%s and stays on this console',
    async (next) => {
      const { page } = suite.session;
      const { admin, baseUrl } = e2eEnv();
      await signIn(page, admin.email, admin.password, `/sign-in?next=${encodeURIComponent(next)}`);
      await page.waitForURL(`${baseUrl}/tenants`);
      expect(new URL(page.url()).origin).toBe(new URL(baseUrl).origin);
      expect(suite.session.problems).toEqual([]);
    },
  );
});
