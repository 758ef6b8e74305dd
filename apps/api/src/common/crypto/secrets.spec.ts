import {
  digestsEqual,
  hashPassword,
  newPrefixedSecret,
  prefixOf,
  sha256,
  verifyPassword,
} from './secrets.js';

describe('secrets', () => {
  it('hashes passwords with scrypt and verifies them', async () => {
    const h = await hashPassword('s3cret-password');
    expect(h).toMatch(/^scrypt\$16384\$8\$1\$/);
    await expect(verifyPassword('s3cret-password', h)).resolves.toBe(true);
    await expect(verifyPassword('other', h)).resolves.toBe(false);
    await expect(verifyPassword('x', 'garbage')).resolves.toBe(false);
  });

  it('makes prefixed secrets whose prefix is recoverable and whose hash compares in constant time', () => {
    const { prefix, secret, hash } = newPrefixedSecret('cpk_live');
    expect(prefix).toMatch(/^cpk_live_[a-z0-9]{8}$/);
    expect(prefixOf(secret, 'cpk_live')).toBe(prefix);
    expect(prefixOf('cpk_live_short', 'cpk_live')).toBeNull();
    expect(prefixOf(secret, 'cpa')).toBeNull();
    expect(digestsEqual(sha256(secret), hash)).toBe(true);
    expect(digestsEqual(sha256(`${secret}x`), hash)).toBe(false);
    expect(digestsEqual('ab', hash)).toBe(false);
  });
});
