import { describe, expect, it } from '@jest/globals';
import { screenshot, signInAsAdmin, uniqueSlug, useConsoleSuite } from './support/harness.js';

describe('policy editor', () => {
  const suite = useConsoleSuite();

  it('shows a settings error beside its field and cannot save it; a valid edit is saved after reviewing the diff', async () => {
    const slug = uniqueSlug('edit');
    await suite.api.createTenant(slug);
    await suite.api.putPolicy(slug, {
      origins: [{ pattern: 'https://app.acme.com', note: 'prod', expiresAt: null }],
      allowedMethods: ['GET', 'PUT'],
      maxAgeSeconds: 600,
    });
    const { page } = suite.session;
    await signInAsAdmin(page, `/tenants/${slug}/policy`);
    await page.getByTestId('origin-entry').first().waitFor();
    await screenshot(page, '06-policy-editor');

    // An origin is added on its own (single-origin POST): the server's refusal shows beside the field.
    await page.getByLabel('New origin').fill('https://*.co.uk');
    await page.getByRole('button', { name: 'Add origin' }).click();
    await page.getByText(/public suffix/i).waitFor();
    expect(await page.getByLabel('New origin').getAttribute('aria-invalid')).toBe('true');

    await page.getByRole('combobox', { name: 'Allowed methods' }).fill('TRACE');
    await page.getByRole('combobox', { name: 'Allowed methods' }).press('Enter');
    await page.getByText(/TRACE is a forbidden method/).waitFor();
    expect(await page.getByTestId('error-count').textContent()).toBe('1 error');
    expect(await page.getByRole('button', { name: 'Review and save' }).isDisabled()).toBe(true);
    await screenshot(page, '07-policy-invalid');

    // Even a hand-made request with such a pattern is refused by the server (the same engine).
    const { version: _v, ...doc } = await suite.api.getPolicy(slug);
    const refused = await suite.api.call<{ details: { path: string; reason: string }[] }>(
      'PUT',
      `/v1/tenants/${slug}/policy`,
      { ...doc, origins: [...doc.origins, { pattern: 'https://example.com/app/' }] },
      { 'if-match': '"2"' },
    );
    expect(refused.status).toBe(422);
    expect(refused.body.details[0]).toMatchObject({ path: 'origins[1].pattern' });

    await page.getByRole('combobox', { name: 'Allowed methods' }).focus();
    await page.keyboard.press('Backspace'); // removes TRACE
    await page.getByLabel('Max age (seconds)').fill('86400');
    await page.getByText(/browsers cap it/).waitFor();
    expect(await page.getByTestId('error-count').textContent()).toBe('0 errors');

    await page.getByRole('button', { name: 'Review and save' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save version 3?' });
    await dialog.getByText('Accepted, with warnings').waitFor();
    const diff = await dialog.getByTestId('save-diff').textContent();
    expect(diff).toContain('~ max age: 600 s → 86400 s');
    await screenshot(page, '08-policy-save-diff');
    await dialog.getByRole('button', { name: 'Save version 3' }).click();
    await page.getByText('Version 3 is live.').waitFor();
    expect(await page.getByTestId('policy-version').textContent()).toBe('3');

    const saved = await suite.api.getPolicy(slug);
    expect(saved.version).toBe(3);
    expect(saved.origins.map((o) => o.pattern)).toEqual(['https://app.acme.com']);
    expect(saved.maxAgeSeconds).toBe(86400);
    expect(suite.session.problems).toEqual([]);
  });

  it('explains a conflicting concurrent settings edit and loses neither', async () => {
    const slug = uniqueSlug('race');
    await suite.api.createTenant(slug);
    await suite.api.putPolicy(slug, {
      origins: [{ pattern: 'https://app.acme.com', note: null, expiresAt: null }],
      maxAgeSeconds: 600,
    });
    const { page } = suite.session;
    await signInAsAdmin(page, `/tenants/${slug}/policy`);
    await page.getByTestId('origin-entry').first().waitFor();
    await page.getByLabel('Max age (seconds)').fill('60');

    // Meanwhile a colleague saves version 3 through the API.
    await suite.api.putPolicy(slug, {
      allowedMethods: ['GET', 'DELETE'],
      origins: [
        { pattern: 'https://app.acme.com', note: null, expiresAt: null },
        { pattern: 'https://theirs.acme.com', note: null, expiresAt: null },
      ],
    });

    await page.getByRole('button', { name: 'Review and save' }).click();
    await page
      .getByRole('dialog', { name: 'Save version 3?' })
      .getByRole('button', { name: 'Save version 3' })
      .click();
    const conflict = page.getByRole('dialog', { name: /Someone else saved this policy/ });
    await conflict.waitFor();
    const explanation = await conflict.getByTestId('conflict-explanation').textContent();
    expect(explanation).toMatch(/You started from version 2\..*saved version 3/);
    expect(await conflict.getByTestId('their-changes').textContent()).toContain(
      '+ allowed methods: DELETE',
    );
    expect(await conflict.getByTestId('my-changes').textContent()).toContain(
      '~ max age: 600 s → 60 s',
    );
    await screenshot(page, '09-policy-conflict');
    await conflict.getByRole('button', { name: 'Keep both and review' }).click();

    expect(await page.getByTestId('policy-version').textContent()).toBe('3');
    await page.getByRole('button', { name: 'Review and save' }).click();
    await page
      .getByRole('dialog', { name: 'Save version 4?' })
      .getByRole('button', { name: 'Save version 4' })
      .click();
    await page.getByText('Version 4 is live.').waitFor();
    const saved = await suite.api.getPolicy(slug);
    expect(saved.origins.map((o) => o.pattern).sort()).toEqual([
      'https://app.acme.com',
      'https://theirs.acme.com',
    ]);
    expect(saved.allowedMethods).toEqual(['GET', 'DELETE']);
    expect(saved.maxAgeSeconds).toBe(60);
  });
});
