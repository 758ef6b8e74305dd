import {
  MAX_HOST_LENGTH,
  MAX_LABEL_LENGTH,
  MAX_ORIGIN_LENGTH,
  parseRequestOrigin,
} from './request-origin.js';

/** Three 63-character labels and a 61-character one: 253 characters. */
const HOST_253 = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;

describe('parseRequestOrigin: serialised origins only (HTML "ASCII serialization of an origin")', () => {
  it.each([
    ['https://app.acme.com', { scheme: 'https', host: 'app.acme.com', port: '' }],
    ['http://localhost:5173', { scheme: 'http', host: 'localhost', port: '5173' }],
    ['http://[::1]:8080', { scheme: 'http', host: '[::1]', port: '8080' }],
    ['http://[::ffff:102:304]', { scheme: 'http', host: '[::ffff:102:304]', port: '' }],
    ['chrome-extension://abcdef', { scheme: 'chrome-extension', host: 'abcdef', port: '' }],
    ['web+app://x_y.a-b.c', { scheme: 'web+app', host: 'x_y.a-b.c', port: '' }],
    ['http://a.com:1', { scheme: 'http', host: 'a.com', port: '1' }],
    ['http://a.com:65535', { scheme: 'http', host: 'a.com', port: '65535' }],
    // URL standard IPv4 serialiser: four decimal parts, 0-255, no leading zeros.
    ['http://1.2.3.4', { scheme: 'http', host: '1.2.3.4', port: '' }],
    ['http://255.255.255.255', { scheme: 'http', host: '255.255.255.255', port: '' }],
    ['http://10.0.0.1:8080', { scheme: 'http', host: '10.0.0.1', port: '8080' }],
    // A number only in a label that is not the last one is a domain.
    ['http://123.example.com', { scheme: 'http', host: '123.example.com', port: '' }],
    ['http://0x1.example.com', { scheme: 'http', host: '0x1.example.com', port: '' }],
    ['http://a.0xg', { scheme: 'http', host: 'a.0xg', port: '' }], // not hex: a domain
    ['http://a.1x', { scheme: 'http', host: 'a.1x', port: '' }],
    // Non-special schemes have opaque hosts: no IPv4 parsing (URL standard).
    ['foo://a.123', { scheme: 'foo', host: 'a.123', port: '' }],
    // RFC 1035 §2.3.4 (SPEC §3): 63-character labels, 253-character hosts.
    [`https://${'a'.repeat(63)}.com`, { scheme: 'https', host: `${'a'.repeat(63)}.com`, port: '' }],
    [`https://${HOST_253}:8443`, { scheme: 'https', host: HOST_253, port: '8443' }],
    [
      'http://[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]',
      { scheme: 'http', host: '[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]', port: '' },
    ],
  ])('%s parses', (value, parts) => {
    expect(parseRequestOrigin(value)).toEqual(parts);
  });

  it.each([
    '',
    'null', // handled by the caller, never a tuple origin
    'HTTPS://a.com', // browsers serialise lower case
    'https://A.com',
    '1http://a.com',
    'ht tp://a.com',
    'https:/a.com',
    'https:a.com',
    'https//a.com',
    'https://',
    'https://a.com/',
    'https://a.com/path',
    'https://a.com?x',
    'https://a.com#x',
    'https://user@a.com',
    'https://a.com\\@b.com',
    'https://a%2Ecom',
    'https://a.com:443', // default port is never serialised
    'http://a.com:80',
    'https://a.com:',
    'https://a.com:0443',
    'https://a.com:65536',
    'http://a.com:0', // Fetch §2.9: port 0 is a bad port, no document has an origin on it
    'http://a.com:00',
    // URL standard host parser: a last label that is a number makes the host an IPv4 address,
    // which the serialiser writes as four decimal parts without leading zeros.
    'http://a.123', // ends in a number but is no IPv4 address: the URL parser fails
    'http://example.0x1f',
    'http://a.0x',
    'http://127.1', // sent as http://127.0.0.1
    'http://1.2.3',
    'http://1.2.3.4.5',
    'http://256.0.0.1',
    'http://01.2.3.4',
    'http://1.2.3.04',
    'http://0x7f.0.0.1',
    'http://1.2..4',
    'wss://1.2.3',
    // RFC 1035 §2.3.4 (SPEC §3): labels over 63 characters, hosts over 253.
    `https://${'a'.repeat(64)}.com`,
    `https://${HOST_253}x`,
    `https://${HOST_253}x:8443`,
    `https://x.${HOST_253}`,
    // The URL serialiser writes IPv6 as at most 39 hex digits and colons, never a dotted tail.
    'http://[::ffff:1.2.3.4]',
    'http://[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff:]',
    'https://a.com:123456',
    'https://a.com:8a',
    'https://a.com:8443:1',
    'https://a..com',
    'https://.a.com',
    'https://a.com.',
    'https://a.com, https://b.com', // several origins
    'https://a.com https://b.com',
    ' https://a.com',
    'https://a.com\t',
    'https://bücher.de', // non-ASCII: browsers send punycode
    'https://[::1',
    'https://[]',
    'https://[::G]',
    'https://[::1]x',
  ])('%j is malformed', (value) => {
    expect(parseRequestOrigin(value)).toBeNull();
  });

  it(`refuses values over ${MAX_ORIGIN_LENGTH} bytes without reading them`, () => {
    const long = `x${'a'.repeat(MAX_ORIGIN_LENGTH)}://a.com`;
    expect(parseRequestOrigin(long)).toBeNull();
    // Only a long scheme reaches the limit: a host stops at 253 characters.
    const atLimit = `x${'a'.repeat(MAX_ORIGIN_LENGTH - 'x://a.com'.length)}://a.com`;
    expect(atLimit).toHaveLength(MAX_ORIGIN_LENGTH);
    expect(parseRequestOrigin(atLimit)).not.toBeNull();
  });

  it('takes hosts and labels up to the DNS limits, not one character more (RFC 1035 §2.3.4)', () => {
    const label = 'a'.repeat(MAX_LABEL_LENGTH);
    expect(parseRequestOrigin(`https://${label}.com`)).not.toBeNull();
    expect(parseRequestOrigin(`https://${label}a.com`)).toBeNull();
    expect(HOST_253).toHaveLength(MAX_HOST_LENGTH);
    expect(parseRequestOrigin(`https://${HOST_253}`)).not.toBeNull();
    // Its last label grows to 62 characters: only the host length is over.
    expect(parseRequestOrigin(`https://${HOST_253}d`)).toBeNull();
  });
});
