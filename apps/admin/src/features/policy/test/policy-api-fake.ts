import { jest } from '@jest/globals';
import type { OriginEntry, Policy } from '@corsplane/contracts';

// A fake of the policy API for the editor's component tests: an in-memory tenant whose origins are
// paged and searched like the server's (SPEC §4.1). The real API is exercised by e2e/policy-scale.e2e.ts.
export interface Call {
  method: string;
  url: URL;
  headers: Record<string, string>;
  /** Parsed JSON, or the raw text of a text/plain or text/csv body. */
  body: unknown;
}

type Reply = { status: number; body?: unknown; headers?: Record<string, string> };
type Handler = (c: Call) => Reply | undefined;

export const ok = (body: unknown, headers?: Record<string, string>): Reply => ({
  status: 200,
  body,
  headers,
});

/** Installs a fetch that answers `METHOD /path` from `routes` (first), then from the fake tenant. */
export function fakePolicyApi(
  tenant: { policy: Policy; me: unknown },
  routes: Record<string, Handler> = {},
) {
  const calls: Call[] = [];
  const state = tenant;
  const find = (pattern: string) => state.policy.origins.findIndex((o) => o.pattern === pattern);
  const entry = (o: Policy['origins'][number]): OriginEntry => ({
    pattern: o.pattern,
    note: o.note ?? null,
    expiresAt: o.expiresAt ?? null,
  });
  const bump = () => (state.policy = { ...state.policy, version: state.policy.version + 1 });
  const builtIn = (c: Call): Reply => {
    const path = c.url.pathname;
    const base = '/v1/tenants/acme/policy';
    if (c.method === 'GET' && path === '/v1/auth/me') return ok(state.me);
    if (c.method === 'GET' && path === base)
      return ok(state.policy, { etag: `"${state.policy.version}"` });
    if (c.method === 'GET' && path === `${base}/baseline`) return ok({ origins: [] });
    if (c.method === 'GET' && path === `${base}/origins`) {
      const q = (c.url.searchParams.get('q') ?? '').toLowerCase();
      const limit = Number(c.url.searchParams.get('limit') ?? 100);
      const from = Number(c.url.searchParams.get('cursor') ?? 0);
      const all = state.policy.origins.filter(
        (o) => !q || o.pattern.includes(q) || (o.note ?? '').toLowerCase().includes(q),
      );
      const items = all.slice(from, from + limit).map(entry);
      return ok({
        items,
        version: state.policy.version,
        nextCursor: from + limit < all.length ? String(from + limit) : null,
      });
    }
    if (c.method === 'POST' && path === `${base}/origins`) {
      const e = c.body as OriginEntry;
      if (find(e.pattern) >= 0)
        return {
          status: 409,
          body: { statusCode: 409, error: 'Conflict', message: `${e.pattern} is already listed` },
        };
      state.policy = { ...state.policy, origins: [...state.policy.origins, e] };
      bump();
      return { status: 201, body: { version: state.policy.version, entry: entry(e) } };
    }
    const one = path.startsWith(`${base}/origins/`) && !path.endsWith('/import');
    if (one && (c.method === 'PATCH' || c.method === 'DELETE')) {
      const pattern = decodeURIComponent(path.slice(`${base}/origins/`.length));
      const i = find(pattern);
      if (i < 0)
        return { status: 404, body: { statusCode: 404, error: 'Not Found', message: pattern } };
      const origins = [...state.policy.origins];
      if (c.method === 'DELETE') origins.splice(i, 1);
      else origins[i] = { ...origins[i]!, ...(c.body as object) };
      state.policy = { ...state.policy, origins };
      bump();
      return ok(
        c.method === 'DELETE'
          ? { version: state.policy.version }
          : { version: state.policy.version, entry: entry(origins[i]!) },
      );
    }
    if (c.method === 'POST' && path === `${base}/origins/import`) {
      const lines = String(c.body)
        .split('\n')
        .filter((l) => l.trim() !== '');
      const errors = lines.flatMap((l, i) =>
        /^[a-z][a-z0-9+.-]*:\/\/[^/]+$/.test(l.trim())
          ? []
          : [
              {
                line: i + 1,
                value: l,
                reason: 'invalid-pattern',
                message: `Line ${i + 1}: ${l} is not an origin`,
              },
            ],
      );
      const fresh = lines.filter((l) => find(l.trim()) < 0);
      const dryRun = c.url.searchParams.get('dryRun') === 'true';
      if (!dryRun && errors.length === 0) {
        state.policy = {
          ...state.policy,
          origins: [
            ...state.policy.origins,
            ...fresh.map((p) => ({ pattern: p.trim(), note: null, expiresAt: null })),
          ],
        };
        bump();
      }
      const report = {
        added: errors.length ? 0 : fresh.length,
        unchanged: lines.length - fresh.length,
        errors,
        dryRun,
        version: state.policy.version,
      };
      return { status: errors.length && !dryRun ? 422 : 200, body: report };
    }
    return {
      status: 404,
      body: { statusCode: 404, error: 'Not Found', message: `${c.method} ${path}` },
    };
  };

  const fetchMock = jest.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const headers = (init?.headers ?? {}) as Record<string, string>;
    const raw = init?.body === undefined || init.body === null ? undefined : String(init.body);
    const json = (headers['content-type'] ?? '').startsWith('application/json');
    const c: Call = {
      method: init?.method ?? 'GET',
      url: new URL(String(input), 'http://console.test'),
      headers,
      body: raw !== undefined && json ? JSON.parse(raw) : raw,
    };
    calls.push(c);
    const r = routes[`${c.method} ${c.url.pathname}`]?.(c) ?? builtIn(c);
    return new Response(r.body === undefined ? null : JSON.stringify(r.body), {
      status: r.status,
      headers: { 'content-type': 'application/json', ...r.headers },
    });
  });
  globalThis.fetch = fetchMock as unknown as typeof fetch;
  return { calls, state };
}
