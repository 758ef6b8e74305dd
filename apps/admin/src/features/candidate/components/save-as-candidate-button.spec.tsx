import { describe, expect, it, jest } from '@jest/globals';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
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

function fakeFetch(candidateEtag: string | null) {
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
    if (c.path === '/v1/tenants/acme/policy') return json(200, live, { etag: '"5"' });
    if (c.path === '/v1/tenants/acme/policy/candidate' && c.method === 'GET')
      return candidateEtag
        ? json(
            200,
            { ...live, version: 2, updatedAt: '', actor: 'a', note: null },
            { etag: candidateEtag },
          )
        : json(404, { statusCode: 404, error: 'Not Found', message: 'none' });
    if (c.path === '/v1/tenants/acme/policy/candidate' && c.method === 'PUT')
      return json(
        200,
        { ...(c.body as object), version: 3, updatedAt: '', actor: 'a', note: null },
        { etag: '"3"' },
      );
    return json(404, { statusCode: 404, error: 'Not Found', message: c.path });
  }) as unknown as typeof fetch;
  return calls;
}

describe('SaveAsCandidateButton', () => {
  it('creates the candidate from the edited settings and the live origins', async () => {
    const calls = fakeFetch(null);
    renderWithProviders(<SaveAsCandidateButton slug="acme" settings={edited} disabled={false} />);
    await userEvent.click(screen.getByRole('button', { name: 'Save as candidate' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    const put = calls.find((c) => c.method === 'PUT');
    expect(put?.headers['if-match']).toBeUndefined();
    expect(put?.body).toEqual({ ...edited, origins: live.origins });
  });

  it('replaces an existing candidate under its ETag', async () => {
    const calls = fakeFetch('"2"');
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
});
