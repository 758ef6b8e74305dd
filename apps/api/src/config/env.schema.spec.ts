import { EnvValidationError, loadEnv } from './env.schema.js';

const base = { NODE_ENV: 'test', DATABASE_URL: 'postgresql://u:p@127.0.0.1:5/x' } as const;
const trustProxy = (value: string) => loadEnv({ ...base, TRUST_PROXY: value }).TRUST_PROXY;

describe('TRUST_PROXY', () => {
  it('is off by default and with false or 0', () => {
    expect(loadEnv(base).TRUST_PROXY).toBe(false);
    expect(trustProxy('false')).toBe(false);
    expect(trustProxy('0')).toBe(false);
  });

  it('takes a number of proxy hops', () => {
    expect(trustProxy('1')).toBe(1);
    expect(trustProxy('2')).toBe(2);
  });

  it('takes the proxies’ addresses and CIDR ranges', () => {
    expect(trustProxy('10.0.0.0/8, 172.16.0.1,fd00::/8,loopback')).toEqual([
      '10.0.0.0/8',
      '172.16.0.1',
      'fd00::/8',
      'loopback',
    ]);
  });

  it.each(['true', 'yes', '10.0.0.0/33', '10.0.0.0/8/1', 'proxy.internal', '1.2.3.4/x'])(
    'refuses %s at boot, naming the variable',
    (value) => {
      expect(() => trustProxy(value)).toThrow(EnvValidationError);
      expect(() => trustProxy(value)).toThrow(/TRUST_PROXY: give the number of proxies/);
    },
  );
});

describe('invitation settings', () => {
  it('default to 72-hour links built from the request origin', () => {
    const env = loadEnv(base);
    expect({ ttl: env.INVITATION_TTL_HOURS, publicUrl: env.PUBLIC_URL }).toEqual({
      ttl: 72,
      publicUrl: undefined,
    });
  });

  it('keep only the origin of PUBLIC_URL', () => {
    expect(loadEnv({ ...base, PUBLIC_URL: 'https://cors.example.com/console/' }).PUBLIC_URL).toBe(
      'https://cors.example.com',
    );
  });

  it.each([
    ['INVITATION_TTL_HOURS', '0'],
    ['INVITATION_TTL_HOURS', '721'],
    ['PUBLIC_URL', 'ftp://cors.example.com'],
    ['PUBLIC_URL', 'not a url'],
  ])('refuses %s=%s at boot, naming the variable', (name, value) => {
    expect(() => loadEnv({ ...base, [name]: value })).toThrow(new RegExp(`${name}:`));
  });
});
