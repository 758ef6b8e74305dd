/**
 * @jest-environment-options {"customExportConditions": ["@corsplane/source", "node", "node-addons"]}
 */
// msw/node resolves with the "node" condition (its "browser" entry is empty), hence the options above.
import { describe, expect, it, jest } from '@jest/globals';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { BlockedOrigin, Policy, SimulateResponse } from '@corsplane/contracts';
import { platformAdmin } from '../../../test/fixtures.js';
import { HttpResponse, http, meHandler, useMockApi } from '../../../test/msw.js';
import { renderWithProviders } from '../../../test/render.js';
import { AllowFixModal } from './allow-fix-modal.js';

const origin = 'https://app.acme.com';
const policy: Policy = {
  version: 7,
  mode: 'enforce',
  origins: [{ pattern: origin, note: null, expiresAt: null }],
  allowedMethods: ['PUT'],
  allowedHeaders: ['content-type'],
  exposedHeaders: [],
  allowCredentials: false,
  maxAgeSeconds: null,
  allowPrivateNetwork: false,
} as Policy;
const verdict = (over: Partial<SimulateResponse>): SimulateResponse => ({
  allowed: false,
  reason: 'header-not-allowed',
  matchedPattern: null,
  matchedSource: null,
  tenant: 'acme',
  mode: 'enforce',
  policyVersion: 7,
  preflight: true,
  status: 403,
  headers: {},
  cacheTtlSeconds: 30,
  route: null,
  refusedName: 'x-trace-id',
  matchedEntry: { pattern: origin, source: 'tenant', expiresAt: null, note: null },
  ...over,
});
const row = (over: Partial<BlockedOrigin>): BlockedOrigin => ({
  origin,
  reason: 'header-not-allowed',
  refusedName: 'x-trace-id',
  allowedInVersion: null,
  count: 3,
  firstSeen: '2026-12-01T10:00:00.000Z',
  lastSeen: '2026-12-01T11:00:00.000Z',
  ...over,
});

describe('AllowFixModal (component test on MSW)', () => {
  const server = useMockApi(meHandler(platformAdmin));

  it('a header refusal adds the header with If-Match, not an origin row', async () => {
    const puts: Array<{ body: unknown; ifMatch: string | null; note: unknown }> = [];
    const simulated: unknown[] = [];
    server.use(
      http.post('*/v1/tenants/acme/simulate', async ({ request }) => {
        simulated.push(await request.json());
        return HttpResponse.json(verdict({}));
      }),
      http.get('*/v1/tenants/acme/policy', () =>
        HttpResponse.json(policy, { headers: { etag: '"7"' } }),
      ),
      http.put('*/v1/tenants/acme/policy', async ({ request }) => {
        const body = (await request.json()) as Record<string, unknown>;
        puts.push({ body, ifMatch: request.headers.get('if-match'), note: body.note });
        return HttpResponse.json({ ...policy, ...body, version: 8 }, { headers: { etag: '"8"' } });
      }),
      http.post('*/v1/tenants/acme/policy/origins', () =>
        HttpResponse.json(
          { statusCode: 500, error: 'x', message: 'must not add an origin' },
          { status: 500 },
        ),
      ),
    );
    const onClose = jest.fn();
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<AllowFixModal slug="acme" row={row({})} onClose={onClose} />);
    expect(await screen.findByTestId('allow-reason')).toHaveTextContent(
      'The origin is allowed by the entry “https://app.acme.com”, but the header “x-trace-id” is not in the allowed headers.',
    );
    expect(simulated).toEqual([{ origin, method: 'GET', headers: 'x-trace-id', preflight: true }]);
    await user.click(screen.getByRole('button', { name: 'Add header' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(puts).toHaveLength(1);
    expect(puts[0]?.ifMatch).toBe('"7"');
    expect(puts[0]?.body).toMatchObject({
      origins: policy.origins,
      allowedHeaders: ['content-type', 'x-trace-id'],
      note: `Allowed ${origin} from the blocked-origin log`,
    });
  });

  it('an expired refusal renews the entry that matched (clears its expiry) with the single-origin API', async () => {
    const patches: Array<{ url: string; body: unknown }> = [];
    const expired = 'https://old-partner.example.net';
    server.use(
      http.post('*/v1/tenants/acme/simulate', () =>
        HttpResponse.json(
          verdict({
            reason: 'expired',
            preflight: false,
            refusedName: null,
            matchedEntry: {
              pattern: expired,
              source: 'tenant',
              expiresAt: '2025-01-01T00:00:00.000Z',
              note: null,
            },
          }),
        ),
      ),
      http.patch('*/v1/tenants/acme/policy/origins/:pattern', async ({ request, params }) => {
        patches.push({ url: String(params.pattern), body: await request.json() });
        return HttpResponse.json({
          version: 8,
          entry: { pattern: expired, note: null, expiresAt: null },
        });
      }),
    );
    const onClose = jest.fn();
    const user = userEvent.setup({ delay: null });
    renderWithProviders(
      <AllowFixModal
        slug="acme"
        row={row({ origin: expired, reason: 'expired', refusedName: null })}
        onClose={onClose}
      />,
    );
    expect(await screen.findByTestId('allow-reason')).toHaveTextContent(
      `The entry “${expired}” matches, but it expired on 1 Jan 2025, 00:00 UTC.`,
    );
    await user.click(screen.getByRole('button', { name: 'Renew entry' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(patches).toEqual([{ url: expired, body: { expiresAt: null } }]);
  });

  it('says so, and offers nothing, when the live policy already allows the row', async () => {
    server.use(
      http.post('*/v1/tenants/acme/simulate', () =>
        HttpResponse.json(
          verdict({ allowed: true, reason: 'exact-match', status: 204, policyVersion: 9 }),
        ),
      ),
    );
    renderWithProviders(<AllowFixModal slug="acme" row={row({})} onClose={() => {}} />);
    expect(await screen.findByTestId('allow-done')).toHaveTextContent(
      'Already allowed by policy version 9: nothing to change.',
    );
    expect(screen.queryByRole('button', { name: /^Add/ })).toBeNull();
  });
});
