import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { AdminApi } from './support/api.js';
import {
  e2eEnv,
  launchBrowser,
  newSession,
  screenshot,
  signInAsAdmin,
  uniqueSlug,
  type Session,
} from './support/harness.js';

describe('audit log', () => {
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

  it('filters by tenant, actor and action, and shows before/after as a diff', async () => {
    const slug = uniqueSlug('audit');
    await api.createTenant(slug);
    await api.putPolicy(slug, {
      origins: [{ pattern: 'https://audited.acme.com', note: 'x', expiresAt: null }],
      maxAgeSeconds: 120,
    });
    const { page } = s;
    await signInAsAdmin(page, '/audit');
    await page.getByRole('table', { name: 'Audit events' }).waitFor();

    await page.getByRole('combobox', { name: 'Tenant' }).fill(slug);
    await page.getByRole('option', { name: new RegExp(slug) }).click();
    await page.getByRole('combobox', { name: 'Action' }).fill('policy.update');
    await page.getByRole('option', { name: 'policy.update' }).click();
    await page.getByRole('combobox', { name: 'Actor' }).fill(e2eEnv().admin.email);
    const rows = page.getByTestId('audit-row');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="audit-row"]').length === 1,
    );
    expect(await rows.first().textContent()).toContain('policy.update');

    await rows.first().getByRole('button', { name: 'Show changes' }).click();
    const diff = await page.getByTestId('audit-diff').textContent();
    expect(diff).toContain('+ origin https://audited.acme.com (x)');
    expect(diff).toContain('~ max age: not sent → 120 s');
    await screenshot(page, '18-audit');

    // Another action of the same tenant: a field diff of the record.
    await page.getByRole('combobox', { name: 'Action' }).fill('tenant.create');
    await page.getByRole('option', { name: 'tenant.create' }).click();
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="audit-row"]').length === 1,
    );
    await rows.first().getByRole('button', { name: 'Show changes' }).click();
    expect(await page.getByTestId('audit-diff').textContent()).toContain(slug);
    expect(s.problems).toEqual([]);
  });
});
