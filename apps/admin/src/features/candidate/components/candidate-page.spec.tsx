import { describe, expect, it, jest } from '@jest/globals';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type {
  CandidateImpact,
  CandidateImpactTimeline,
  CandidatePolicy,
  Policy,
} from '@corsplane/contracts';
import { platformAdmin } from '../../../test/fixtures.js';
import { renderWithProviders } from '../../../test/render.js';
import { CandidatePage } from './candidate-page.js';

// Component test on an in-memory candidate API; the real API and browser are e2e/candidate.e2e.ts.
const live: Policy = {
  mode: 'enforce',
  origins: [
    { pattern: 'https://app.acme.com', note: null, expiresAt: null },
    { pattern: 'https://old.acme.com', note: null, expiresAt: null },
  ],
  allowedMethods: ['GET', 'PUT'],
  allowedHeaders: [],
  exposedHeaders: [],
  allowCredentials: false,
  maxAgeSeconds: null,
  allowPrivateNetwork: false,
  version: 7,
};
const candidate: CandidatePolicy = {
  ...live,
  origins: [
    { pattern: 'https://app.acme.com', note: null, expiresAt: null },
    { pattern: 'https://new.acme.com', note: 'launch', expiresAt: null },
  ],
  allowedMethods: ['GET'],
  version: 3,
  updatedAt: new Date().toISOString(),
  actor: 'admin@acme.test',
  note: 'tighten',
};
/** The timeline the API answers for the window asked: hourly buckets from `since`, the last one counted. */
function timeline(url: URL): CandidateImpactTimeline {
  const since = Date.parse(url.searchParams.get('since') ?? '');
  const until = Date.parse(url.searchParams.get('until') ?? '');
  const starts: number[] = [];
  for (let s = since; s < until; s += 3_600_000) starts.push(s);
  return {
    bucket: 'hour',
    since: new Date(since).toISOString(),
    until: new Date(until).toISOString(),
    buckets: starts.map((s, i) => ({
      start: new Date(s).toISOString(),
      wouldBlock: i === starts.length - 1 ? 5 : 0,
      wouldAllow: i === starts.length - 1 ? 2 : 0,
    })),
  };
}

/** The impact over the window: 5 would-block requests from one origin, 2 would-allow from another. */
const IMPACT: CandidateImpact = {
  since: new Date(Date.now() - 86_400_000).toISOString(),
  until: new Date().toISOString(),
  rows: [
    {
      origin: 'https://old.acme.com',
      direction: 'would-block',
      reason: 'origin-not-allowed',
      count: 5,
      firstSeen: new Date().toISOString(),
      lastSeen: new Date().toISOString(),
    },
    {
      origin: 'https://new.acme.com',
      direction: 'would-allow',
      reason: 'exact-match',
      count: 2,
      firstSeen: new Date().toISOString(),
      lastSeen: new Date().toISOString(),
    },
  ],
  nextCursor: null,
  totals: { wouldBlock: 5, wouldAllow: 2, wouldBlockOrigins: 1, wouldAllowOrigins: 1 },
};

interface Call {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: unknown;
}
type Reply = { status: number; body?: unknown; headers?: Record<string, string> };

/** A fetch answering the tenant "acme": live policy, candidate (or none) and impact. */
function fakeCandidateApi(
  state: { candidate: CandidatePolicy | null },
  override: (c: Call) => Reply | undefined = () => undefined,
) {
  const calls: Call[] = [];
  const base = '/v1/tenants/acme/policy';
  globalThis.fetch = jest.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const c: Call = {
      method: init?.method ?? 'GET',
      url: new URL(String(input), 'http://console.test'),
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    };
    calls.push(c);
    const path = c.url.pathname;
    const r: Reply =
      override(c) ??
      (c.method === 'GET' && path === '/v1/auth/me'
        ? { status: 200, body: platformAdmin }
        : c.method === 'GET' && path === base
          ? { status: 200, body: live, headers: { etag: `"${live.version}"` } }
          : c.method === 'GET' && path === `${base}/candidate`
            ? state.candidate
              ? {
                  status: 200,
                  body: state.candidate,
                  headers: { etag: `"${state.candidate.version}"` },
                }
              : {
                  status: 404,
                  body: { statusCode: 404, error: 'Not Found', message: 'no candidate' },
                }
            : c.method === 'GET' && path === `${base}/candidate/impact/timeline`
              ? // The chart is one request: 24 hourly buckets, the last holding the 5 would-blocks.
                { status: 200, body: timeline(c.url) }
              : c.method === 'GET' && path === `${base}/candidate/impact`
                ? { status: 200, body: IMPACT }
                : c.method === 'PUT' && path === `${base}/candidate`
                  ? {
                      status: 200,
                      body: (state.candidate = {
                        ...(c.body as Policy),
                        version: 1,
                        updatedAt: new Date().toISOString(),
                        actor: 'admin@acme.test',
                        note: null,
                      }),
                      headers: { etag: '"1"' },
                    }
                  : { status: 404, body: { statusCode: 404, error: 'Not Found', message: path } });
    return new Response(r.body === undefined ? null : JSON.stringify(r.body), {
      status: r.status,
      headers: { 'content-type': 'application/json', ...r.headers },
    });
  }) as unknown as typeof fetch;
  return calls;
}

