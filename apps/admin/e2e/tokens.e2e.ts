import { describe, expect, it } from '@jest/globals';
import { e2eEnv, screenshot, signInAsAdmin, useConsoleSuite } from './support/harness.js';

describe('API tokens page', () => {
  const suite = useConsoleSuite();

  it('creates a token with an expiry (shown once), lists it, revokes it, and the token stops working', async () => {
    const { page } = suite.session;
    await signInAsAdmin(page, '/tokens');
    const name = `script ${Date.now()}`;
    await page.getByLabel('New token name').fill(name);
    await page.getByLabel('Expires in (days)').fill('7');
    await page.getByRole('button', { name: 'Create token' }).click();

    const dialog = page.getByRole('dialog', { name: 'Token created' });
    const token = (await dialog.getByTestId('new-token-secret').textContent()) ?? '';
    expect(token).toMatch(/^cpa_/);
    await screenshot(page, '30-tokens-created');
    await dialog.getByRole('button', { name: 'Done' }).click();

    const prefix = token.split('_').slice(0, 2).join('_');
    const row = page.getByTestId(`token-row-${prefix}`);
    await row.waitFor();
    expect(await row.textContent()).toContain(name);
    expect(await page.getByText(token).count()).toBe(0);
    const me = await fetch(`${e2eEnv().baseUrl}/v1/auth/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(me.status).toBe(200);

    await row.getByRole('button', { name: `Revoke token ${prefix}` }).click();
    await page
      .getByRole('dialog', { name: `Revoke token ${prefix}…?` })
      .getByRole('button', { name: 'Revoke token' })
      .click();
    await row.getByText('revoked').waitFor();
    const after = await fetch(`${e2eEnv().baseUrl}/v1/auth/me`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(after.status).toBe(401);
    expect(suite.session.problems).toEqual([]);
  });
});
