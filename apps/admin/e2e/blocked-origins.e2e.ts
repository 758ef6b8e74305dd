import { describe, expect, it } from '@jest/globals';
import { screenshot, signInAsAdmin, uniqueSlug, useConsoleSuite } from './support/harness.js';

describe('blocked origins', () => {
  const suite = useConsoleSuite();

  it('shows an origin refused by /resolve; one click on Allow and a save let it in, and /resolve agrees', async () => {
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
    const row = page.getByTestId('blocked-row').filter({ hasText: origin });
    // Recording may be batched: reload until the row shows (bounded).
    for (let i = 0; i < 20 && (await row.count()) === 0; i++) {
      await page.waitForTimeout(500);
      await page.reload();
      await page
        .getByRole('table', { name: 'Blocked origins' })
        .or(page.getByText('Nothing blocked in this period'))
        .waitFor();
    }
    await row.waitFor();
    expect(await row.textContent()).toContain('origin-not-allowed');
    await page.getByTestId('refusals-chart').waitFor();
    // The chart is one timeline request per load, and counts the refusal.
    await page.getByRole('img', { name: /Refusals over time: [1-9]\d* in total$/ }).waitFor();
    expect(await page.getByTestId('refusals-bar').count()).toBe(24);
    expect(timelines.length).toBeGreaterThan(0);
    expect(timelines.length).toBeLessThanOrEqual(21); // one per (re)load above
    await screenshot(page, '16-blocked-origins');

    await row.getByRole('button', { name: `Allow ${origin}` }).click();
    await page.waitForURL(new RegExp(`/tenants/${slug}/policy$`));
    const notice = page.getByTestId('allow-notice');
    await notice.getByRole('button', { name: 'Add https://*.preview.acme.com' }).waitFor();
    await screenshot(page, '17-blocked-allow-prefilled');
    // One click adds the exact origin through the single-origin API: a new version at once.
    await notice.getByRole('button', { name: `Add ${origin}` }).click();
    await page.getByText(`${origin} added: version 3 is live.`).waitFor();

    const allowed = await suite.api.resolve(secret, { origin });
    expect(allowed.body).toMatchObject({
      allowed: true,
      reason: 'exact-match',
      matchedPattern: origin,
    });
    expect(suite.session.problems).toEqual([]);
  });
});
