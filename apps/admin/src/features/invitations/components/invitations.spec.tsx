import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import type { CreatedInvitation, Me } from '@corsplane/contracts';
import { renderWithProviders } from '../../../test/render.js';
import { AcceptInvitationRoute } from '../../../app/routes/accept-invitation.js';
import { InviteUserModal } from './invite-user-modal.js';

// Component tests with a fake fetch: what the two invitation screens send and show.
const TOKEN = 'cpi_abcdefgh_token';
const STRONG = 'violet tugboat anchors midnight';
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

interface Call {
  path: string;
  method: string;
  body: unknown;
}

function fakeApi(answer: (call: Call) => Response) {
  const calls: Call[] = [];
  globalThis.fetch = jest.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const call = {
      path: new URL(String(input), 'http://console.test').pathname,
      method: init?.method ?? 'GET',
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    };
    calls.push(call);
    return answer(call);
  }) as unknown as typeof fetch;
  return calls;
}

const invitee: Me = {
  id: 'u2',
  email: 'new@acme.test',
  name: 'Ada',
  platformRole: 'viewer',
  memberships: [],
  authMethod: 'session',
};

const renderInvitePage = () =>
  renderWithProviders(
    <Routes>
      <Route path="/invite/:token" element={<AcceptInvitationRoute />} />
      <Route path="/" element={<p>signed-in home</p>} />
    </Routes>,
    { route: `/invite/${TOKEN}` },
  );

afterEach(() => {
  jest.restoreAllMocks();
});

describe('the /invite/:token page', () => {
  it('shows whom the link is for, sends the chosen password once, and goes in signed in', async () => {
    const calls = fakeApi(({ path }) =>
      path === '/v1/invitations/lookup'
        ? json({ email: 'new@acme.test', name: 'Ada', expiresAt: '2026-12-05T00:00:00.000Z' })
        : json(invitee),
    );
    const user = userEvent.setup({ delay: null });
    renderInvitePage();
    expect(await screen.findByText('new@acme.test')).toBeInTheDocument();
    const submit = screen.getByRole('button', { name: 'Set password and sign in' });
    await user.type(screen.getByLabelText(/^Password/), STRONG);
    await user.type(screen.getByLabelText(/^Repeat password/), `${STRONG}!`);
    expect(submit).toBeDisabled();
    expect(screen.getByText('The passwords differ')).toBeInTheDocument();
    await user.clear(screen.getByLabelText(/^Repeat password/));
    await user.type(screen.getByLabelText(/^Repeat password/), STRONG);
    await user.click(submit);
    expect(await screen.findByText('signed-in home')).toBeInTheDocument();
    expect(calls).toEqual([
      { path: '/v1/invitations/lookup', method: 'POST', body: { token: TOKEN } },
      {
        path: '/v1/invitations/accept',
        method: 'POST',
        body: { token: TOKEN, password: STRONG, name: 'Ada' },
      },
    ]);
  });

  it('says a used, revoked or expired link is not valid, with no password form', async () => {
    fakeApi(() =>
      json(
        { statusCode: 404, error: 'Not Found', message: 'This invitation link is not valid' },
        404,
      ),
    );
    renderInvitePage();
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'This invitation link was already used, revoked or has expired',
    );
    expect(screen.queryByLabelText(/^Password/)).not.toBeInTheDocument();
  });

  it('shows the API’s reason when the password is refused, and keeps the form', async () => {
    fakeApi(({ path }) =>
      path === '/v1/invitations/lookup'
        ? json({ email: 'new@acme.test', name: null, expiresAt: '2026-12-05T00:00:00.000Z' })
        : json(
            {
              statusCode: 400,
              error: 'Bad Request',
              message: 'This password is too easy to guess',
            },
            400,
          ),
    );
    const user = userEvent.setup({ delay: null });
    renderInvitePage();
    await user.type(await screen.findByLabelText(/^Password/), 'password1234');
    await user.type(screen.getByLabelText(/^Repeat password/), 'password1234');
    await user.click(screen.getByRole('button', { name: 'Set password and sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'This password is too easy to guess',
    );
    expect(screen.getByLabelText(/^Password/)).toBeInTheDocument();
  });
});

describe('InviteUserModal', () => {
  it('sends the trimmed email and name, then shows the one-time link with a copy button', async () => {
    const created: CreatedInvitation = {
      id: 'i1',
      email: 'new@acme.test',
      name: null,
      platformRole: 'viewer',
      memberships: [],
      createdBy: 'admin@acme.test',
      createdAt: '2026-12-02T00:00:00.000Z',
      expiresAt: '2026-12-05T00:00:00.000Z',
      link: `https://cors.acme.test/invite/${TOKEN}`,
    };
    const calls = fakeApi(({ path }) =>
      path === '/v1/invitations' ? json(created, 201) : json({ items: [] }),
    );
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<InviteUserModal opened onClose={() => undefined} />);
    await user.type(await screen.findByLabelText(/^Email/), 'new@acme.test');
    await user.type(screen.getByLabelText('Name'), ' Ada ');
    await user.click(screen.getByRole('button', { name: 'Create invitation link' }));
    expect(await screen.findByTestId('invitation-link')).toHaveTextContent(created.link);
    expect(screen.getByRole('button', { name: 'Copy link' })).toBeInTheDocument();
    await waitFor(() =>
      expect(calls.find((c) => c.method === 'POST')).toEqual({
        path: '/v1/invitations',
        method: 'POST',
        body: { email: 'new@acme.test', name: 'Ada', platformRole: null, memberships: [] },
      }),
    );
  });
});
