import { describe, expect, it } from '@jest/globals';
import { screenshot, useConsoleSuite } from './support/harness.js';

describe('single sign-on', () => {
  const suite = useConsoleSuite();

  it('signs in through the identity provider, with tenant roles from its claim', async () => {
    const { page } = suite.session;
    await page.goto('/sign-in?next=%2Ftenants%2Fdemo%2Fpolicy');
    await page.getByRole('link', { name: 'Sign in with SSO' }).click();
    // The provider's own login page (oidc-provider's development interactions).
    await page.locator('input[name="login"]').fill('sso-editor');
    await page.locator('input[name="password"]').fill('anything');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByTestId('signed-in-as').waitFor();
    expect(new URL(page.url()).pathname).toBe('/tenants/demo/policy');
    expect(await page.getByTestId('signed-in-as').textContent()).toContain('sso-editor@e2e.test');
    await screenshot(page, '31-sso-signed-in');
    const me = await page.evaluate(async () => (await fetch('/v1/auth/me')).json());
    expect(me).toMatchObject({
      email: 'sso-editor@e2e.test',
      platformRole: null,
      memberships: [{ tenant: 'demo', role: 'editor' }],
    });
    // The provider's development login page asks for a web font, which this offline machine cannot fetch.
    expect(suite.session.problems.filter((p) => !p.includes('fonts.googleapis.com'))).toEqual([]);
  });
});
