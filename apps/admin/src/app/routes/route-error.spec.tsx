import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import { createMemoryRouter, Outlet, RouterProvider, type RouteObject } from 'react-router';
import { consoleRoutes } from '../router.js';
import { isChunkLoadError, RouteError } from './route-error.js';

function Shell() {
  return (
    <div>
      <nav>console navigation</nav>
      <Outlet />
    </div>
  );
}

/** The console's layout: a shell whose pages fail inside it (as in app/router.tsx). */
function renderAt(page: RouteObject) {
  const router = createMemoryRouter(
    [
      {
        path: '/',
        element: <Shell />,
        errorElement: <RouteError />,
        children: [{ errorElement: <RouteError />, children: [{ path: 'page', ...page }] }],
      },
    ],
    { initialEntries: ['/page'] },
  );
  render(
    <MantineProvider>
      <RouterProvider router={router} />
    </MantineProvider>,
  );
}

describe('RouteError', () => {
  // React logs the errors these tests cause on purpose.
  beforeEach(() => {
    jest.spyOn(console, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it.each([
    'Failed to fetch dynamically imported module: https://c.example/assets/policy-1a2b.js', // Chromium
    'error loading dynamically imported module: https://c.example/assets/policy-1a2b.js', // Firefox
    'Importing a module script failed.', // Safari
  ])('recognises a page chunk that failed to load: %s', (message) => {
    expect(isChunkLoadError(new TypeError(message))).toBe(true);
  });

  it('does not take other errors for a stale chunk', () => {
    expect(isChunkLoadError(new TypeError('x is not a function'))).toBe(false);
    expect(isChunkLoadError(new Error('Failed to fetch dynamically imported module'))).toBe(false);
    expect(isChunkLoadError('Importing a module script failed.')).toBe(false);
  });

  it('asks for a reload when a page chunk is gone after a redeploy, inside the shell', async () => {
    renderAt({
      lazy: () =>
        Promise.reject(new TypeError('Failed to fetch dynamically imported module: /assets/x.js')),
    });
    expect(await screen.findByText('The console was updated')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Reload' })).toBeInTheDocument();
    expect(screen.getByText('console navigation')).toBeInTheDocument();
  });

  it('is what the console routes use: for the public pages, the shell, and inside it for every page', () => {
    const routes = consoleRoutes();
    expect(routes.map((r) => r.path)).toEqual(['/sign-in', '/invite/:token', '/']);
    for (const route of routes) expect(route.errorElement).toEqual(<RouteError />);
    const shell = routes[2];
    const [pages] = shell?.children ?? [];
    expect(pages?.path).toBeUndefined();
    expect(pages?.errorElement).toEqual(<RouteError />);
    expect(pages?.children?.map((r) => r.path ?? '(index)')).toEqual([
      '(index)',
      'tenants',
      'tenants/:slug',
      'audit',
      'tokens',
      'platform/policy',
      'platform/keys',
      'users',
      '*',
    ]);
  });

  it('names the error when a page fails to render', async () => {
    function Broken(): never {
      throw new Error('policy document is missing its origins');
    }
    renderAt({ element: <Broken /> });
    expect(await screen.findByText('This page failed')).toBeInTheDocument();
    expect(screen.getByText('policy document is missing its origins')).toBeInTheDocument();
    expect(screen.getByText('console navigation')).toBeInTheDocument();
  });
});
