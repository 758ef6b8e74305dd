import { describe, expect, it } from '@jest/globals';
import { e2eEnv, signInAsAdmin, useConsoleSuite } from './support/harness.js';

/** Issue 16's budget for the JavaScript a browser downloads to reach the tenant list. */
const TENANT_LIST_JS_BUDGET = 300 * 1024;

describe('console delivery', () => {
  const suite = useConsoleSuite();

  it('sends its assets precompressed: brotli, then gzip, else identity', async () => {
    const { baseUrl } = e2eEnv();
    const html = await (await fetch(`${baseUrl}/tenants`)).text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1] as string;
    const identity = await fetch(`${baseUrl}${asset}`, {
      headers: { 'accept-encoding': 'identity' },
    });
    const plain = Buffer.from(await identity.arrayBuffer());
    expect(identity.headers.get('content-encoding')).toBeNull();
    for (const encoding of ['br', 'gzip']) {
      // node's fetch decodes the body; the length on the wire is the encoded file's.
      const res = await fetch(`${baseUrl}${asset}`, { headers: { 'accept-encoding': encoding } });
      expect(res.headers.get('content-encoding')).toBe(encoding);
      expect(res.headers.get('vary')).toMatch(/accept-encoding/i);
      expect(Number(res.headers.get('content-length'))).toBeLessThan(plain.length / 2);
      expect(Buffer.from(await res.arrayBuffer()).equals(plain)).toBe(true);
    }
  });

  it('reaches the tenant list with less than 300 KB of JavaScript on the wire', async () => {
    const { page } = suite.session;
    const scripts: Promise<number>[] = [];
    page.on('requestfinished', (request) => {
      if (request.resourceType() === 'script')
        scripts.push(request.sizes().then((s) => s.responseBodySize));
    });
    await signInAsAdmin(page, '/tenants');
    await page.getByTestId('tenant-row-demo').waitFor();
    const bytes = (await Promise.all(scripts)).reduce((a, b) => a + b, 0);
    console.log(`JavaScript transferred to reach the tenant list: ${(bytes / 1024).toFixed(1)} KB`);
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThan(TENANT_LIST_JS_BUDGET);
  });
});
