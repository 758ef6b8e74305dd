import { describe, expect, it } from '@jest/globals';
import {
  newSession,
  screenshot,
  signIn,
  signInAsAdmin,
  uniqueSlug,
  useConsoleSuite,
} from './support/harness.js';

describe('users and roles', () => {
  const suite = useConsoleSuite();

  it('an admin creates a user with a viewer membership; that viewer cannot edit', async () => {
    const slug = uniqueSlug('team');
    await suite.api.createTenant(slug);
    await suite.api.putPolicy(slug, {
      origins: [{ pattern: 'https://app.acme.com', note: null, expiresAt: null }],
    });
    const email = `${slug}@e2e.test`;
    const password = 'viewer-password-123';

    const { page } = suite.session;
    await signInAsAdmin(page, '/users');
    await page.getByRole('table', { name: 'Users' }).waitFor();
    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = page.getByRole('dialog', { name: 'New user' });
    await dialog.getByLabel('Email').fill(email);
    await dialog.getByLabel('Name').fill('Vera Viewer');
    await dialog.getByRole('textbox', { name: 'Initial password' }).fill(password);
    await dialog.getByRole('button', { name: 'Add membership' }).click();
    await dialog.getByRole('combobox', { name: 'Tenant of membership 1' }).fill(slug);
    await page.getByRole('option', { name: new RegExp(slug) }).click();
    await screenshot(page, '19-users-create');
    await dialog.getByRole('button', { name: 'Create user' }).click();
    const row = page.getByTestId(`user-row-${email}`);
    await row.waitFor();
    expect(await row.textContent()).toContain(`${slug}: viewer`);
    await screenshot(page, '20-users');

    // The viewer, in their own suite.browser session.
    const viewer = await newSession(suite.browser);
    try {
      const vp = viewer.page;
      await signIn(vp, email, password, `/tenants/${slug}/policy`);
      await vp.waitForURL(new RegExp(`/tenants/${slug}/policy$`));
      await vp.getByTestId('read-only-notice').waitFor();
      await vp.getByTestId('origin-entry').first().waitFor();
      expect(await vp.getByRole('button', { name: /^Edit / }).count()).toBe(0);
      expect(await vp.getByRole('button', { name: 'Review and save' }).count()).toBe(0);
      expect(await vp.getByRole('button', { name: 'Add origin' }).count()).toBe(0);
      expect(await vp.getByRole('link', { name: 'Users' }).count()).toBe(0);
      await screenshot(vp, '21-viewer-read-only');
      await vp.getByRole('tab', { name: 'Versions' }).click();
      await vp.getByTestId('version-row-1').waitFor();
      expect(await vp.getByRole('button', { name: /^Restore version/ }).count()).toBe(0);
      await vp.getByRole('tab', { name: 'API keys' }).click();
      await vp.getByText('Keys for /resolve').waitFor();
      expect(await vp.getByRole('button', { name: 'Create key' }).count()).toBe(0);

      // And the API agrees: a cookie-authenticated write from the viewer's page is refused.
      const status = await vp.evaluate(async (s) => {
        const cur = await fetch(`/v1/tenants/${s}/policy`);
        const doc = (await cur.json()) as Record<string, unknown>;
        delete doc.version;
        const res = await fetch(`/v1/tenants/${s}/policy`, {
          method: 'PUT',
          headers: {
            'content-type': 'application/json',
            'if-match': cur.headers.get('etag') ?? '',
          },
          body: JSON.stringify(doc),
        });
        return res.status;
      }, slug);
      expect(status).toBe(403);
      expect(viewer.problems).toEqual([]);
    } finally {
      await viewer.context.close();
    }
  });
});
