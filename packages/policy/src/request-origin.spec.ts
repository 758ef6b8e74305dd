import { MAX_ORIGIN_LENGTH, parseRequestOrigin } from './request-origin.js';

describe('parseRequestOrigin: serialised origins only (HTML "ASCII serialization of an origin")', () => {
  it.each([
    ['https://app.acme.com', { scheme: 'https', host: 'app.acme.com', port: '' }],
    ['http://localhost:5173', { scheme: 'http', host: 'localhost', port: '5173' }],
    ['http://[::1]:8080', { scheme: 'http', host: '[::1]', port: '8080' }],
    ['http://[::ffff:102:304]', { scheme: 'http', host: '[::ffff:102:304]', port: '' }],
    ['chrome-extension://abcdef', { scheme: 'chrome-extension', host: 'abcdef', port: '' }],
    ['web+app://x_y.a-b.c', { scheme: 'web+app', host: 'x_y.a-b.c', port: '' }],
    ['http://a.com:0', { scheme: 'http', host: 'a.com', port: '0' }],
    ['http://a.com:65535', { scheme: 'http', host: 'a.com', port: '65535' }],
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
    const long = `https://${'a'.repeat(MAX_ORIGIN_LENGTH)}.com`;
    expect(parseRequestOrigin(long)).toBeNull();
    const atLimit = `https://${'a'.repeat(MAX_ORIGIN_LENGTH - 'https://.com'.length)}.com`;
    expect(atLimit).toHaveLength(MAX_ORIGIN_LENGTH);
    expect(parseRequestOrigin(atLimit)).not.toBeNull();
  });
});
