import { beforeAll, describe, expect, it } from '@jest/globals';
import type { OriginList } from '@corsplane/contracts';
import { screenshot, signInAsAdmin, uniqueSlug, useConsoleSuite } from './support/harness.js';
import { scaleOrigin, seedScaleTenant } from './support/scale.js';

// The editor at the SPEC's scale (§2.3: up to 100,000 origins): the origins come page by page from the
// origin-entries API into a virtualized list. Timings are printed by `npm run bench:console`, not
// asserted here; the DOM size is (it does not depend on the machine's load).
const COUNT = 100_000;
const MAX_DOM_NODES = 10_000;
const PASTE = 1_000;

describe('policy editor at 100,000 origins', () => {
  const suite = useConsoleSuite();
  const slug = uniqueSlug('scale');
  // 100,000 is also the limit (SPEC §2.3): the paste goes to a tenant 1,000 short of it.
  const pasteSlug = uniqueSlug('scale-paste');
  beforeAll(async () => {
    await seedScaleTenant(suite.api, slug, COUNT);
    await seedScaleTenant(suite.api, pasteSlug, COUNT - PASTE);
  }, 300_000);

  const origins = (q: string, tenant = slug) =>
    suite.api.call<OriginList>(
      'GET',
      `/v1/tenants/${tenant}/policy/origins?q=${encodeURIComponent(q)}`,
    );

  it('shows the first rows with a bounded DOM, the count, and finds an origin by search', async () => {
    const { page, problems } = suite.session;
    await signInAsAdmin(page, `/tenants/${slug}/policy`);
    await page.getByTestId('origin-entry').first().waitFor();
    const nodes = await page.evaluate(() => document.getElementsByTagName('*').length);
    expect(nodes).toBeLessThan(MAX_DOM_NODES);
    await expect(page.getByText(scaleOrigin(0), { exact: true }).isVisible()).resolves.toBe(true);
    await page.getByTestId('origin-count').getByText('100,000 origins').waitFor();
    await screenshot(page, '30-policy-100k');

    await page.getByLabel('Search origins').fill('c98765.');
    await page.getByText(scaleOrigin(98_765), { exact: true }).waitFor();
    await page.getByTestId('origin-count').getByText('1 match for “c98765.”').waitFor();
    expect(await page.getByTestId('origin-entry').count()).toBe(1);

    // Edit the row: it becomes inputs; saving sends the single-origin PATCH.
    await page.getByRole('button', { name: `Edit ${scaleOrigin(98_765)}` }).click();
    await page.getByLabel(`Note for ${scaleOrigin(98_765)}`).fill('found by search');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('found by search', { exact: true }).waitFor();
    const found = await origins('c98765.');
    expect(found.body.items).toEqual([
      { pattern: scaleOrigin(98_765), note: 'found by search', expiresAt: null },
    ]);
    expect(problems).toEqual([]);
  });

  it('adds and removes single origins, and says so at the limit', async () => {
    const { page } = suite.session;
    await signInAsAdmin(page, `/tenants/${slug}/policy`);
    await page.getByTestId('origin-entry').first().waitFor();
    const add = async () => {
      await page.getByLabel('New origin').fill('https://added.scale.example');
      await page.getByRole('button', { name: 'Add origin' }).click();
    };
    // At 100,000 entries the server refuses one more, and the form says why.
    await add();
    await page.getByText(/at most 100,000/).waitFor();

    const last = scaleOrigin(COUNT - 1);
    await page.getByLabel('Search origins').fill(last);
    await page.getByRole('button', { name: `Remove ${last}` }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove this origin?' });
    await confirm.getByRole('button', { name: 'Remove' }).click();
    await page.getByText(`No origin matches “${last}”.`).waitFor();
    expect((await origins(last)).body.items).toHaveLength(0);

    await add();
    // The list shows the new entry (the search is set to it).
    await page.getByText('https://added.scale.example', { exact: true }).waitFor();
    expect((await origins('added.scale')).body.items).toHaveLength(1);
    await page
      .getByTestId('origin-count')
      .getByText('1 match for “https://added.scale.example”')
      .waitFor();

    await page.getByRole('button', { name: 'Remove https://added.scale.example' }).click();
    await confirm.getByRole('button', { name: 'Remove' }).click();
    await page.getByText('No origin matches “https://added.scale.example”.').waitFor();
    expect((await origins('added.scale')).body.items).toHaveLength(0);
  });

  it('validates a pasted list of 1,000 lines with the server line by line, then saves it', async () => {
    const { page } = suite.session;
    await signInAsAdmin(page, `/tenants/${pasteSlug}/policy`);
    await page.getByTestId('origin-entry').first().waitFor();
    const fresh = Array.from({ length: PASTE }, (_, i) => `https://p${i}.paste.example`);
    await page.getByRole('button', { name: 'Paste a list' }).click();
    const dialog = page.getByRole('dialog', { name: 'Paste a list of origins' });
    const box = dialog.getByLabel(/Origins, one a line/);
    // Line 501 is not an origin: the dry run names it, nothing is saved.
    const bad = [...fresh.slice(0, 500), 'https://bad.example/path', ...fresh.slice(500, 999)];
    await box.fill(bad.join('\n'));
    await dialog.getByRole('button', { name: 'Check with the server' }).click();
    const refused = dialog.getByTestId('import-errors');
    await refused.getByText('https://bad.example/path').waitFor();
    expect(await refused.getByRole('row').nth(1).getByRole('cell').first().textContent()).toBe(
      '501',
    );
    expect(await dialog.getByRole('button', { name: 'Import' }).isDisabled()).toBe(true);
    await screenshot(page, '31-policy-paste-refused');

    await box.fill(fresh.join('\n'));
    await dialog.getByRole('button', { name: 'Check with the server' }).click();
    await dialog
      .getByTestId('import-report')
      .getByText('Every line is valid: 1,000 will be added, 0 already listed.')
      .waitFor();
    await dialog.getByRole('button', { name: 'Import 1,000 origins' }).click();
    await dialog
      .getByTestId('import-report')
      .getByText(/^Saved: 1,000 added/)
      .waitFor();
    expect((await origins('.paste.example', pasteSlug)).body.items).toHaveLength(100);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.getByTestId('origin-count').getByText('100,000 origins').waitFor();
  });
});
