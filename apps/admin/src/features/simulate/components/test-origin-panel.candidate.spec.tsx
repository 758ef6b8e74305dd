import { describe, expect, it, jest } from '@jest/globals';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { PolicyInput } from '@corsplane/contracts';
import { renderWithProviders } from '../../../test/render.js';
import { TestOriginPanel } from './test-origin-panel.js';

// With a candidate, the same request is simulated twice (as stored, and with the candidate in `policy`).
const candidate: PolicyInput = {
  mode: 'enforce',
  origins: [{ pattern: 'https://app.example.com', note: null, expiresAt: null }],
  allowedMethods: [],
  allowedHeaders: [],
  exposedHeaders: [],
  allowCredentials: false,
  maxAgeSeconds: null,
  allowPrivateNetwork: false,
};

describe('TestOriginPanel with a candidate', () => {
  it('shows the live and the candidate verdicts side by side', async () => {
    const bodies: { policy?: unknown }[] = [];
    globalThis.fetch = jest.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body)) as { policy?: unknown };
      bodies.push(body);
      const allowed = body.policy === undefined;
      return new Response(
        JSON.stringify({
          allowed,
          reason: allowed ? 'exact-match' : 'method-not-allowed',
          matchedPattern: 'https://app.example.com',
          matchedSource: 'tenant',
          route: null,
          tenant: 'acme',
          mode: 'enforce',
          policyVersion: 4,
          preflight: true,
          status: allowed ? 204 : 403,
          headers: {},
          cacheTtlSeconds: 30,
        }),
        { status: 200, headers: { 'content-type': 'application/json' } },
      );
    }) as unknown as typeof fetch;
    renderWithProviders(
      <TestOriginPanel slug="acme" candidate={{ policy: candidate, version: 2 }} />,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Test' }));
    expect(await screen.findByTestId('candidate-verdict-badge')).toHaveTextContent('Refused');
    expect(screen.getByTestId('verdict')).toHaveTextContent('Allowed');
    expect(screen.getByTestId('candidate-verdict')).toHaveTextContent(
      'The candidate would newly block this request.',
    );
    await waitFor(() => expect(bodies).toHaveLength(2));
    expect(bodies[1]?.policy).toEqual(candidate);
  });
});
