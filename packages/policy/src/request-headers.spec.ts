import {
  checkRequestHeaders,
  MAX_REQUEST_HEADER_NAMES,
  MAX_REQUEST_HEADERS_LENGTH,
} from './request-headers.js';

const listed = { names: new Set(['content-type', 'authorization', 'x-trace-id']), any: false };
const wildcard = { names: new Set<string>(), any: true };

describe('checkRequestHeaders (Fetch §3.2.3, Access-Control-Request-Headers)', () => {
  it.each([
    ['content-type', listed, 'allowed'],
    ['authorization,content-type', listed, 'allowed'], // the browser's form: sorted, lower case
    ['Content-Type, X-Trace-Id', listed, 'allowed'], // names compare case-insensitively
    [' content-type ,\tauthorization\t', listed, 'allowed'], // optional whitespace
    ['content-type,content-type', listed, 'allowed'], // duplicates
    ['content-type,,authorization', listed, 'allowed'], // empty elements
    ['', listed, 'allowed'],
    ['x-other', listed, 'not-allowed'],
    ['content-type,x-other', listed, 'not-allowed'],
    ['x-anything,x-other', wildcard, 'allowed'],
    // Fetch §3.2.3: the `*` wildcard never covers Authorization.
    ['authorization', wildcard, 'not-allowed'],
    ['Authorization', wildcard, 'not-allowed'],
    ['content type', listed, 'malformed'],
    ['content-type;x', listed, 'malformed'],
    [';x', listed, 'malformed'],
    ['x-é', listed, 'malformed'],
    ['x-other,bad header', listed, 'malformed'], // syntax is checked even after a refusal
  ] as const)('%j → %s', (value, allow, verdict) => {
    expect(checkRequestHeaders(value, allow)).toBe(verdict);
  });

  it(`refuses more than ${MAX_REQUEST_HEADER_NAMES} names`, () => {
    const names = (n: number) => Array.from({ length: n }, (_, i) => `x-${i}`).join(',');
    expect(checkRequestHeaders(names(MAX_REQUEST_HEADER_NAMES), wildcard)).toBe('allowed');
    expect(checkRequestHeaders(names(MAX_REQUEST_HEADER_NAMES + 1), wildcard)).toBe('malformed');
  });

  it(`refuses values over ${MAX_REQUEST_HEADERS_LENGTH} bytes before reading them`, () => {
    expect(checkRequestHeaders('x'.repeat(MAX_REQUEST_HEADERS_LENGTH + 1), wildcard)).toBe(
      'malformed',
    );
  });
});
