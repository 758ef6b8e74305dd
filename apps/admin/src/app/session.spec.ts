import { safeNext } from './session.js';

const ORIGIN = 'https://console.example';

describe('safeNext (where sign-in returns to)', () => {
  it.each([
    ['/tenants/acme/policy', '/tenants/acme/policy'],
    ['/audit?tenant=acme#top', '/audit?tenant=acme#top'],
    ['/tenants/a%2Fb', '/tenants/a%2Fb'],
  ])('keeps the console path %s', (next, expected) => {
    expect(safeNext(next, ORIGIN)).toBe(expected);
  });

  it.each([
    null,
    '',
    'https://evil.com/',
    '//evil.com',
    '/\\evil.com',
    '\\/evil.com',
    '/\\/evil.com',
    '/%5Cevil.com',
    '/\tevil.com',
    '/\n/evil.com',
    'javascript:alert(1)',
    '/sign-in?next=/x',
    '/sign-in',
    'tenants',
  ])('sends %j to the tenants list instead', (next) => {
    expect(safeNext(next, ORIGIN)).toBe('/tenants');
  });
});
