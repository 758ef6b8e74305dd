import type { QueryClient } from '@tanstack/react-query';
import { createBrowserRouter, Navigate } from 'react-router';
import { AppLayout } from './routes/app-layout.js';
import { SignInRoute } from './routes/sign-in.js';
import { TenantsRoute } from './routes/tenants.js';
import { TenantLayout } from './routes/tenant-layout.js';
import { PolicyRoute } from './routes/policy.js';
import { TestOriginRoute } from './routes/test-origin.js';
import { BlockedOriginsRoute } from './routes/blocked-origins.js';
import { VersionsRoute } from './routes/versions.js';
import { KeysRoute } from './routes/keys.js';
import { AuditRoute } from './routes/audit.js';
import { UsersRoute } from './routes/users.js';
import { NotFoundRoute } from './routes/not-found.js';

export function createRouter(_queryClient: QueryClient) {
  return createBrowserRouter([
    { path: '/sign-in', element: <SignInRoute /> },
    {
      path: '/',
      element: <AppLayout />,
      children: [
        { index: true, element: <Navigate to="/tenants" replace /> },
        { path: 'tenants', element: <TenantsRoute /> },
        {
          path: 'tenants/:slug',
          element: <TenantLayout />,
          children: [
            { index: true, element: <Navigate to="policy" replace /> },
            { path: 'policy', element: <PolicyRoute /> },
            { path: 'test', element: <TestOriginRoute /> },
            { path: 'blocked', element: <BlockedOriginsRoute /> },
            { path: 'versions', element: <VersionsRoute /> },
            { path: 'keys', element: <KeysRoute /> },
          ],
        },
        { path: 'audit', element: <AuditRoute /> },
        { path: 'users', element: <UsersRoute /> },
        { path: '*', element: <NotFoundRoute /> },
      ],
    },
  ]);
}
