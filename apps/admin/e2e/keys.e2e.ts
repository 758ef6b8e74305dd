import { describe, expect, it } from '@jest/globals';
import { screenshot, signInAsAdmin, uniqueSlug, useConsoleSuite } from './support/harness.js';

describe('API keys', () => {
  const suite = useConsoleSuite();

  it('creates a key whose secret is shown once with a copy button, lists it by prefix, and revokes it', async () => {
    const slug = uniqueSlug('keys');
    await suite.api.createTenant(slug);
    const { page, context } = suite.session;
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await signInAsAdmin(page, `/tenants/${slug}/keys`);
    await page.getByText('No keys yet').waitFor();
    await page.getByLabel('New key name').fill('edge gateway');
    await page.getByRole('button', { name: 'Create key' }).click();

    const dialog = page.getByRole('dialog', { name: 'Key created' });
    const secret = (await dialog.getByTestId('new-key-secret').textContent()) ?? '';
    expect(secret.length).toBeGreaterThan(20);
    await dialog.getByRole('button', { name: 'Copy secret' }).click();
    await dialog.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await screenshot(page, '14-keys-created');
    await dialog.getByRole('button', { name: 'Done' }).click();

    const keys = (
      await suite.api.call<{ items: { prefix: string; name: string }[] }>(
        'GET',
        `/v1/tenants/${slug}/keys`,
      )
    ).body.items;
    expect(keys).toHaveLength(1);
    const prefix = keys[0]!.prefix;
    expect(secret.startsWith(prefix)).toBe(true);
    const row = page.getByTestId(`key-row-${prefix}`);
    await row.waitFor();
    expect(await row.textContent()).toContain('edge gateway');
    // The secret is never shown again.
    expect(await page.getByText(secret).count()).toBe(0);
    await screenshot(page, '15-keys-list');

    await row.getByRole('button', { name: `Revoke key ${prefix}` }).click();
    await page
      .getByRole('dialog', { name: `Revoke key ${prefix}…?` })
      .getByRole('button', { name: 'Revoke key' })
      .click();
    await row.getByText('revoked').waitFor();
    expect(suite.session.problems).toEqual([]);
  });
});
