import { describe, expect, it } from '@jest/globals';
import { keySnippets } from './key-snippets.js';

describe('keySnippets', () => {
  it('uses the real address and the key; a platform key names its tenant', () => {
    const tenantKey = keySnippets('http://cors.internal:3000', 'cpk_live_abc', null);
    expect(tenantKey.curl).toBe(
      "curl -s -H 'Authorization: Bearer cpk_live_abc' \\\n  'http://cors.internal:3000/resolve?origin=https%3A%2F%2Fapp.example.com'",
    );
    expect(tenantKey.nginx).toContain('  server cors.internal:3000;');
    expect(tenantKey.nginx).toContain('  default "cpk_live_abc";');
    expect(tenantKey.sdk).toContain("serviceUrl: 'http://cors.internal:3000',");
    expect(tenantKey.sdk).not.toContain('tenant:');

    const platform = keySnippets('https://cors.example.net/', 'cpk_live_p', 'acme');
    expect(platform.curl).toContain('&tenant=acme');
    expect(platform.nginx).toContain('  server cors.example.net:443;');
    expect(platform.nginx).toContain('  default "acme";');
    expect(platform.sdk).toContain("  tenant: 'acme',");
  });
});
