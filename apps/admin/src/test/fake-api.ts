import { jest } from '@jest/globals';

// A fake fetch for component tests: routes by "METHOD /path", records every call. The real API is exercised
// by the Playwright suite (e2e/).
export interface Call {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

export function fakeApi(
  routes: Record<
    string,
    (c: Call) => { status: number; body?: unknown; headers?: Record<string, string> }
  >,
) {
  const calls: Call[] = [];
  const fetchMock = jest.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const c: Call = {
      method: init?.method ?? 'GET',
      url: String(input),
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    };
    calls.push(c);
    const key = `${c.method} ${c.url.split('?')[0]}`;
    const handler = routes[key];
    const r = handler
      ? handler(c)
      : { status: 404, body: { statusCode: 404, error: 'Not Found', message: key } };
    return new Response(r.body === undefined ? null : JSON.stringify(r.body), {
      status: r.status,
      headers: { 'content-type': 'application/json', ...r.headers },
    });
  });
  globalThis.fetch = fetchMock as unknown as typeof fetch;
  return calls;
}

export const ok = (body: unknown, headers?: Record<string, string>) => ({
  status: 200,
  body,
  headers,
});
