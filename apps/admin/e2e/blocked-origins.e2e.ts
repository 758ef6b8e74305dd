import { describe, expect, it } from '@jest/globals';
import {
  screenshot,
  signInAsAdmin,
  uniqueSlug,
  useConsoleSuite,
  waitForBlockedRow,
} from './support/harness.js';

describe('blocked origins', () => {
  const suite = useConsoleSuite();

  it('shows an origin refused by /resolve; Allow adds it, the row is marked allowed, and /resolve agrees', async () => {
    const slug = uniqueSlug('blocked');
    await suite.api.createTenant(slug);
    await suite.api.putPolicy(slug, {
      origins: [{ pattern: 'https://app.acme.com', note: null, expiresAt: null }],
    });
    const { secret } = await suite.api.createKey(slug, 'gateway');
    const origin = 'https://pr-42.preview.acme.com';

    // A gateway asks the real /resolve and is refused: the refusal is recorded.
    const refused = await suite.api.resolve(secret, { origin });
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({ allowed: false, reason: 'origin-not-allowed' });

    const { page } = suite.session;
    const timelines: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.endsWith('/blocked-origins/timeline')) timelines.push(r.url());
    });
    await signInAsAdmin(page, `/tenants/${slug}/blocked`);
    const row = await waitForBlockedRow(page, [origin]);
    expect(await row.textContent()).toContain('origin-not-allowed');
    await page.getByTestId('refusals-chart').waitFor();
    // The chart is one timeline request per load, and counts the refusal.
    await page.getByRole('img', { name: /Refusals over time: [1-9]\d* in total$/ }).waitFor();
    expect(await page.getByTestId('refusals-bar').count()).toBe(24);
    expect(timelines.length).toBeGreaterThan(0);
    expect(timelines.length).toBeLessThanOrEqual(21); // one per (re)load above
    await screenshot(page, '16-blocked-origins');

    await row.getByRole('button', { name: `Allow ${origin} (origin-not-allowed)` }).click();
    const dialog = page.getByRole('dialog', { name: `Allow ${origin}` });
    await dialog.getByText('No allow-list entry matches this origin.').waitFor();
    // The wider patterns it fits load with the dialog (not with the page).
    await dialog.getByRole('radio', { name: /^https:\/\/\*\.preview\.acme\.com/ }).waitFor();
    await screenshot(page, '17-blocked-allow-origin');
    await dialog.getByRole('radio', { name: `${origin} (exactly this origin)` }).check();
    await dialog.getByRole('button', { name: 'Add origin' }).click();
    await dialog.waitFor({ state: 'detached' });
    await row.getByTestId('allowed-now').filter({ hasText: 'Allowed now (v3)' }).waitFor();

    const allowed = await suite.api.resolve(secret, { origin });
    expect(allowed.body).toMatchObject({
      allowed: true,
      reason: 'exact-match',
      matchedPattern: origin,
    });
    expect(suite.session.problems).toEqual([]);
  });
});
