import { describe, expect, it } from '@jest/globals';
import { suggestPatterns } from './suggest-patterns.js';

describe('suggestPatterns (Blocked origins → Allow)', () => {
  it('proposes the exact origin first, then each wildcard it fits, never on a public suffix', () => {
    expect(suggestPatterns('https://pr-12.preview.acme.co.uk').map((s) => s.pattern)).toEqual([
      'https://pr-12.preview.acme.co.uk',
      'https://*.preview.acme.co.uk',
      'https://*.acme.co.uk',
    ]);
  });

  it('normalises case and default ports like the engine stores them', () => {
    expect(suggestPatterns('HTTPS://App.Example.com:443')[0]?.pattern).toBe(
      'https://app.example.com',
    );
  });

  it('keeps a non-default port on wildcards and offers any-port for loopback', () => {
    expect(suggestPatterns('http://localhost:5173').map((s) => s.pattern)).toEqual([
      'http://localhost:5173',
      'http://localhost:*',
    ]);
    expect(suggestPatterns('https://a.b.example.com:8443').map((s) => s.pattern)).toEqual([
      'https://a.b.example.com:8443',
      'https://*.b.example.com:8443',
      'https://*.example.com:8443',
    ]);
  });

  it('has nothing for a malformed origin and only the exact entry for null', () => {
    expect(suggestPatterns('https://a.com/path')).toEqual([]);
    expect(suggestPatterns('null').map((s) => s.pattern)).toEqual(['null']);
  });
});
