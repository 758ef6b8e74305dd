import { describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import {
  newSession,
  screenshot,
  signInAsAdmin,
  uniqueSlug,
  useConsoleSuite,
} from './support/harness.js';

/** What the API says about the session of this page's browser. */
const whoAmI = (page: Page) =>
  page.evaluate(async () => {
    const res = await fetch('/v1/auth/me');
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  });

describe('invitations', () => {
  const suite = useConsoleSuite();

  it('an admin invites; the invitee sets a password from the link and is signed in with the invited role; the link then refuses', async () => {
    const slug = uniqueSlug('invited');
    await suite.api.createTenant(slug);
    const email = `${slug}@e2e.test`;

    const { page } = suite.session;
    await signInAsAdmin(page, '/users');
    await page.getByRole('table', { name: 'Users' }).waitFor();
    await page.getByRole('button', { name: 'Invite' }).click();
    const form = page.getByRole('dialog', { name: 'Invite a user' });
    await form.getByLabel('Email').fill(email);
    await form.getByRole('button', { name: 'Add membership' }).click();
    await form.getByRole('combobox', { name: 'Tenant of membership 1' }).fill(slug);
    await page.getByRole('option', { name: new RegExp(slug) }).click();
    await form.getByRole('button', { name: 'Create invitation link' }).click();

    const shown = page.getByRole('dialog', { name: `Invitation for ${email}` });
    const link = (await shown.getByTestId('invitation-link').textContent()) ?? '';
    expect(link).toMatch(/\/invite\/cpi_[\w-]+$/);
    await shown.getByRole('button', { name: 'Copy link' }).waitFor();
    await screenshot(page, '40-invitation-link');
    await shown.getByRole('button', { name: 'Done' }).click();
    const pending = page.getByTestId(`invitation-row-${email}`);
    await pending.waitFor();
    expect(await pending.textContent()).toContain(`${slug}: viewer`);

    // The invitee, in a browser context of their own with no session.
    const invitee = await newSession(suite.browser);
    try {
      const ip = invitee.page;
      await ip.goto(link);
      await ip.getByText(`You are invited as ${email}.`).waitFor();
      await ip.getByLabel('Name').fill('Ivy Invitee');
      await ip
        .getByRole('textbox', { name: 'Password', exact: true })
        .fill('violet tugboat anchors midnight');
      await ip
        .getByRole('textbox', { name: 'Repeat password' })
        .fill('violet tugboat anchors midnight');
      await screenshot(ip, '41-invitation-accept');
      await ip.getByRole('button', { name: 'Set password and sign in' }).click();
      await ip.getByTestId('signed-in-as').waitFor();
      expect(await ip.getByTestId('signed-in-as').textContent()).toContain(email);
      const me = await whoAmI(ip);
      expect(me).toEqual({
        status: 200,
        body: expect.objectContaining({
          email,
          name: 'Ivy Invitee',
          platformRole: null,
          memberships: [{ tenant: slug, role: 'viewer' }],
        }),
      });
      // A tenant viewer: no users page in the navigation.
      expect(await ip.getByRole('link', { name: 'Users' }).count()).toBe(0);
      expect(invitee.problems).toEqual([]);
    } finally {
      await invitee.context.close();
    }

    // The same link, opened again (a fresh browser): refused, and no password form.
    const again = await newSession(suite.browser);
    try {
      await again.page.goto(link);
      const alert = again.page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('already used, revoked or has expired');
      expect(await again.page.getByRole('textbox', { name: 'Repeat password' }).count()).toBe(0);
      expect((await whoAmI(again.page)).status).toBe(401);
      await screenshot(again.page, '42-invitation-used');
    } finally {
      await again.context.close();
    }

    // The admin's page: the invitation is no longer pending, the user is listed.
    await page.reload();
    await page.getByTestId(`user-row-${email}`).waitFor();
    expect(await page.getByTestId(`invitation-row-${email}`).count()).toBe(0);
  });
});
