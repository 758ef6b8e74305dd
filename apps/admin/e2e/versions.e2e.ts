import { describe, expect, it } from '@jest/globals';
import { screenshot, signInAsAdmin, uniqueSlug, useConsoleSuite } from './support/harness.js';

describe('versions', () => {
  const suite = useConsoleSuite();

  it('lists history with author and time, diffs any two versions, and restores an older one', async () => {
    const slug = uniqueSlug('hist');
    await suite.api.createTenant(slug);
    await suite.api.putPolicy(slug, {
      origins: [{ pattern: 'https://v2.acme.com', note: null, expiresAt: null }],
    }); // v2
    await suite.api.putPolicy(slug, {
      origins: [{ pattern: 'https://v3.acme.com', note: null, expiresAt: null }],
      mode: 'report-only',
    }); // v3
    const { page } = suite.session;
    await signInAsAdmin(page, `/tenants/${slug}/versions`);
    const table = page.getByRole('table', { name: 'Policy versions' });
    await table.waitFor();
    for (const v of [1, 2, 3]) await page.getByTestId(`version-row-${v}`).waitFor();
    expect(await page.getByTestId('version-row-3').textContent()).toContain('admin@e2e.test');

    // Default comparison: the previous version against the current one.
    let diff = await page.getByTestId('versions-diff').textContent();
    expect(diff).toContain('- origin https://v2.acme.com');
    expect(diff).toContain('+ origin https://v3.acme.com');
    expect(diff).toContain('~ mode: enforce → report-only');

    await page.getByRole('combobox', { name: 'From' }).click();
    await page.getByRole('option', { name: /^v1 ·/ }).click();
    await page.getByRole('combobox', { name: 'To' }).click();
    await page.getByRole('option', { name: /^v2 ·/ }).click();
    diff = await page.getByTestId('versions-diff').textContent();
    expect(diff).toContain('+ origin https://v2.acme.com');
    expect(diff).not.toContain('v3.acme.com');
    expect(diff).not.toContain('mode');
    await screenshot(page, '12-versions');

    await page.getByRole('button', { name: 'Restore version 2' }).click();
    const dialog = page.getByRole('dialog', { name: 'Restore version 2?' });
    expect(await dialog.getByTestId('restore-diff').textContent()).toContain(
      '+ origin https://v2.acme.com',
    );
    await screenshot(page, '13-versions-restore');
    await dialog.getByRole('button', { name: 'Restore as version 4' }).click();
    await page.getByText('Version 2 is live again as version 4.').waitFor();
    await page.getByTestId('version-row-4').getByText('restored v2').waitFor();

    const now = await suite.api.getPolicy(slug);
    expect(now.version).toBe(4);
    expect(now.origins.map((o) => o.pattern)).toEqual(['https://v2.acme.com']);
    expect(now.mode).toBe('enforce');
    expect(suite.session.problems).toEqual([]);
  });
});
