import { describe, expect, it } from '@jest/globals';
import { screenshot, signInAsAdmin, uniqueSlug, useConsoleSuite } from './support/harness.js';

describe('test an origin', () => {
  const suite = useConsoleSuite();

  it('shows the verdict, the reason in plain words, the matched pattern and the exact headers', async () => {
    const slug = uniqueSlug('sim');
    await suite.api.createTenant(slug);
    await suite.api.putPolicy(slug, {
      origins: [{ pattern: 'https://*.acme.com', note: null, expiresAt: null }],
      allowedMethods: ['PUT'],
      allowedHeaders: ['content-type'],
      allowCredentials: true,
      maxAgeSeconds: 600,
    });
    const { page } = suite.session;
    await signInAsAdmin(page, `/tenants/${slug}/test`);
    await page.getByRole('textbox', { name: 'Origin' }).fill('https://shop.acme.com');
    await page.getByLabel('Method (Access-Control-Request-Method)').fill('PUT');
    await page.getByLabel('Headers (Access-Control-Request-Headers)').fill('content-type');
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await page.getByTestId('verdict').filter({ hasText: 'Allowed' }).waitFor();
    expect(await page.getByTestId('verdict-reason').textContent()).toBe(
      'The origin matches the wildcard pattern “https://*.acme.com”.',
    );
    expect(await page.getByTestId('matched-pattern').textContent()).toBe('https://*.acme.com');
    const headers = await page.getByTestId('response-headers').textContent();
    expect(headers).toContain('access-control-allow-origin: https://shop.acme.com');
    expect(headers).toContain('access-control-allow-methods: PUT');
    expect(headers).toContain('access-control-allow-credentials: true');
    expect(headers).toContain('access-control-max-age: 600');
    await screenshot(page, '10-test-origin-allowed');

    await page
      .getByLabel('Headers (Access-Control-Request-Headers)')
      .fill('content-type, x-secret');
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await page.getByTestId('verdict').filter({ hasText: 'Refused' }).waitFor();
    expect(await page.getByTestId('verdict-reason').textContent()).toContain(
      'at least one requested header is not in the allowed headers',
    );

    await page.getByRole('textbox', { name: 'Origin' }).fill('https://acme.com');
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await page.getByText('No allow-list entry matches this origin.').waitFor();
    await page
      .getByText('No Access-Control-Allow-Origin: the browser will block the response.')
      .waitFor();
    await screenshot(page, '11-test-origin-refused');
    expect(suite.session.problems).toEqual([]);
  });
});
