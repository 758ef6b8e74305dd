import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Me, Policy } from '@corsplane/contracts';
import { platformAdmin } from '../../../test/fixtures.js';
import { renderWithProviders } from '../../../test/render.js';
import { fakePolicyApi, ok } from '../test/policy-api-fake.js';
import '../test/virtual-layout.js';
import { PolicyEditorPage } from './policy-editor-page.js';

// Component test: the API is an in-memory fake here. The real API is exercised by the browser suite (e2e/).
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
const many = (n: number): Policy['origins'] =>
  Array.from({ length: n }, (_, i) => ({
    pattern: `https://c${i}.example.com`,
    note: `customer ${i}`,
    expiresAt: null,
  }));

const renderEditor = (
  allowOrigin: string | null = null,
  onAllowConsumed: () => void = () => undefined,
) =>
  renderWithProviders(
    <PolicyEditorPage slug="acme" allowOrigin={allowOrigin} onAllowConsumed={onAllowConsumed} />,
  );

describe('PolicyEditorPage', () => {
  beforeEach(() => window.sessionStorage.clear());
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('reads the origins page by page and shows the count, without the settings holding them', async () => {
    const { calls } = fakePolicyApi({ me: admin, policy: { ...v2, origins: many(450) } });
    renderEditor();
    expect(await screen.findByText('https://c0.example.com')).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByTestId('origin-count')).toHaveTextContent('450 origins'),
    );
    const pages = calls.filter((c) => c.url.pathname.endsWith('/policy/origins'));
    expect(pages[0]?.url.searchParams.get('limit')).toBe('200');
    expect(pages[0]?.url.searchParams.has('cursor')).toBe(false);
  });

  it('searches on the server', async () => {
    const { calls } = fakePolicyApi({ me: admin, policy: { ...v2, origins: many(300) } });
    const user = userEvent.setup({ delay: null });
    renderEditor();
    await screen.findByText('https://c0.example.com');
    await user.type(screen.getByLabelText('Search origins'), 'c271.');
    expect(
      await screen.findByText('https://c271.example.com', {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.queryByText('https://c0.example.com')).not.toBeInTheDocument(),
    );
    expect(screen.getByTestId('origin-count')).toHaveTextContent('1 match for “c271.”');
    expect(calls.some((c) => c.url.searchParams.get('q') === 'c271.')).toBe(true);
  });

  it('edits one row in place and saves it with the single-origin PATCH', async () => {
    const { calls } = fakePolicyApi({ me: admin, policy: v2 });
    const user = userEvent.setup({ delay: null });
    renderEditor();
    await user.click(await screen.findByRole('button', { name: 'Edit https://app.acme.com' }));
    const note = screen.getByLabelText('Note for https://app.acme.com');
    await user.clear(note);
    await user.type(note, 'production EU');
    expect(note).toHaveValue('production EU');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('production EU')).toBeInTheDocument();
    const patch = calls.find((c) => c.method === 'PATCH');
    expect(patch?.url.pathname).toBe(
      `/v1/tenants/acme/policy/origins/${encodeURIComponent('https://app.acme.com')}`,
    );
    expect(patch?.body).toEqual({ note: 'production EU', expiresAt: null });
    expect(patch?.headers).not.toHaveProperty('if-match');
  });

  it('adds and removes single origins through POST and DELETE', async () => {
    const { calls, state } = fakePolicyApi({ me: admin, policy: v2 });
    const user = userEvent.setup({ delay: null });
    renderEditor();
    await within(await screen.findByTestId('origins-table')).findByText('https://app.acme.com');
    await user.type(screen.getByLabelText('New origin'), 'https://new.acme.com');
    await user.click(screen.getByRole('button', { name: 'Add origin' }));
    expect(await screen.findByText('https://new.acme.com')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      pattern: 'https://new.acme.com',
      note: null,
    });

    // Listed twice: the server's 409 is shown beside the field.
    await user.type(screen.getByLabelText('New origin'), 'https://app.acme.com');
    await user.click(screen.getByRole('button', { name: 'Add origin' }));
    expect(await screen.findByText('https://app.acme.com is already listed')).toBeInTheDocument();

    await user.clear(screen.getByLabelText('Search origins'));
    await user.click(await screen.findByRole('button', { name: 'Remove https://app.acme.com' }));
    const confirm = await screen.findByRole('dialog', { name: 'Remove this origin?' });
    await user.click(within(confirm).getByRole('button', { name: 'Remove' }));
    await waitFor(() =>
      expect(state.policy.origins.map((o) => o.pattern)).toEqual(['https://new.acme.com']),
    );
    expect(calls.some((c) => c.method === 'DELETE')).toBe(true);
  });

  it('checks a pasted list with the server line by line, then imports it', async () => {
    const { calls, state } = fakePolicyApi({ me: admin, policy: v2 });
    const user = userEvent.setup({ delay: null });
    renderEditor();
    await user.click(await screen.findByRole('button', { name: 'Paste a list' }));
    const dialog = await screen.findByRole('dialog', { name: 'Paste a list of origins' });
    const box = within(dialog).getByLabelText(/Origins, one a line/);
    await user.click(box);
    await user.paste('https://a.example.com\nnot an origin\nhttps://app.acme.com\n');
    await user.click(within(dialog).getByRole('button', { name: 'Check with the server' }));
    const errors = await within(dialog).findByTestId('import-errors');
    expect(within(errors).getByText('not an origin')).toBeInTheDocument();
    expect(within(errors).getByText('Line 2: not an origin is not an origin')).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Import' })).toBeDisabled();

    await user.clear(box);
    await user.paste('https://a.example.com\nhttps://app.acme.com\n');
    await user.click(within(dialog).getByRole('button', { name: 'Check with the server' }));
    expect(await within(dialog).findByTestId('import-report')).toHaveTextContent(
      'Every line is valid: 1 will be added, 1 already listed.',
    );
    expect(state.policy.origins).toHaveLength(1); // a dry run saves nothing
    await user.click(within(dialog).getByRole('button', { name: 'Import 1 origin' }));
    await waitFor(() =>
      expect(within(dialog).getByTestId('import-report')).toHaveTextContent('Saved: 1 added'),
    );
    const real = calls.filter((c) => c.url.pathname.endsWith('/import')).at(-1);
    expect(real?.url.searchParams.has('dryRun')).toBe(false);
    expect(real?.headers['content-type']).toMatch(/^text\/plain/);
    expect(state.policy.origins.map((o) => o.pattern)).toContain('https://a.example.com');
  });

  it('saves the settings with the live origins and If-Match of the read it made', async () => {
    const { calls, state } = fakePolicyApi(
      { me: admin, policy: v2 },
      {
        'POST /v1/tenants/acme/policy/validate': () => ok({ ok: true, errors: [], warnings: [] }),
        'PUT /v1/tenants/acme/policy': (c) =>
          ok(
            { ...(c.body as object), version: state.policy.version + 1 },
            { etag: `"${state.policy.version + 1}"` },
          ),
      },
    );
    const user = userEvent.setup({ delay: null });
    renderEditor();
    const maxAge = await screen.findByLabelText('Max age (seconds)');
    // Someone adds an origin meanwhile (single-origin writes commute: no conflict for the settings).
    state.policy = {
      ...state.policy,
      origins: [
        ...state.policy.origins,
        { pattern: 'https://late.acme.com', note: null, expiresAt: null },
      ],
      version: 3,
    };
    await user.clear(maxAge);
    await user.type(maxAge, '60');
    await user.click(screen.getByRole('button', { name: 'Review and save' }));
    const dialog = await screen.findByRole('dialog', { name: 'Save version 3?' });
    expect(within(dialog).getByTestId('save-diff')).toHaveTextContent('~ max age: 600 s → 60 s');
    await within(dialog).findByTestId('server-check-ok');
    await user.click(within(dialog).getByRole('button', { name: 'Save version 3' }));
    await waitFor(() => expect(screen.getByTestId('policy-version')).toHaveTextContent('4'));
    const put = calls.find((c) => c.method === 'PUT');
    expect(put?.headers['if-match']).toBe('"3"');
    expect((put?.body as Policy).maxAgeSeconds).toBe(60);
    expect((put?.body as Policy).origins.map((o) => o.pattern)).toEqual([
      'https://app.acme.com',
      'https://late.acme.com',
    ]);
    expect(put?.body).not.toHaveProperty('version');
  });

  it('explains a concurrent settings edit and keeps both changes for review', async () => {
    const v3: Policy = { ...v2, allowedMethods: ['GET', 'PUT', 'DELETE'], version: 3 };
    const { calls, state } = fakePolicyApi(
      { me: admin, policy: v2 },
      {
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
                note: null,
                originCount: v3.origins.length,
              },
            ],
          }),
        'PUT /v1/tenants/acme/policy': (c) =>
          ok({ ...(c.body as object), version: state.policy.version + 1 }),
      },
    );
    const user = userEvent.setup({ delay: null });
    renderEditor();
    const maxAge = await screen.findByLabelText('Max age (seconds)');
    state.policy = v3; // Bob saves version 3 while we edit version 2.
    await user.clear(maxAge);
    await user.type(maxAge, '60');
    await user.click(screen.getByRole('button', { name: 'Review and save' }));
    const dialog = await screen.findByRole('dialog', { name: 'Save version 3?' });
    await within(dialog).findByTestId('server-check-ok');
    await user.click(within(dialog).getByRole('button', { name: 'Save version 3' }));

    const conflict = await screen.findByRole('dialog', { name: /Someone else saved/ });
    expect(within(conflict).getByTestId('their-changes')).toHaveTextContent(
      '+ allowed methods: DELETE',
    );
    expect(within(conflict).getByTestId('my-changes')).toHaveTextContent('~ max age: 600 s → 60 s');
    expect(calls.some((c) => c.method === 'PUT')).toBe(false);
    await user.click(within(conflict).getByRole('button', { name: 'Keep both and review' }));

    await waitFor(() => expect(screen.getByTestId('policy-version')).toHaveTextContent('3'));
    expect(screen.getByLabelText('Max age (seconds)')).toHaveValue('60');
    await user.click(screen.getByRole('button', { name: 'Review and save' }));
    const again = await screen.findByRole('dialog', { name: 'Save version 4?' });
    await within(again).findByTestId('server-check-ok');
    await user.click(within(again).getByRole('button', { name: 'Save version 4' }));
    await waitFor(() => expect(screen.getByTestId('policy-version')).toHaveTextContent('4'));
    const last = calls.filter((c) => c.method === 'PUT').at(-1);
    expect(last?.headers['if-match']).toBe('"3"');
    expect((last?.body as Policy).allowedMethods).toEqual(['GET', 'PUT', 'DELETE']);
    expect((last?.body as Policy).maxAgeSeconds).toBe(60);
  });

  it('shows warnings beside the field without blocking the save', async () => {
    fakePolicyApi({ me: admin, policy: v2 });
    const user = userEvent.setup({ delay: null });
    renderEditor();
    const maxAge = await screen.findByLabelText('Max age (seconds)');
    await user.clear(maxAge);
    await user.type(maxAge, '86400');
    await waitFor(() => expect(screen.getByText(/browsers cap it/)).toBeInTheDocument());
    expect(screen.getByRole('button', { name: 'Review and save' })).toBeEnabled();
  });

  it('is read-only for a tenant viewer', async () => {
    fakePolicyApi({ me: viewer, policy: v2 });
    renderEditor();
    expect(await screen.findByTestId('read-only-notice')).toBeInTheDocument();
    expect(
      await within(await screen.findByTestId('origins-table')).findByText('https://app.acme.com'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /^Edit / })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Review and save' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Add origin' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Paste a list' })).not.toBeInTheDocument();
  });

  it('offers a blocked origin and the wildcards it fits, added with the single-origin POST', async () => {
    const { calls } = fakePolicyApi({ me: admin, policy: v2 });
    const consumed = jest.fn();
    const user = userEvent.setup({ delay: null });
    renderEditor('https://pr-7.preview.acme.com', consumed);
    const notice = await screen.findByTestId('allow-notice');
    expect(consumed).toHaveBeenCalled();
    await user.click(
      within(notice).getByRole('button', { name: 'Add https://*.preview.acme.com' }),
    );
    expect(await screen.findByText('https://*.preview.acme.com')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'POST')?.body).toMatchObject({
      pattern: 'https://*.preview.acme.com',
    });
  });
});
