import { canonicalPolicy, parseIfMatch } from './policy-document.js';

describe('parseIfMatch', () => {
  it.each([
    ['"7"', 7],
    ['W/"7"', 7],
    ['7', 7],
    [' "12" ', 12],
  ])('%j -> %i', (h, v) => expect(parseIfMatch(h)).toBe(v));
  it('is undefined when absent and null when unparsable', () => {
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch('')).toBeUndefined();
    expect(parseIfMatch('*')).toBeNull();
    expect(parseIfMatch('"7", "8"')).toBeNull();
    expect(parseIfMatch('"abc"')).toBeNull();
  });
});

describe('canonicalPolicy', () => {
  it('fills absent note/expiresAt with null and normalises instants', () => {
    const doc = canonicalPolicy({
      mode: 'enforce',
      origins: [{ pattern: 'https://a.com', expiresAt: '2026-12-31T00:00:00Z' }],
      allowedMethods: [],
      allowedHeaders: [],
      exposedHeaders: [],
      allowCredentials: false,
      maxAgeSeconds: null,
      allowPrivateNetwork: false,
    });
    expect(doc.origins).toEqual([
      { pattern: 'https://a.com', note: null, expiresAt: '2026-12-31T00:00:00.000Z' },
    ]);
  });
});
