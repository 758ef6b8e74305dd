import { describe, expect, it } from '@jest/globals';
import { isConsolePath } from './console-paths.js';

describe('isConsolePath (SPA fallback to index.html)', () => {
  it.each([
    '/',
    '/tenants',
    '/tenants/acme/policy',
    '/tenants/acme/policy?allow=https://a.example.com',
    '/sign-in?next=%2Faudit',
  ])('serves the console for %s', (url) => expect(isConsolePath(url)).toBe(true));

  it.each([
    '/v1',
    '/v1/tenants',
    '/resolve',
    '/resolve/events',
    '/healthz',
    '/readyz',
    '/metrics',
    '/docs',
    '/docs-json',
    '/docs/swagger-ui.css',
    '/assets/missing.js',
    '/favicon.ico',
  ])('never for API or file paths: %s', (url) => expect(isConsolePath(url)).toBe(false));
});
