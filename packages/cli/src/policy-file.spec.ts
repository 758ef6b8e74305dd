import { formatOf, parsePolicyFile, serialisePolicyFile, type PolicyFile } from './policy-file.js';

const content: PolicyFile = {
  tenants: { acme: { mode: 'enforce', origins: [{ pattern: 'https://a.test' }], version: 3 } },
  platform: { origins: [{ pattern: 'https://{tenant}.app.test', note: 'console' }], version: 2 },
};

describe('policy file', () => {
  it.each(['yaml', 'json'] as const)('round-trips through %s', (format) => {
    expect(parsePolicyFile(serialisePolicyFile(content, format), format, `f.${format}`)).toEqual(
      content,
    );
  });

  it('picks the format from the extension and refuses others', () => {
    expect(formatOf('cors.yml')).toBe('yaml');
    expect(formatOf('CORS.JSON')).toBe('json');
    expect(() => formatOf('cors.toml')).toThrow('cors.toml: use a .yaml, .yml or .json file');
  });

  it.each([
    ['not: [valid', 'yaml', 'f is not valid YAML'],
    ['{"tenants": ', 'json', 'f is not valid JSON'],
    ['[]', 'json', 'expected an object with "tenants" and/or "platform"'],
    ['{"tenant": {}}', 'json', 'unknown top-level key(s) tenant'],
    ['{"tenants": []}', 'json', '"tenants" must map each tenant slug to its policy'],
    ['{"tenants": {"acme": 1}}', 'json', 'tenants.acme must be a policy object'],
    [
      '{"tenants": {"acme": {"version": "7"}}}',
      'json',
      'tenants.acme.version must be a positive integer',
    ],
    ['{"platform": {"origins": {}}}', 'json', '"platform" must be { origins: [...] }'],
    ['{"tenants": {}}', 'json', 'no tenants and no platform section'],
  ] as const)('refuses %s with a message naming the problem', (text, format, message) => {
    expect(() => parsePolicyFile(text, format, 'f')).toThrow(message);
  });
});
