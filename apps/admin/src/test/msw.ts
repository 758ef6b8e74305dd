import { afterAll, afterEach, beforeAll } from '@jest/globals';
import { setupServer } from 'msw/node';
import { http, HttpResponse, type RequestHandler } from 'msw';
import type { Me } from '@corsplane/contracts';

export { http, HttpResponse };

/**
 * MSW for component tests: the console's own fetch calls (same-origin paths) answered by handlers, on the
 * real fetch, Request and Response. A request no handler answers fails the test.
 */
export function useMockApi(...defaults: RequestHandler[]) {
  const server = setupServer(...defaults);
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

/** `GET /v1/auth/me` answered with `me`. */
export const meHandler = (me: Me) => http.get('*/v1/auth/me', () => HttpResponse.json(me));
