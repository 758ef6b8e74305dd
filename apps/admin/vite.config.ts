import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { precompress } from './build/precompress.js';

// The API (npm run dev:api) listens on :3000; the console is same-origin through this proxy, so the
// SameSite=Strict session cookie and the API's same-site write check work as in production.
const API = process.env.CORSPLANE_API_URL ?? 'http://127.0.0.1:3000';
const proxied = ['/v1', '/resolve', '/healthz', '/readyz', '/metrics', '/docs'];

export default defineConfig({
  plugins: [react(), precompress()],
  resolve: { conditions: ['@corsplane/source'] },
  build: { outDir: 'dist', emptyOutDir: true },
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: Object.fromEntries(proxied.map((p) => [p, { target: API, changeOrigin: false }])),
  },
});