describe('CandidatePage', () => {
  it('shows the diff against live, the impact with totals, and the would-block chart', async () => {
    const calls = fakeCandidateApi({ candidate });
    renderWithProviders(<CandidatePage slug="acme" />);
    expect(await screen.findByTestId('candidate-version')).toHaveTextContent('3');
    const diff = await screen.findByTestId('candidate-diff');
    expect(diff).toHaveTextContent('- origin https://old.acme.com');
    expect(diff).toHaveTextContent('+ origin https://new.acme.com (launch)');
    expect(diff).toHaveTextContent('- allowed methods: PUT');
    expect(screen.getByText('1 origin added')).toBeInTheDocument();
    expect(await screen.findByTestId('total-would-block')).toHaveTextContent(
      'Would newly block: 5 requests from 1 origin',
    );
    expect(screen.getByTestId('total-would-allow')).toHaveTextContent(
      'Would newly allow: 2 requests from 1 origin',
    );
    const rows = screen.getAllByTestId('impact-row');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('https://old.acme.com');
    expect(rows[0]).toHaveTextContent('would newly block');
    expect(rows[1]).toHaveTextContent('would newly allow');
    expect(
      await screen.findByRole('img', { name: 'Refusals over time: 5 in total' }),
    ).toBeInTheDocument();
    expect(screen.getAllByTestId('refusals-bar')).toHaveLength(24);
    expect(screen.getByText(/it would also newly allow 2/)).toBeInTheDocument();
    // The whole chart came from one request.
    expect(calls.filter((c) => c.url.pathname.endsWith('/impact/timeline'))).toHaveLength(1);
  });

  it('promotes under If-Match of the live version it showed; a 412 says nothing was promoted', async () => {
    let stale = true;
    const calls = fakeCandidateApi({ candidate }, (c) => {
      if (c.method !== 'POST') return undefined;
      if (stale)
        return {
          status: 412,
          body: { statusCode: 412, error: 'Precondition Failed', message: 'stale' },
        };
      return { status: 200, body: { ...candidate, version: 8 }, headers: { etag: '"8"' } };
    });
    renderWithProviders(<CandidatePage slug="acme" />);
    await screen.findByTestId('total-would-block');
    await userEvent.click(await screen.findByRole('button', { name: 'Promote…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Promote candidate version 3?' });
    expect(within(dialog).getByTestId('promote-diff')).toHaveTextContent(
      '- origin https://old.acme.com',
    );
    expect(within(dialog).getByTestId('impact-totals')).toHaveTextContent(
      'Would newly block: 5 requests',
    );
    await userEvent.type(within(dialog).getByLabelText('Change note (optional)'), 'go');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Promote to version 8' }));
    expect(await within(dialog).findByTestId('promote-stale')).toHaveTextContent(
      'Nothing was promoted',
    );
    const promote = calls.find((c) => c.method === 'POST');
    expect(promote?.url.pathname).toBe('/v1/tenants/acme/policy/candidate/promote');
    expect(promote?.headers['if-match']).toBe('"7"');
    expect(promote?.body).toEqual({ candidateVersion: 3, note: 'go' });

    stale = false;
    await userEvent.click(within(dialog).getByRole('button', { name: 'Promote to version 8' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'POST')).toHaveLength(2));
  });

  it('discards under If-Match of the candidate', async () => {
    const state = { candidate: candidate as CandidatePolicy | null };
    const calls = fakeCandidateApi(state, (c) =>
      c.method === 'DELETE'
        ? ((state.candidate = null), { status: 200, body: { version: 4 } })
        : undefined,
    );
    renderWithProviders(<CandidatePage slug="acme" />);
    await userEvent.click(await screen.findByTestId('discard-candidate'));
    await userEvent.click(await screen.findByRole('button', { name: 'Discard the candidate' }));
    expect(await screen.findByText('No candidate policy')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'DELETE')?.headers['if-match']).toBe('"3"');
  });

  it('with no candidate, sets one from pasted JSON (a bad document is explained, nothing sent)', async () => {
    const state = { candidate: null as CandidatePolicy | null };
    const calls = fakeCandidateApi(state);
    renderWithProviders(<CandidatePage slug="acme" />);
    expect(await screen.findByText('No candidate policy')).toBeInTheDocument();
    const box = await screen.findByLabelText(/Policy document \(JSON\)/);
    fireEvent.change(box, { target: { value: '{"mode":' } });
    await userEvent.click(screen.getByRole('button', { name: 'Save as candidate' }));
    expect(await screen.findByText(/Not valid JSON/)).toBeInTheDocument();
    fireEvent.change(box, { target: { value: '{"mode":"enforce","origins":"*"}' } });
    await userEvent.click(screen.getByRole('button', { name: 'Save as candidate' }));
    expect(await screen.findByText(/origins:/)).toBeInTheDocument();
    expect(calls.some((c) => c.method === 'PUT')).toBe(false);

    const { version: _v, ...doc } = {
      ...live,
      origins: [{ pattern: 'https://a.example', note: null, expiresAt: null }],
    };
    fireEvent.change(box, { target: { value: JSON.stringify({ ...doc, version: 7 }) } });
    await userEvent.click(screen.getByRole('button', { name: 'Save as candidate' }));
    expect(await screen.findByTestId('candidate-version')).toHaveTextContent('1');
    const put = calls.find((c) => c.method === 'PUT');
    expect(put?.headers['if-match']).toBeUndefined();
    expect(put?.body).toEqual(doc);
  });
});
