import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { AdminApi } from './support/api.js';
import {
  launchBrowser,
  newSession,
  screenshot,
  signInAsAdmin,
  uniqueSlug,
  type Session,
} from './support/harness.js';

describe('test an origin', () => {
  let browser: Browser;
  let api: AdminApi;
  let s: Session;
  beforeAll(async () => {
    browser = await launchBrowser();
    api = await AdminApi.connect();
  });
  afterAll(async () => browser?.close());
  beforeEach(async () => {
    s = await newSession(browser);
  });
  afterEach(async () => s?.context.close());

  it('shows the verdict, the reason in plain words, the matched pattern and the exact headers', async () => {
    const slug = uniqueSlug('sim');
    await api.createTenant(slug);
    await api.putPolicy(slug, {
      origins: [{ pattern: 'https://*.acme.com', note: null, expiresAt: null }],
      allowedMethods: ['PUT'],
      allowedHeaders: ['content-type'],
      allowCredentials: true,
      maxAgeSeconds: 600,
    });
    const { page } = s;
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
    expect(s.problems).toEqual([]);
  });
});
