import { describe, expect, it, jest } from '@jest/globals';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { notifications } from '@mantine/notifications';
import type { Policy, PolicyInput } from '@corsplane/contracts';
import { renderWithProviders } from '../../../test/render.js';
import { SaveAsCandidateButton } from './save-as-candidate-button.js';

// What "Save as candidate" sends: the live origins as they are at the save, with the edited settings.
const live: Policy = {
  mode: 'enforce',
  origins: [{ pattern: 'https://app.acme.com', note: 'prod', expiresAt: null }],
  allowedMethods: ['GET', 'PUT'],
  allowedHeaders: [],
  exposedHeaders: [],
  allowCredentials: false,
  maxAgeSeconds: null,
  allowPrivateNetwork: false,
  version: 5,
};
const { version: _version, ...liveDoc } = live;
const edited: PolicyInput = { ...liveDoc, origins: [], allowedMethods: ['GET'], maxAgeSeconds: 60 };

/** The API's candidate routes over `stored`: the stored candidate's version, or null when there is none. */
function fakeFetch(stored: { version: number | null }) {
  const calls: { method: string; path: string; headers: Record<string, string>; body: unknown }[] =
    [];
  globalThis.fetch = jest.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://console.test');
    const c = {
      method: init?.method ?? 'GET',
      path: url.pathname,
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    };
    calls.push(c);
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      new Response(JSON.stringify(body), {
        status,
        headers: { 'content-type': 'application/json', ...headers },
      });
    const candidate = '/v1/tenants/acme/policy/candidate';
    if (c.path === '/v1/tenants/acme/policy') return json(200, live, { etag: '"5"' });
    if (c.path === candidate && c.method === 'GET')
      return stored.version !== null
        ? json(
            200,
            { ...live, version: stored.version, updatedAt: '', actor: 'a', note: null },
            { etag: `"${stored.version}"` },
          )
        : json(404, { statusCode: 404, error: 'Not Found', message: 'none' });
    if (c.path === candidate && c.method === 'PUT') {
      // The API's rule: replacing needs the stored candidate's ETag (412 when stale, 428 when missing).
      const ifMatch = c.headers['if-match'];
      if (stored.version !== null && ifMatch !== `"${stored.version}"`)
        return ifMatch
          ? json(412, { statusCode: 412, error: 'Precondition Failed', message: 'stale' })
          : json(428, { statusCode: 428, error: 'Precondition Required', message: 'If-Match' });
      stored.version = (stored.version ?? 0) + 1;
      return json(
        200,
        { ...(c.body as object), version: stored.version, updatedAt: '', actor: 'a', note: null },
        { etag: `"${stored.version}"` },
      );
    }
    return json(404, { statusCode: 404, error: 'Not Found', message: c.path });
  }) as unknown as typeof fetch;
  return calls;
}

/** The notification of a candidate saved by someone else since the button named one. */
const toldOfConflict = (shown: ReturnType<typeof jest.spyOn>) =>
  waitFor(() =>
    expect(shown).toHaveBeenCalledWith(
      expect.objectContaining({
        title: 'The candidate was not saved',
        message: expect.stringMatching(
          /^Someone saved another candidate since this page showed it/,
        ),
      }),
    ),
  );

describe('SaveAsCandidateButton', () => {
  it('creates the candidate from the edited settings and the live origins', async () => {
    const calls = fakeFetch({ version: null });
    renderWithProviders(<SaveAsCandidateButton slug="acme" settings={edited} disabled={false} />);
    await userEvent.click(screen.getByRole('button', { name: 'Save as candidate' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    const put = calls.find((c) => c.method === 'PUT');
    expect(put?.headers['if-match']).toBeUndefined();
    expect(put?.body).toEqual({ ...edited, origins: live.origins });
  });

  it('replaces an existing candidate under its ETag', async () => {
    const calls = fakeFetch({ version: 2 });
    renderWithProviders(<SaveAsCandidateButton slug="acme" settings={edited} disabled={false} />);
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Save as candidate' })).toHaveAttribute(
        'title',
        'Replaces candidate version 2',
      ),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Save as candidate' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    expect(calls.find((c) => c.method === 'PUT')?.headers['if-match']).toBe('"2"');
  });

  it('never overwrites a candidate saved since the button named it: nothing saved, the new version shown', async () => {
    const stored = { version: 2 as number | null };
    const calls = fakeFetch(stored);
    const shown = jest.spyOn(notifications, 'show');
    renderWithProviders(<SaveAsCandidateButton slug="acme" settings={edited} disabled={false} />);
    const button = screen.getByRole('button', { name: 'Save as candidate' });
    await waitFor(() => expect(button).toHaveAttribute('title', 'Replaces candidate version 2'));
    stored.version = 4; // someone else saves candidate versions 3 and 4 meanwhile
    await userEvent.click(button);
    await toldOfConflict(shown);
    expect(calls.filter((c) => c.method === 'PUT').map((c) => c.headers['if-match'])).toEqual([
      '"2"',
    ]);
    expect(stored.version).toBe(4);
    await waitFor(() => expect(button).toHaveAttribute('title', 'Replaces candidate version 4'));
  });

  it('does not replace a candidate created since the button found none (428)', async () => {
    const stored = { version: null as number | null };
    fakeFetch(stored);
    const shown = jest.spyOn(notifications, 'show');
    renderWithProviders(<SaveAsCandidateButton slug="acme" settings={edited} disabled={false} />);
    const button = screen.getByRole('button', { name: 'Save as candidate' });
    await waitFor(() => expect(button).toBeEnabled());
    stored.version = 1;
    await userEvent.click(button);
    await toldOfConflict(shown);
    expect(stored.version).toBe(1);
    await waitFor(() => expect(button).toHaveAttribute('title', 'Replaces candidate version 1'));
  });
});
