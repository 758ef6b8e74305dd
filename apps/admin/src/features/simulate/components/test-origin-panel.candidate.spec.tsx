import { describe, expect, it, jest } from '@jest/globals';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderWithProviders } from '../../../test/render.js';
import { TestOriginPanel } from './test-origin-panel.js';

// With a candidate, the same request is simulated twice: as stored, and against the stored candidate
// (`candidate: true`; the console never sends the candidate's document).

describe('TestOriginPanel with a candidate', () => {
  it('shows the live and the candidate verdicts side by side', async () => {
    const bodies: { origin?: string; policy?: unknown; candidate?: boolean }[] = [];
    globalThis.fetch = jest.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body)) as (typeof bodies)[number];
      bodies.push(body);
      const allowed = body.candidate !== true;
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
    renderWithProviders(<TestOriginPanel slug="acme" candidate={{ version: 2 }} />);
    await userEvent.click(screen.getByRole('button', { name: 'Test' }));
    expect(await screen.findByTestId('candidate-verdict-badge')).toHaveTextContent('Refused');
    expect(screen.getByTestId('verdict')).toHaveTextContent('Allowed');
    expect(screen.getByTestId('candidate-verdict')).toHaveTextContent(
      'The candidate would newly block this request.',
    );
    await waitFor(() => expect(bodies).toHaveLength(2));
    expect(bodies[0]).not.toHaveProperty('candidate');
    expect(bodies[1]).toMatchObject({ origin: bodies[0]?.origin, candidate: true });
    expect(bodies[1]).not.toHaveProperty('policy');
  });
});
