import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Me, Policy } from '@corsplane/contracts';
import { fakeApi, ok } from '../../../test/fake-api.js';
import { platformAdmin } from '../../../test/fixtures.js';
import { renderWithProviders } from '../../../test/render.js';
import { PolicyEditorPage } from './policy-editor-page.js';

// Component test: the API is a fake fetch here. The real API is exercised by the Playwright suite (e2e/).
const admin = platformAdmin;
const viewer: Me = {
  ...admin,
  platformRole: null,
  memberships: [{ tenant: 'acme', role: 'viewer' }],
};
const v2: Policy = {
  mode: 'enforce',
  origins: [{ pattern: 'https://app.acme.com', note: 'prod', expiresAt: null }],
  allowedMethods: ['GET', 'PUT'],
  allowedHeaders: ['content-type'],
  exposedHeaders: [],
  allowCredentials: true,
  maxAgeSeconds: 600,
  allowPrivateNetwork: false,
  version: 2,
};

describe('PolicyEditorPage', () => {
  beforeEach(() => window.sessionStorage.clear());
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('shows an invalid pattern’s error beside it as you type, and cannot save until it is fixed', async () => {
    fakeApi({
      'GET /v1/auth/me': () => ok(admin),
      'GET /v1/tenants/acme/policy': () => ok(v2, { etag: '"2"' }),
    });
    const user = userEvent.setup({ delay: null });
    renderWithProviders(
      <PolicyEditorPage slug="acme" allowOrigin={null} onAllowConsumed={() => undefined} />,
    );
    const pattern = await screen.findByLabelText('Origin pattern 1');
    const save = screen.getByRole('button', { name: 'Review and save' });
    expect(save).toBeDisabled();

    await user.type(pattern, '/admin');
    await waitFor(() => expect(pattern).toHaveAttribute('aria-invalid', 'true'));
    expect(screen.getByText(/has no path/)).toBeInTheDocument();
    expect(screen.getByTestId('error-count')).toHaveTextContent('1 error');
    expect(save).toBeDisabled();

    // Whole values are pasted from here on: a keystroke each re-renders and re-validates the
    // editor, which a loaded CI machine can stretch past the test timeout.
    await user.clear(pattern);
    await user.paste('https://*.github.io');
    await waitFor(() => expect(screen.getByText(/public suffix/i)).toBeInTheDocument());

    await user.clear(pattern);
    await user.paste('https://console.acme.com');
    await waitFor(() => expect(pattern).not.toHaveAttribute('aria-invalid', 'true'));
    expect(save).toBeEnabled();
  });

  it('shows warnings beside the field without blocking the save', async () => {
    fakeApi({
      'GET /v1/auth/me': () => ok(admin),
      'GET /v1/tenants/acme/policy': () => ok(v2, { etag: '"2"' }),
    });
    const user = userEvent.setup({ delay: null });
    renderWithProviders(
      <PolicyEditorPage slug="acme" allowOrigin={null} onAllowConsumed={() => undefined} />,
    );
    const maxAge = await screen.findByLabelText('Max age (seconds)');
    await user.clear(maxAge);
    await user.type(maxAge, '86400');
    await waitFor(() => expect(screen.getByText(/browsers cap it/)).toBeInTheDocument());
    expect(screen.getByRole('button', { name: 'Review and save' })).toBeEnabled();
  });

  it('reviews the diff, checks with the server, then saves with If-Match', async () => {
    const calls = fakeApi({
      'GET /v1/auth/me': () => ok(admin),
      'GET /v1/tenants/acme/policy': () => ok(v2, { etag: '"2"' }),
      'POST /v1/tenants/acme/policy/validate': () => ok({ ok: true, errors: [], warnings: [] }),
      'PUT /v1/tenants/acme/policy': (c) =>
        ok({ ...(c.body as object), version: 3 }, { etag: '"3"' }),
    });
    const user = userEvent.setup({ delay: null });
    renderWithProviders(
      <PolicyEditorPage slug="acme" allowOrigin={null} onAllowConsumed={() => undefined} />,
    );
    await user.click(await screen.findByRole('button', { name: 'Add origin' }));
    await user.click(screen.getByLabelText('Origin pattern 2'));
    await user.paste('http://localhost:*');
    await user.click(screen.getByRole('button', { name: 'Review and save' }));

    const dialog = await screen.findByRole('dialog', { name: 'Save version 3?' });
    expect(within(dialog).getByTestId('save-diff')).toHaveTextContent(
      '+ origin http://localhost:*',
    );
    await within(dialog).findByTestId('server-check-ok');
    await user.click(within(dialog).getByRole('button', { name: 'Save version 3' }));

    await waitFor(() => expect(screen.getByTestId('policy-version')).toHaveTextContent('3'));
    const put = calls.find((c) => c.method === 'PUT');
    expect(put?.headers['if-match']).toBe('"2"');
    expect((put?.body as Policy).origins.map((o) => o.pattern)).toEqual([
      'https://app.acme.com',
      'http://localhost:*',
    ]);
    expect(put?.body).not.toHaveProperty('version');
  });

  it('explains a concurrent edit (412) and keeps both changes for review', async () => {
    let current: Policy = v2;
    const v3: Policy = { ...v2, allowedMethods: ['GET', 'PUT', 'DELETE'], version: 3 };
    const calls = fakeApi({
      'GET /v1/auth/me': () => ok(admin),
      'GET /v1/tenants/acme/policy': () => ok(current, { etag: `"${current.version}"` }),
      'POST /v1/tenants/acme/policy/validate': () => ok({ ok: true, errors: [], warnings: [] }),
      'GET /v1/tenants/acme/policy/versions': () =>
        ok({
          items: [
            {
              version: 3,
              createdAt: new Date().toISOString(),
              actor: 'bob@acme.test',
              source: 'update',
              restoredFromVersion: null,
              policy: v3,
            },
          ],
        }),
      'PUT /v1/tenants/acme/policy': (c) =>
        c.headers['if-match'] === `"${current.version}"`
          ? ok({ ...(c.body as object), version: current.version + 1 })
          : {
              status: 412,
              body: { statusCode: 412, error: 'Precondition Failed', message: 'stale' },
            },
    });
    const user = userEvent.setup({ delay: null });
    renderWithProviders(
      <PolicyEditorPage slug="acme" allowOrigin={null} onAllowConsumed={() => undefined} />,
    );
    const maxAge = await screen.findByLabelText('Max age (seconds)');
    current = v3; // Bob saves version 3 while we edit version 2.
    await user.clear(maxAge);
    await user.type(maxAge, '60');
    await user.click(screen.getByRole('button', { name: 'Review and save' }));
    const dialog = await screen.findByRole('dialog', { name: 'Save version 3?' });
    await within(dialog).findByTestId('server-check-ok');
    await user.click(within(dialog).getByRole('button', { name: 'Save version 3' }));

    const conflict = await screen.findByRole('dialog', { name: /Someone else saved/ });
    expect(within(conflict).getByTestId('conflict-explanation')).toHaveTextContent(
      'bob@acme.test saved version 3',
    );
    expect(within(conflict).getByTestId('their-changes')).toHaveTextContent(
      '+ allowed methods: DELETE',
    );
    expect(within(conflict).getByTestId('my-changes')).toHaveTextContent('~ max age: 600 s → 60 s');
    await user.click(within(conflict).getByRole('button', { name: 'Keep both and review' }));

    await waitFor(() => expect(screen.getByTestId('policy-version')).toHaveTextContent('3'));
    expect(screen.getByLabelText('Max age (seconds)')).toHaveValue('60');
    await user.click(screen.getByRole('button', { name: 'Review and save' }));
    const again = await screen.findByRole('dialog', { name: 'Save version 4?' });
    expect(within(again).getByTestId('save-diff')).toHaveTextContent('~ max age: 600 s → 60 s');
    expect(within(again).getByTestId('save-diff')).not.toHaveTextContent('DELETE');
    await within(again).findByTestId('server-check-ok');
    await user.click(within(again).getByRole('button', { name: 'Save version 4' }));
    await waitFor(() => expect(screen.getByTestId('policy-version')).toHaveTextContent('4'));
    const last = calls.filter((c) => c.method === 'PUT').at(-1);
    expect(last?.headers['if-match']).toBe('"3"');
    expect((last?.body as Policy).allowedMethods).toEqual(['GET', 'PUT', 'DELETE']);
    expect((last?.body as Policy).maxAgeSeconds).toBe(60);
  });

  it('puts a server 422 beside the field it names', async () => {
    fakeApi({
      'GET /v1/auth/me': () => ok(admin),
      'GET /v1/tenants/acme/policy': () => ok(v2, { etag: '"2"' }),
      'POST /v1/tenants/acme/policy/validate': () => ok({ ok: true, errors: [], warnings: [] }),
      'PUT /v1/tenants/acme/policy': () => ({
        status: 422,
        body: {
          statusCode: 422,
          error: 'Unprocessable Entity',
          message: 'The policy has 1 problem',
          details: [
            {
              path: 'origins[0].pattern',
              value: 'https://app.acme.com',
              reason: 'invalid-host',
              message: 'origins[0].pattern: the server disagrees',
            },
          ],
        },
      }),
    });
    const user = userEvent.setup({ delay: null });
    renderWithProviders(
      <PolicyEditorPage slug="acme" allowOrigin={null} onAllowConsumed={() => undefined} />,
    );
    const note = await screen.findByLabelText('Note for https://app.acme.com');
    await user.type(note, ' eu');
    await user.click(screen.getByRole('button', { name: 'Review and save' }));
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByTestId('server-check-ok');
    await user.click(within(dialog).getByRole('button', { name: 'Save version 3' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Origin pattern 1')).toHaveAttribute('aria-invalid', 'true'),
    );
    expect(screen.getByText('the server disagrees')).toBeInTheDocument();
  });

  it('is read-only for a tenant viewer', async () => {
    fakeApi({
      'GET /v1/auth/me': () => ok(viewer),
      'GET /v1/tenants/acme/policy': () => ok(v2, { etag: '"2"' }),
    });
    renderWithProviders(
      <PolicyEditorPage slug="acme" allowOrigin={null} onAllowConsumed={() => undefined} />,
    );
    expect(await screen.findByTestId('read-only-notice')).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByLabelText('Origin pattern 1')).toHaveAttribute('readonly'),
    );
    expect(screen.queryByRole('button', { name: 'Review and save' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Add origin' })).not.toBeInTheDocument();
  });

  it('prefills a blocked origin and offers the wildcards it fits', async () => {
    fakeApi({
      'GET /v1/auth/me': () => ok(admin),
      'GET /v1/tenants/acme/policy': () => ok(v2, { etag: '"2"' }),
    });
    const consumed = jest.fn();
    const user = userEvent.setup({ delay: null });
    renderWithProviders(
      <PolicyEditorPage
        slug="acme"
        allowOrigin="https://pr-7.preview.acme.com"
        onAllowConsumed={consumed}
      />,
    );
    const row = await screen.findByLabelText('Origin pattern 2');
    expect(row).toHaveValue('https://pr-7.preview.acme.com');
    expect(consumed).toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'https://*.preview.acme.com' }));
    expect(screen.getByLabelText('Origin pattern 2')).toHaveValue('https://*.preview.acme.com');
    expect(screen.getByTestId('unsaved-count')).toHaveTextContent('1 unsaved change');
  });
});
