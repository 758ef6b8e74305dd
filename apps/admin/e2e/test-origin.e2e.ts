import { describe, expect, it } from '@jest/globals';
import { screenshot, signInAsAdmin, uniqueSlug, useConsoleSuite } from './support/harness.js';

describe('test an origin', () => {
  const suite = useConsoleSuite();

  it('names the matched entry and the refused method or headers for every reason, never "an entry"', async () => {
    const slug = uniqueSlug('sim');
    await suite.api.createTenant(slug);
    await suite.api.putPolicy(slug, {
      origins: [
        { pattern: 'https://*.acme.com', note: 'shops', expiresAt: null },
        { pattern: 'https://app.acme.com', note: null, expiresAt: null },
        {
          pattern: 'https://old-partner.example.net',
          note: null,
          expiresAt: '2025-01-01T00:00:00.000Z',
        },
      ],
      allowedMethods: ['PUT'],
      allowedHeaders: ['content-type'],
      allowCredentials: true,
      maxAgeSeconds: 600,
    });
    const { page } = suite.session;
    await signInAsAdmin(page, `/tenants/${slug}/test`);
    const test = async (
      origin: string,
      method: string,
      headers: string,
      opts: { privateNetwork?: boolean } = {},
    ) => {
      await page.getByRole('textbox', { name: 'Origin' }).fill(origin);
      await page.getByLabel('Method (Access-Control-Request-Method)').fill(method);
      await page.getByLabel('Headers (Access-Control-Request-Headers)').fill(headers);
      const pna = page.getByRole('checkbox', { name: /Private network request/ });
      if ((await pna.isChecked()) !== (opts.privateNetwork ?? false)) await pna.click();
      const before = await page
        .getByTestId('verdict-reason')
        .textContent()
        .catch(() => null);
      await page.getByRole('button', { name: 'Test', exact: true }).click();
      // Each case has a different text: wait until it changed.
      await page.waitForFunction((prev) => {
        const el = document.querySelector('[data-testid="verdict-reason"]');
        return el !== null && el.textContent !== prev;
      }, before);
      const text = (await page.getByTestId('verdict-reason').textContent()) ?? '';
      expect(text).not.toMatch(/an entry|null/);
      return text;
    };

    expect(await test('https://shop.acme.com', 'PUT', 'content-type')).toBe(
      'The origin matches the entry “https://*.acme.com” (“shops”).',
    );
    expect(await page.getByTestId('matched-pattern').textContent()).toBe('https://*.acme.com');
    const headers = await page.getByTestId('response-headers').textContent();
    expect(headers).toContain('access-control-allow-origin: https://shop.acme.com');
    expect(headers).toContain('access-control-allow-methods: PUT');
    expect(headers).toContain('access-control-allow-credentials: true');
    expect(headers).toContain('access-control-max-age: 600');
    await screenshot(page, '10-test-origin-allowed');

    expect(await test('https://app.acme.com', 'PUT', 'content-type')).toBe(
      'The origin is listed exactly: the entry “https://app.acme.com”.',
    );
    expect(await test('https://shop.acme.com', 'PUT', 'content-type, X-Secret, x-trace')).toBe(
      'The origin is allowed by the entry “https://*.acme.com” (“shops”), but the headers “x-secret”, “x-trace” are not in the allowed headers.',
    );
    expect(await page.getByTestId('refused-name').textContent()).toBe('x-secret, x-trace');
    expect(await test('https://shop.acme.com', 'PATCH', '')).toBe(
      'The origin is allowed by the entry “https://*.acme.com” (“shops”), but the method “PATCH” is not in the allowed methods.',
    );
    expect(await test('https://shop.acme.com', 'PUT', '', { privateNetwork: true })).toBe(
      'The origin is allowed by the entry “https://*.acme.com” (“shops”), but private network access is off.',
    );
    expect(await test('https://old-partner.example.net', 'PUT', '')).toBe(
      'The entry “https://old-partner.example.net” matches, but it expired on 1 Jan 2025, 00:00 UTC.',
    );
    expect(await page.getByTestId('matched-expiry').textContent()).toBe('1 Jan 2025, 00:00 UTC');
    await screenshot(page, '10b-test-origin-expired');
    expect(await test('https://a.com/path', 'PUT', '')).toContain('The Origin value is malformed');
    expect(await test('https://acme.com', 'PUT', '')).toBe(
      'No allow-list entry matches this origin.',
    );
    await page
      .getByText('No Access-Control-Allow-Origin: the browser will block the response.')
      .waitFor();
    await screenshot(page, '11-test-origin-refused');
    expect(suite.session.problems).toEqual([]);
  });
});
