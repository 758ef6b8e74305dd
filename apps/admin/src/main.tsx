import './app/zod-config.js';
import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './app/global.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router';
import { Providers } from './app/providers.js';
import { createQueryClient } from './app/query-client.js';
import { createRouter } from './app/router.js';
import { installSessionExpiry } from './app/session.js';

const queryClient = createQueryClient();
const router = createRouter(queryClient);
installSessionExpiry(queryClient, (to) => void router.navigate(to, { replace: true }));

const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
createRoot(root).render(
  <StrictMode>
    <Providers queryClient={queryClient}>
      <RouterProvider router={router} />
    </Providers>
  </StrictMode>,
);
