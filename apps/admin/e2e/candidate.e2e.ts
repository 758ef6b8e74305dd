import { describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { screenshot, signInAsAdmin, uniqueSlug, useConsoleSuite } from './support/harness.js';

// Issue 13: a candidate saved from the editor, real traffic through /resolve counted against it, its
// impact on the candidate page, a stale promote refused with a clear message, then promote, and /resolve
// answers with the candidate. Real API, PostgreSQL and Chromium.
describe('candidate policy', () => {
  const suite = useConsoleSuite();

  /** Impact counters are batched (BLOCKED_FLUSH_INTERVAL_MS, 1 s by default): reload until they show. */
  async function reloadUntil(page: Page, done: () => Promise<boolean>) {
    for (let i = 0; i < 30 && !(await done()); i++) {
      await page.waitForTimeout(500);
      await page.reload();
      await page.getByTestId('impact-totals').or(page.getByText('No difference seen')).waitFor();
    }
    expect(await done()).toBe(true);
  }

  it('saves settings as a candidate, counts the traffic it would change, promotes it, and /resolve agrees', async () => {
    const slug = uniqueSlug('cand');
    await suite.api.createTenant(slug);
    await suite.api.putPolicy(slug, {
      origins: [
        { pattern: 'https://app.acme.com', note: null, expiresAt: null },
        { pattern: 'https://old.acme.com', note: null, expiresAt: null },
      ],
      allowedMethods: ['GET', 'PUT'],
    }); // version 2
    const { secret } = await suite.api.createKey(slug, 'gateway');
    const { page } = suite.session;

    // Editor: drop PUT, add DELETE, and save that as the candidate (live stays version 2).
    await signInAsAdmin(page, `/tenants/${slug}/policy`);
    const methods = page.getByRole('combobox', { name: 'Allowed methods' });
    await methods.waitFor();
    await methods.focus();
    await page.keyboard.press('Backspace'); // removes PUT
    await methods.fill('DELETE');
    await methods.press('Enter');
    await page.getByRole('button', { name: 'Save as candidate' }).click();
    await page.getByText('Candidate version 1 saved').waitFor();
    expect((await suite.api.getPolicy(slug)).version).toBe(2);
    await page.getByRole('tab', { name: 'Candidate' }).waitFor();

    // Traffic as a gateway sends it: /resolve answers with live and carries the candidate's verdict.
    const preflight = (origin: string, method: string) =>
      suite.api.resolve(secret, { origin, method });
    const put = await preflight('https://app.acme.com', 'PUT');
    expect(put.body).toMatchObject({
      allowed: true,
      shadow: { allowed: false, reason: 'method-not-allowed' },
    });
    await preflight('https://app.acme.com', 'PUT');
    await preflight('https://app.acme.com', 'PUT');
    await preflight('https://old.acme.com', 'PUT');
    const del = await preflight('https://app.acme.com', 'DELETE');
    expect(del.body).toMatchObject({ allowed: false, shadow: { allowed: true } });
    await preflight('https://app.acme.com', 'DELETE');
    await preflight('https://evil.example', 'PUT'); // refused by both: not a difference

    // Test an origin: live and candidate side by side.
    await page.getByRole('tab', { name: 'Test an origin' }).click();
    // The page is its own chunk: until it renders, the editor (whose fields also say "Origin") stays.
    await page.getByTestId('verdict-card').waitFor();
    await page.getByRole('textbox', { name: 'Origin' }).fill('https://app.acme.com');
    await page.getByLabel('Method (Access-Control-Request-Method)').fill('PUT');
    await page.getByLabel('Headers (Access-Control-Request-Headers)').fill('');
    await page.getByRole('button', { name: 'Test', exact: true }).click();
    await page.getByTestId('verdict').filter({ hasText: 'Allowed' }).waitFor();
    await page.getByTestId('candidate-verdict-badge').filter({ hasText: 'Refused' }).waitFor();
    expect(await page.getByTestId('candidate-verdict').textContent()).toContain(
      'The candidate would newly block this request.',
    );

    // The candidate page: diff, impact table and chart.
    await page.getByRole('tab', { name: 'Candidate' }).click();
    await page.waitForURL(new RegExp(`/tenants/${slug}/candidate$`));
    const diff = await page.getByTestId('candidate-diff').textContent();
    expect(diff).toContain('- allowed methods: PUT');
    expect(diff).toContain('+ allowed methods: DELETE');
    const totals = page.getByTestId('impact-totals');
    await reloadUntil(
      page,
      async () =>
        (await totals.count()) > 0 &&
        (await totals.textContent())?.includes('Would newly block: 4 requests from 2 origins') ===
          true &&
        (await totals.textContent())?.includes('Would newly allow: 2 requests from 1 origin') ===
          true,
    );
    const rows = page.getByTestId('impact-row');
    expect(await rows.count()).toBe(3);
    const first = await rows.nth(0).textContent();
    expect(first).toContain('https://app.acme.com');
    expect(first).toContain('would newly block');
    expect(first).toContain('method-not-allowed');
    expect(await rows.filter({ hasText: 'would newly allow' }).textContent()).toContain(
      'https://app.acme.com',
    );
    await page.getByRole('img', { name: 'Refusals over time: 4 in total' }).waitFor();
    expect(await page.getByTestId('refusals-bar').count()).toBe(24);
    await page.setViewportSize({ width: 1440, height: 900 });
    await screenshot(page, '40-candidate-1440');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, '41-candidate-390');
    await page.setViewportSize({ width: 1360, height: 900 });

    // Someone saves the live policy meanwhile: the promote reviewed against version 2 is refused.
    await suite.api.putPolicy(slug, { maxAgeSeconds: 600 }); // version 3
    await page.getByRole('button', { name: 'Promote…' }).click();
    let dialog = page.getByRole('dialog', { name: 'Promote candidate version 1?' });
    expect(await dialog.getByTestId('promote-diff').textContent()).toContain(
      '- allowed methods: PUT',
    );
    expect(await dialog.getByTestId('impact-totals').textContent()).toContain(
      'Would newly block: 4 requests',
    );
    await screenshot(page, '42-candidate-promote');
    await dialog.getByRole('button', { name: 'Promote to version 3' }).click();
    await dialog.getByTestId('promote-stale').waitFor();
    expect(await dialog.getByTestId('promote-stale').textContent()).toContain(
      'Nothing was promoted',
    );
    await screenshot(page, '43-candidate-promote-stale');
    expect((await suite.api.getPolicy(slug)).maxAgeSeconds).toBe(600);

    // The dialog reloaded: it now compares with version 3 (whose max age the candidate does not have).
    await dialog.getByRole('button', { name: 'Promote to version 4' }).waitFor();
    expect(await dialog.getByTestId('promote-diff').textContent()).toContain('~ max age: 600 s');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Promote…' }).click();
    dialog = page.getByRole('dialog', { name: 'Promote candidate version 1?' });
    await dialog.getByRole('button', { name: 'Promote to version 4' }).click();
    await page.getByText('Version 4 is live.').waitFor();
    await page.getByText('No candidate policy').waitFor();

    // /resolve agrees: the candidate's methods are live, and there is no shadow any more.
    const after = await suite.api.resolve(secret, {
      origin: 'https://app.acme.com',
      method: 'PUT',
    });
    expect(after.body).toMatchObject({ allowed: false, reason: 'method-not-allowed' });
    expect(after.body).not.toHaveProperty('shadow');
    const allowed = await suite.api.resolve(secret, {
      origin: 'https://app.acme.com',
      method: 'DELETE',
    });
    expect(allowed.body).toMatchObject({ allowed: true, policyVersion: 4 });
    expect(suite.session.problems).toEqual([]);
  });
});
