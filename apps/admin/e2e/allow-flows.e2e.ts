import { describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import {
  screenshot,
  signInAsAdmin,
  uniqueSlug,
  useConsoleSuite,
  waitForBlockedRow,
} from './support/harness.js';

// Issue 16: "Allow" on a blocked origin fixes the reason it was refused for, and /resolve agrees.
describe('Allow on the blocked-origin log', () => {
  const suite = useConsoleSuite();

  async function blockedRow(page: Page, slug: string, parts: string[]) {
    await signInAsAdmin(page, `/tenants/${slug}/blocked`);
    return waitForBlockedRow(page, parts);
  }

  async function tenant(prefix: string, policy: Parameters<typeof suite.api.putPolicy>[1]) {
    const slug = uniqueSlug(prefix);
    await suite.api.createTenant(slug);
    await suite.api.putPolicy(slug, policy);
    const { secret } = await suite.api.createKey(slug, 'gateway');
    return { slug, secret };
  }

  it('a header refusal: Allow adds that header (no new origin row), the row is marked allowed and /resolve agrees', async () => {
    const origin = 'https://app.acme.com';
    const { slug, secret } = await tenant('allow-header', {
      origins: [{ pattern: origin, note: null, expiresAt: null }],
      allowedMethods: ['PUT'],
      allowedHeaders: ['content-type'],
    });
    const query = { origin, method: 'PUT', headers: 'content-type, x-trace-id' };
    expect((await suite.api.resolve(secret, query)).body).toMatchObject({
      allowed: false,
      reason: 'header-not-allowed',
    });
    const { page } = suite.session;
    const row = await blockedRow(page, slug, [origin, 'header-not-allowed: x-trace-id']);
    await row
      .getByRole('button', { name: `Allow ${origin} (header-not-allowed: x-trace-id)` })
      .click();
    const dialog = page.getByRole('dialog', { name: `Allow ${origin}` });
    expect(await dialog.getByTestId('allow-reason').textContent()).toBe(
      `The origin is allowed by the entry “${origin}”, but the header “x-trace-id” is not in the allowed headers.`,
    );
    await dialog.getByText('Add the header “x-trace-id” to the allowed headers.').waitFor();
    await screenshot(page, '16b-allow-header');
    await dialog.getByRole('button', { name: 'Add header' }).click();
    await dialog.waitFor({ state: 'detached' });
    await row.getByTestId('allowed-now').filter({ hasText: 'Allowed now (v3)' }).waitFor();
    expect(await row.getByRole('button', { name: /^Allow / }).count()).toBe(0);

    const policy = await suite.api.getPolicy(slug);
    expect(policy.origins.map((o) => o.pattern)).toEqual([origin]);
    expect(policy.allowedHeaders).toEqual(['content-type', 'x-trace-id']);
    expect((await suite.api.resolve(secret, query)).body).toMatchObject({
      allowed: true,
      reason: 'exact-match',
    });
    expect(suite.session.problems).toEqual([]);
  });

  it('an expired refusal: Allow clears the expiry of the entry that matched, and /resolve agrees', async () => {
    const origin = 'https://old-partner.example.net';
    const { slug, secret } = await tenant('allow-expired', {
      origins: [
        { pattern: 'https://app.acme.com', note: null, expiresAt: null },
        { pattern: origin, note: 'partner', expiresAt: '2025-01-01T00:00:00.000Z' },
      ],
    });
    expect((await suite.api.resolve(secret, { origin })).body).toMatchObject({
      allowed: false,
      reason: 'expired',
    });
    const { page } = suite.session;
    const row = await blockedRow(page, slug, [origin, 'expired']);
    await row.getByRole('button', { name: `Allow ${origin} (expired)` }).click();
    const dialog = page.getByRole('dialog', { name: `Allow ${origin}` });
    expect(await dialog.getByTestId('allow-reason').textContent()).toBe(
      `The entry “${origin}” (“partner”) matches, but it expired on 1 Jan 2025, 00:00 UTC.`,
    );
    await dialog.getByRole('radio', { name: 'Clear the expiry (the entry never expires)' }).check();
    await screenshot(page, '16c-allow-expired');
    await dialog.getByRole('button', { name: 'Renew entry' }).click();
    await dialog.waitFor({ state: 'detached' });
    await row.getByTestId('allowed-now').filter({ hasText: 'Allowed now (v3)' }).waitFor();

    const policy = await suite.api.getPolicy(slug);
    expect(policy.origins).toHaveLength(2);
    expect(policy.origins.find((o) => o.pattern === origin)?.expiresAt ?? null).toBeNull();
    expect((await suite.api.resolve(secret, { origin })).body).toMatchObject({
      allowed: true,
      reason: 'exact-match',
      matchedPattern: origin,
    });
    expect(suite.session.problems).toEqual([]);
  });

  it('a method refusal: Allow adds the method, and /resolve agrees', async () => {
    const origin = 'https://app.acme.com';
    const { slug, secret } = await tenant('allow-method', {
      origins: [{ pattern: origin, note: null, expiresAt: null }],
      allowedMethods: ['PUT'],
    });
    const query = { origin, method: 'DELETE' };
    expect((await suite.api.resolve(secret, query)).body).toMatchObject({
      reason: 'method-not-allowed',
    });
    const { page } = suite.session;
    const row = await blockedRow(page, slug, [origin, 'method-not-allowed: DELETE']);
    await row.getByRole('button', { name: /^Allow / }).click();
    const dialog = page.getByRole('dialog', { name: `Allow ${origin}` });
    await dialog.getByText('Add the method “DELETE” to the allowed methods.').waitFor();
    await dialog.getByRole('button', { name: 'Add method' }).click();
    await row.getByTestId('allowed-now').waitFor();
    expect((await suite.api.getPolicy(slug)).allowedMethods).toEqual(['PUT', 'DELETE']);
    expect((await suite.api.resolve(secret, query)).body).toMatchObject({ allowed: true });
    expect(suite.session.problems).toEqual([]);
  });
});
