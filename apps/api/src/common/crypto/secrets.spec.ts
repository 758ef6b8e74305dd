import {
  digestsEqual,
  hashPassword,
  newPrefixedSecret,
  prefixOf,
  secretShape,
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

  it('ends new secrets with a checksum that a made-up or altered secret fails', () => {
    const { secret } = newPrefixedSecret('cpk_live');
    expect(secretShape(secret, 'cpk_live')).toBe('checked');
    // One character changed anywhere after the prefix breaks the checksum.
    for (const at of [18, 40, secret.length - 1]) {
      const c = secret[at] === 'A' ? 'B' : 'A';
      expect(secretShape(secret.slice(0, at) + c + secret.slice(at + 1), 'cpk_live')).toBe(
        'malformed',
      );
    }
    expect(secretShape(secret, 'cpa')).toBe('malformed');
    expect(secretShape('cpk_live_short', 'cpk_live')).toBe('malformed');
  });

  it('tells secrets made before checksums (43 characters after the prefix) apart as legacy', () => {
    const legacy = `cpk_live_ab12cd34_${'x'.repeat(43)}`;
    expect(secretShape(legacy, 'cpk_live')).toBe('legacy');
    expect(secretShape(`${legacy}y`, 'cpk_live')).toBe('malformed');
  });
});
