import { describe, expect, it } from '@jest/globals';
import {
  e2eEnv,
  screenshot,
  signIn,
  signInAsAdmin,
  uniqueSlug,
  useConsoleSuite,
} from './support/harness.js';

describe('audit log', () => {
  const suite = useConsoleSuite();

  it('filters by tenant, actor and action, and shows before/after as a diff', async () => {
    const slug = uniqueSlug('audit');
    await suite.api.createTenant(slug);
    await suite.api.putPolicy(slug, {
      origins: [{ pattern: 'https://audited.acme.com', note: 'x', expiresAt: null }],
      maxAgeSeconds: 120,
    });
    const { page } = suite.session;
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
    expect(suite.session.problems).toEqual([]);
  });

  it('shows a tenant viewer the events of the tenants they belong to', async () => {
    const slug = uniqueSlug('viewed');
    await suite.api.createTenant(slug);
    await suite.api.putPolicy(slug, { maxAgeSeconds: 90 });
    const email = `${slug}@viewer.test`;
    const password = 'Viewer-audit-passphrase-2026!';
    await suite.api.createUser({
      email,
      password,
      memberships: [{ tenant: slug, role: 'viewer' }],
    });
    const { page } = suite.session;
    await signIn(page, email, password, '/audit');
    await page.getByRole('table', { name: 'Audit events' }).waitFor();
    const rows = page.getByTestId('audit-row');
    await rows.first().waitFor();
    const texts = await rows.allTextContents();
    expect(texts.some((text) => text.includes('policy.update'))).toBe(true);
    expect(texts.every((text) => text.includes(slug))).toBe(true);
    expect(suite.session.problems).toEqual([]);
  });
});
