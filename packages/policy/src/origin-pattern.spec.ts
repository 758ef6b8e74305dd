import fc from 'fast-check';
import { isLoopbackHost, isPlainDomain, parseOriginPattern } from './origin-pattern.js';
import type { HostPattern } from './origin-pattern.js';

describe('parseOriginPattern: normalisation (SPEC §2 grammar)', () => {
  it.each([
    // [input, normalised]
    ['https://app.acme.com', 'https://app.acme.com'],
    ['HTTPS://App.ACME.com', 'https://app.acme.com'], // scheme and host are case-insensitive
    ['https://a.com:443', 'https://a.com'], // URL standard: default port dropped
    ['http://a.com:80', 'http://a.com'],
    ['wss://a.com:443', 'wss://a.com'],
    ['https://a.com:8443', 'https://a.com:8443'],
    ['https://a.com:1', 'https://a.com:1'],
    ['https://a.com:65535', 'https://a.com:65535'],
    [`https://${'a'.repeat(63)}.com`, `https://${'a'.repeat(63)}.com`], // RFC 1035: 63 is the longest label
    ['https://bücher.de', 'https://xn--bcher-kva.de'], // IDN stored as punycode
    ['http://127.0.0.1:3000', 'http://127.0.0.1:3000'],
    ['http://[::1]:8080', 'http://[::1]:8080'],
    ['http://[0:0:0:0:0:0:0:1]', 'http://[::1]'], // IPv6 canonicalised
    ['chrome-extension://abcdefghijklmnop', 'chrome-extension://abcdefghijklmnop'], // any RFC 3986 scheme
    ['capacitor://localhost', 'capacitor://localhost'],
    ['capacitor://localhost:8080', 'capacitor://localhost:8080'],
    ['Web+App-1.x://a.com', 'web+app-1.x://a.com'],
    ['https://*.acme.com', 'https://*.acme.com'],
    ['https://*.ACME.com:443', 'https://*.acme.com'],
    ['http://localhost:*', 'http://localhost:*'],
    ['https://*.acme.com:*', 'https://*.acme.com:*'],
    ['http://*.localhost', 'http://*.localhost'],
    ['https://my_host.internal', 'https://my_host.internal'],
    ['*', '*'],
    ['null', 'null'],
  ])('%s → %s', (input, normalised) => {
    const result = parseOriginPattern(input);
    expect(result).toMatchObject({ ok: true, pattern: { normalised } });
  });

  it('describes the parts of a host pattern', () => {
    expect(parseOriginPattern('https://*.acme.com:8443')).toEqual({
      ok: true,
      pattern: {
        kind: 'host',
        normalised: 'https://*.acme.com:8443',
        scheme: 'https',
        host: 'acme.com',
        subdomains: true,
        port: 8443,
        ip: false,
      },
    });
    expect(parseOriginPattern('http://10.0.0.1')).toMatchObject({ pattern: { ip: true } });
    expect(parseOriginPattern('http://a.b.c.d')).toMatchObject({ pattern: { ip: false } });
    expect(parseOriginPattern('http://1.2.3.d')).toMatchObject({ pattern: { ip: false } });
  });
});

describe('parseOriginPattern: refusals (SPEC §2 validation)', () => {
  it.each([
    ['', 'empty-pattern'],
    ['app.acme.com', 'invalid-origin'], // no scheme
    ['https://a.com ', 'invalid-origin'], // whitespace
    ['https://a\tb.com', 'invalid-origin'],
    ['1https://a.com', 'invalid-scheme'],
    ['*://a.com', 'invalid-scheme'],
    ['we_b://a.com', 'invalid-scheme'],
    ['://a.com', 'invalid-scheme'],
    ['https://a.com/', 'trailing-slash'],
    ['https://a.com/path', 'has-path'],
    ['https://a.com?x=1', 'has-query'],
    ['https://a.com#top', 'has-fragment'],
    ['https://user:pw@a.com', 'has-userinfo'],
    ['https://user@a.com', 'has-userinfo'],
    ['https://a.com:', 'invalid-port'],
    ['https://a.com:99999', 'invalid-port'],
    ['https://a.com:65536', 'invalid-port'], // URL standard: at most 2^16 - 1
    ['https://a.com:0', 'invalid-port'], // Fetch §2.9: port 0 is a bad port
    ['https://a.com:08443', 'invalid-port'], // URL serialiser: no leading zeros
    ['https://a.com:0443', 'invalid-port'],
    ['http://localhost:00', 'invalid-port'],
    ['https://a.com:123456', 'invalid-port'],
    ['https://a.com:8a', 'invalid-port'],
    ['https://a:b:c', 'invalid-host'],
    ['https://[::1', 'invalid-host'],
    ['https://[::1]x', 'invalid-host'],
    ['https://[zz::1]', 'invalid-host'],
    ['https://', 'invalid-host'],
    ['https://a%2Ecom', 'invalid-host'], // percent-encoding is not an origin
    ['https://a\\b.com', 'invalid-host'], // backslash trick
    ['https://a..com', 'invalid-host'],
    ['https://a.com.', 'invalid-host'],
    [`https://${'a'.repeat(64)}.com`, 'invalid-host'],
    ['https://xn--zz.com', 'invalid-host'], // invalid punycode
    ['https://a.*.com', 'invalid-wildcard'],
    ['https://*', 'invalid-wildcard'],
    ['https://*a.com', 'invalid-wildcard'],
    ['https://*.*.a.com', 'invalid-wildcard'],
    ['https://*.10.0.0.1', 'invalid-wildcard'],
    ['https://*.[::1]', 'invalid-host'],
    ['https://*.com', 'public-suffix-wildcard'],
    ['https://*.co.uk', 'public-suffix-wildcard'],
    ['https://*.github.io', 'public-suffix-wildcard'], // private-section suffixes count too
    ['https://*.internal', 'public-suffix-wildcard'], // unknown TLDs are suffixes by the default rule
  ])('%j is refused: %s', (input, reason) => {
    expect(parseOriginPattern(input)).toMatchObject({ ok: false, reason });
  });

  it('names the reason in its message', () => {
    const result = parseOriginPattern('https://*.co.uk');
    expect(!result.ok && result.message).toContain('co.uk');
  });
});

