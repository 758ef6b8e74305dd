import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Tenant } from '@corsplane/contracts';
import { platformAdmin } from '../../../test/fixtures.js';
import { renderWithProviders } from '../../../test/render.js';
import { TenantListPage } from './tenant-list-page.js';

// The tenant list pages and searches through the API (SPEC §4.1): a fake fetch that pages like it.
const tenant = (i: number): Tenant => ({
  id: `t${i}`,
  slug: `tenant-${String(i).padStart(3, '0')}`,
  name: `Customer ${i}`,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  originCount: i,
  mode: 'enforce',
  policyVersion: 1,
  lastChangedAt: '2026-01-01T00:00:00.000Z',
  lastChangedBy: null,
});
const ALL = Array.from({ length: 120 }, (_, i) => tenant(i));

function fakeTenantApi() {
  const urls: URL[] = [];
  globalThis.fetch = jest.fn(async (input: RequestInfo | URL) => {
    const url = new URL(String(input), 'http://console.test');
    urls.push(url);
    if (url.pathname === '/v1/auth/me') return Response.json(platformAdmin);
    const q = (url.searchParams.get('q') ?? '').toLowerCase();
    const limit = Number(url.searchParams.get('limit'));
    const from = Number(url.searchParams.get('cursor') ?? 0);
    const hits = ALL.filter((t) => t.slug.includes(q) || t.name.toLowerCase().includes(q));
    return Response.json({
      items: hits.slice(from, from + limit),
      nextCursor: from + limit < hits.length ? String(from + limit) : null,
    });
  }) as unknown as typeof fetch;
  return urls;
}

describe('TenantListPage', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('shows a page, loads more with the cursor, and searches on the server', async () => {
    const urls = fakeTenantApi();
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<TenantListPage />);
    expect(await screen.findByTestId('tenant-row-tenant-000')).toBeInTheDocument();
    expect(screen.getByTestId('tenant-count')).toHaveTextContent('50 tenants shown, more below');
    expect(screen.queryByTestId('tenant-row-tenant-050')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByTestId('tenant-row-tenant-050')).toBeInTheDocument();
    expect(urls.some((u) => u.searchParams.get('cursor') === '50')).toBe(true);

    await user.type(screen.getByLabelText('Search tenants'), 'customer 119');
    expect(
      await screen.findByTestId('tenant-row-tenant-119', {}, { timeout: 5_000 }),
    ).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByTestId('tenant-row-tenant-000')).toBeNull());
    expect(screen.getByTestId('tenant-count')).toHaveTextContent('1 tenant shown');
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    expect(urls.at(-1)?.searchParams.get('q')).toBe('customer 119');
  });
});
