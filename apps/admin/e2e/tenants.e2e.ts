import { describe, expect, it } from '@jest/globals';
import { screenshot, signInAsAdmin, uniqueSlug, useConsoleSuite } from './support/harness.js';

describe('tenants', () => {
  const suite = useConsoleSuite();

  it('creates a tenant, finds it by search, and deletes it after confirmation', async () => {
    const { page } = suite.session;
    const slug = uniqueSlug('shop');
    // The list carries each tenant's policy summary: no request per tenant. (The new tenant's own
    // policy reads start while the URL still names the list: the editor route's loader runs first.)
    const perTenant: string[] = [];
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (
        /\/v1\/tenants\/[^/]+\/policy/.test(path) &&
        !path.startsWith(`/v1/tenants/${slug}/`) &&
        page.url().endsWith('/tenants')
      )
        perTenant.push(r.url());
    });
    await signInAsAdmin(page, '/tenants');
    await page.getByRole('button', { name: 'New tenant' }).click();
    const dialog = page.getByRole('dialog', { name: 'New tenant' });
    await dialog.getByLabel('Slug').fill('Bad Slug!');
    await dialog.getByLabel('Name').fill('Shop');
    await dialog.getByLabel('Slug').blur();
    expect(await dialog.getByRole('button', { name: 'Create tenant' }).isDisabled()).toBe(true);
    await dialog.getByLabel('Slug').fill(slug);
    await dialog.getByLabel('Name').fill(`Shop ${slug}`);
    await screenshot(page, '04-tenant-create');
    await dialog.getByRole('button', { name: 'Create tenant' }).click();

    // A new tenant opens on its (empty, deny-all) policy at version 1.
    await page.waitForURL(new RegExp(`/tenants/${slug}/policy$`));
    await page.getByText('No origins: every cross-origin request is refused').waitFor();
    expect(await page.getByTestId('policy-version').textContent()).toBe('1');

    await page.getByRole('link', { name: 'Tenants' }).first().click();
    await page.getByLabel('Search tenants').fill(slug.slice(0, 12));
    const row = page.getByTestId(`tenant-row-${slug}`);
    await row.waitFor();
    // The API searches after a short typing pause.
    await page.getByTestId('tenant-row-demo').waitFor({ state: 'detached' });
    expect(await row.getByTestId('origin-count').textContent()).toBe('0');
    expect(await row.textContent()).toContain('enforce');
    expect(await row.textContent()).toContain('(v1)');
    expect(perTenant).toEqual([]);

    await page.getByLabel('Search tenants').fill('no-such-tenant-anywhere');
    await page.getByText('No tenant matches').waitFor();
    await page.getByLabel('Search tenants').fill(slug);

    await row.getByRole('button', { name: `Delete tenant ${slug}` }).click();
    const confirm = page.getByRole('dialog', { name: `Delete tenant ${slug}?` });
    const del = confirm.getByRole('button', { name: 'Delete tenant' });
    expect(await del.isDisabled()).toBe(true);
    await confirm.getByLabel(`Type ${slug} to confirm`).fill(slug);
    await screenshot(page, '05-tenant-delete-confirm');
    await del.click();
    await row.waitFor({ state: 'detached' });
    expect((await suite.api.call('GET', `/v1/tenants/${slug}`)).status).toBe(404);
    expect(suite.session.problems).toEqual([]);
  });
});