describe('isLoopbackHost', () => {
  const host = (pattern: string) =>
    (parseOriginPattern(pattern) as { pattern: HostPattern }).pattern;
  it.each([
    ['http://localhost:3000', true],
    ['http://*.localhost', true],
    ['http://127.0.0.1', true],
    ['http://[::1]', true],
    ['http://127.example.com', false],
    ['http://10.0.0.1', false],
    ['http://example.com', false],
  ])('%s → %s', (pattern, loopback) => {
    expect(isLoopbackHost(host(pattern))).toBe(loopback);
  });
});

describe('isPlainDomain: the fast path agrees with the URL parser (WHATWG URL, host parsing)', () => {
  const hostCharacters = fc.constantFrom(...'abcXYZ019-_.'.split(''), 'xn--', 'Xn--', '0x');

  it('every host it takes is the URL parser hostname, lower-cased', () => {
    fc.assert(
      fc.property(fc.array(hostCharacters, { minLength: 1, maxLength: 12 }), (parts) => {
        const host = parts.join('');
        if (!isPlainDomain(host)) return;
        expect(new URL(`http://${host}/`).hostname).toBe(host.toLowerCase());
      }),
      { numRuns: 5000, seed: 20261202 },
    );
  });

  it.each([
    ['app.example.com', true],
    ['App_1.Example-Site.COM', true],
    ['a.com.', true], // the trailing empty label is refused later, as the parser would keep it
    ['xn--bcher-kva.de', false], // punycode: the parser decodes and checks it
    ['XN--bcher-kva.de', false],
    ['ab--cd.example', false], // `--` in third and fourth place: left to the parser's IDNA checks
    ['127.0.0.1', false], // ends in a number: the URL standard's IPv4 parser
    ['a.0x7f', false], // a hexadecimal last label is a number too
    ['example.1com', false], // starts with a digit: left to the parser, which keeps it as a domain
    ['bücher.de', false], // non-ASCII: IDNA
    ['a b.com', false],
  ])('%s → %s', (host, plain) => {
    expect(isPlainDomain(host)).toBe(plain);
  });
});

describe('parseOriginPattern: memoised parses', () => {
  it('answers a pattern seen before with the same frozen result', () => {
    const first = parseOriginPattern('https://memo.example.com');
    expect(parseOriginPattern('https://memo.example.com')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('does not keep refusals or inputs too long to be an origin', () => {
    expect(parseOriginPattern('https://memo.example.com/')).not.toBe(
      parseOriginPattern('https://memo.example.com/'),
    );
    const long = `https://${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(40)}.example`;
    expect(parseOriginPattern(long)).not.toBe(parseOriginPattern(long));
    expect(parseOriginPattern(long)).toEqual(parseOriginPattern(long));
  });

  it('stays correct past two generations (200,000 distinct patterns)', () => {
    const early = parseOriginPattern('https://early.memo.example');
    for (let i = 0; i < 200_001; i++) parseOriginPattern(`https://h${i}.memo.example`);
    const again = parseOriginPattern('https://early.memo.example');
    expect(again).not.toBe(early); // evicted, parsed anew
    expect(again).toEqual(early);
    expect(parseOriginPattern('https://h200000.memo.example')).toEqual({
      ok: true,
      pattern: expect.objectContaining({ normalised: 'https://h200000.memo.example' }),
    });
  });
});
