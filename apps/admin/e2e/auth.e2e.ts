import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import {
  e2eEnv,
  launchBrowser,
  newSession,
  screenshot,
  signInAsAdmin,
  type Session,
} from './support/harness.js';

describe('sign in / sign out / session expiry', () => {
  let browser: Browser;
  let s: Session;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());
  beforeEach(async () => {
    s = await newSession(browser);
  });
  afterEach(async () => s?.context.close());

  it('signs in, shows the demo tenant, and signs out', async () => {
    const { page } = s;
    await page.goto('/');
    await page.waitForURL(/\/sign-in\?next=/);
    await screenshot(page, '01-sign-in');

    await page.getByLabel('Email').fill(e2eEnv().admin.email);
    await page.getByRole('textbox', { name: 'Password' }).fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong email or password.' }).waitFor();

    await signInAsAdmin(page);
    await page.waitForURL(/\/tenants$/);
    await page.getByTestId('tenant-row-demo').waitFor();
    expect(
      await page.getByTestId('tenant-row-demo').getByTestId('origin-count').textContent(),
    ).toBe('3');
    await screenshot(page, '02-tenants');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);
    // The session is gone server-side too: the console sends us back to sign-in.
    await page.goto('/tenants/demo/policy');
    await page.waitForURL(/\/sign-in\?next=%2Ftenants%2Fdemo%2Fpolicy/);
    expect(s.problems).toEqual([]);
  });

  it('sends an expired session to sign-in, then back where the user was', async () => {
    const { page, context } = s;
    await signInAsAdmin(page, '/tenants/demo/policy');
    await page.waitForURL(/\/tenants\/demo\/policy$/);
    await page.getByTestId('origin-entry').first().waitFor();

    await context.clearCookies(); // the session cookie expires
    await page.getByRole('tab', { name: 'Versions' }).click();
    await page.waitForURL(/\/sign-in\?next=%2Ftenants%2Fdemo%2Fversions&reason=expired/);
    await page.getByText('Your session has ended').waitFor();
    await screenshot(page, '03-session-expired');

    await page.getByLabel('Email').fill(e2eEnv().admin.email);
    await page.getByRole('textbox', { name: 'Password' }).fill(e2eEnv().admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/tenants\/demo\/versions$/);
    await page.getByRole('table', { name: 'Policy versions' }).waitFor();
  });
});
