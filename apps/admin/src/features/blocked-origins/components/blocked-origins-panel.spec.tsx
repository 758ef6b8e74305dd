import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { BlockedOriginsTimeline } from '@corsplane/contracts';
import { platformAdmin } from '../../../test/fixtures.js';
import { renderWithProviders } from '../../../test/render.js';
import { BlockedOriginsPanel } from './blocked-origins-panel.js';

// Component test with a fake fetch: the chart is ONE timeline request, whatever the number of bars.
const admin = platformAdmin;

function fakeApi() {
  const urls: URL[] = [];
  globalThis.fetch = jest.fn(async (input: RequestInfo | URL) => {
    const url = new URL(String(input), 'http://console.test');
    urls.push(url);
    const json = (body: unknown) =>
      new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
    if (url.pathname === '/v1/auth/me') return json(admin);
    if (url.pathname === '/v1/tenants/acme/blocked-origins') return json({ items: [] });
    if (url.pathname === '/v1/tenants/acme/blocked-origins/timeline') {
      const bucket = url.searchParams.get('bucket') as 'hour' | 'day';
      const size = bucket === 'hour' ? 3_600_000 : 86_400_000;
      const since = Date.parse(url.searchParams.get('since') as string);
      const until = Date.parse(url.searchParams.get('until') as string);
      const buckets: BlockedOriginsTimeline['buckets'] = [];
      for (let s = since; s < until; s += size)
        buckets.push({ start: new Date(s).toISOString(), count: buckets.length === 2 ? 5 : 1 });
      return json({
        bucket,
        since: new Date(since).toISOString(),
        until: new Date(until).toISOString(),
        buckets,
      });
    }
    return new Response(JSON.stringify({ statusCode: 404, error: 'Not Found', message: 'x' }), {
      status: 404,
    });
  }) as unknown as typeof fetch;
  return urls;
}

const timelineCalls = (urls: URL[]) => urls.filter((u) => u.pathname.endsWith('/timeline'));

describe('BlockedOriginsPanel chart', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('draws every bar from one timeline request, and one more per range or search change', async () => {
    const urls = fakeApi();
    const user = userEvent.setup({ delay: null });
    renderWithProviders(<BlockedOriginsPanel slug="acme" />);
    const chart = await screen.findByRole('img', { name: 'Refusals over time: 28 in total' });
    expect(chart.querySelectorAll('[data-testid="refusals-bar"]')).toHaveLength(24);
    expect(timelineCalls(urls)).toHaveLength(1);
    expect(timelineCalls(urls)[0]?.searchParams.get('bucket')).toBe('hour');
    // The table is one list request for the same window; no request per bar.
    const lists = urls.filter((u) => u.pathname === '/v1/tenants/acme/blocked-origins');
    expect(lists).toHaveLength(1);
    expect(lists[0]?.searchParams.get('since')).toBe(
      timelineCalls(urls)[0]?.searchParams.get('since'),
    );

    await user.click(screen.getByRole('radio', { name: 'Last 7 days' }));
    await screen.findByRole('img', { name: 'Refusals over time: 11 in total' });
    expect(timelineCalls(urls)).toHaveLength(2);
    expect(timelineCalls(urls)[1]?.searchParams.get('bucket')).toBe('day');

    await user.type(screen.getByLabelText('Search origins'), 'acme');
    await waitFor(() => expect(timelineCalls(urls)).toHaveLength(3));
    expect(timelineCalls(urls)[2]?.searchParams.get('q')).toBe('acme');
    expect(urls.filter((u) => u.pathname.includes('/versions'))).toHaveLength(0);
  });
});
