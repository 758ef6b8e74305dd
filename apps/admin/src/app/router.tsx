import type { QueryClient } from '@tanstack/react-query';
import { createBrowserRouter, Navigate, type RouteObject } from 'react-router';
import { AppLayout } from './routes/app-layout.js';
import { SignInRoute } from './routes/sign-in.js';
import { TenantLayout } from './routes/tenant-layout.js';
import { NotFoundRoute } from './routes/not-found.js';
import { RouteError } from './routes/route-error.js';
// Not through the feature's index.ts: that would pull the whole editor into the shell's chunk.
import { prefetchPolicyEditor } from '../features/policy/prefetch.js';

// Pages load on first visit (one chunk each): the policy engine's public-suffix list, the charts
// and each form stay out of the first download. A page that fails to load (a tab open across a
// redeploy asks for chunks that are gone) or to render shows RouteError, not a blank screen.
export function createRouter(queryClient: QueryClient) {
  return createBrowserRouter(consoleRoutes(queryClient));
}

export function consoleRoutes(queryClient?: QueryClient): RouteObject[] {
  return [
    { path: '/sign-in', element: <SignInRoute />, errorElement: <RouteError /> },
    // Public, outside the signed-in shell: the invitee has no session yet.
    {
      path: '/invite/:token',
      errorElement: <RouteError />,
      lazy: async () => ({
        Component: (await import('./routes/accept-invitation.js')).AcceptInvitationRoute,
      }),
    },
    {
      path: '/',
      element: <AppLayout />,
      errorElement: <RouteError />,
      children: [
        // A page's failure shows inside the shell, so the navigation stays usable.
        { errorElement: <RouteError />, children: pages(queryClient) },
      ],
    },
  ];
}

function pages(queryClient?: QueryClient): RouteObject[] {
  return [
    { index: true, element: <Navigate to="/tenants" replace /> },
    {
      path: 'tenants',
      lazy: async () => ({ Component: (await import('./routes/tenants.js')).TenantsRoute }),
    },
    {
      path: 'tenants/:slug',
      element: <TenantLayout />,
      children: [
        { index: true, element: <Navigate to="policy" replace /> },
        {
          path: 'policy',
          // The editor's reads start with the route, in parallel with the session check and the
          // page's code (never awaited: the page shows its own loading states).
          loader: ({ params }) => {
            if (queryClient && params.slug) prefetchPolicyEditor(queryClient, params.slug);
            return null;
          },
          lazy: async () => ({ Component: (await import('./routes/policy.js')).PolicyRoute }),
        },
        {
          path: 'test',
          lazy: async () => ({
            Component: (await import('./routes/test-origin.js')).TestOriginRoute,
          }),
        },
        {
          path: 'candidate',
          lazy: async () => ({
            Component: (await import('./routes/candidate.js')).CandidateRoute,
          }),
        },
        {
          path: 'blocked',
          lazy: async () => ({
            Component: (await import('./routes/blocked-origins.js')).BlockedOriginsRoute,
          }),
        },
        {
          path: 'versions',
          lazy: async () => ({
            Component: (await import('./routes/versions.js')).VersionsRoute,
          }),
        },
        {
          path: 'keys',
          lazy: async () => ({ Component: (await import('./routes/keys.js')).KeysRoute }),
        },
      ],
    },
    {
      path: 'audit',
      lazy: async () => ({ Component: (await import('./routes/audit.js')).AuditRoute }),
    },
    {
      path: 'tokens',
      lazy: async () => ({ Component: (await import('./routes/tokens.js')).TokensRoute }),
    },
    {
      path: 'platform/policy',
      lazy: async () => ({
        Component: (await import('./routes/platform-policy.js')).PlatformPolicyRoute,
      }),
    },
    {
      path: 'platform/keys',
      lazy: async () => ({
        Component: (await import('./routes/platform-keys.js')).PlatformKeysRoute,
      }),
    },
    {
      path: 'users',
      lazy: async () => ({ Component: (await import('./routes/users.js')).UsersRoute }),
    },
    { path: '*', element: <NotFoundRoute /> },
  ];
}
