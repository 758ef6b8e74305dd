import { compilePolicy } from './compile.js';
import { decide } from './decide.js';
import { emptyPolicy } from './validate.js';
import { domainKey } from './wildcard-table.js';

const policyOf = (...patterns: string[]) =>
  compilePolicy({ ...emptyPolicy(), origins: patterns.map((pattern) => ({ pattern })) });
const matched = (policy: ReturnType<typeof policyOf>, origin: string) =>
  decide(policy, { method: 'GET', headers: { origin } }).matchedPattern;

/** Two different domains with the same table key, found by a birthday search. */
function collidingDomains(sameLength: boolean): [string, string] {
  const seen = new Map<number, string>();
  for (let i = 0; ; i++) {
    const domain =
      sameLength || i % 2 === 0
        ? `l${i.toString(36).padStart(6, '0')}.com`
        : `m${i.toString(36).padStart(7, '0')}.com`;
    const key = domainKey(domain);
    const other = seen.get(key);
    if (other !== undefined && (other.length === domain.length) === sameLength)
      return [other, domain];
    if (other === undefined) seen.set(key, domain);
  }
}

describe('wildcard table', () => {
  it.each([
    ['the same length', true],
    ['different lengths', false],
  ])('keeps domains whose keys collide apart (%s)', (_, sameLength) => {
    const [a, b] = collidingDomains(sameLength);
    expect(domainKey(a)).toBe(domainKey(b));
    const both = policyOf(`https://*.${a}`, `https://*.${b}`);
    expect(matched(both, `https://x.${a}`)).toBe(`https://*.${a}`);
    expect(matched(both, `https://x.${b}`)).toBe(`https://*.${b}`);
    // A key match alone never matches: the characters are compared.
    const onlyA = policyOf(`https://*.${a}`);
    expect(matched(onlyA, `https://x.${b}`)).toBeNull();
    const onlyB = policyOf(`https://*.${b}`);
    expect(matched(onlyB, `https://x.${a}`)).toBeNull();
  });

  it('finds every domain of a full table (slots taken by other keys are probed past)', () => {
    const domains = Array.from({ length: 300 }, (_, i) => `d${i}.example.com`);
    const policy = policyOf(...domains.map((d) => `https://*.${d}`));
    for (const d of domains) expect(matched(policy, `https://a.b.${d}`)).toBe(`https://*.${d}`);
    expect(matched(policy, 'https://a.d300.example.com')).toBeNull();
    expect(matched(policy, 'https://a.example.com')).toBeNull();
  });

  it('matches domains of 32 labels and more, and only those', () => {
    const deep = `${'a.'.repeat(33)}example.com`; // 35 labels
    const policy = policyOf(`https://*.${deep}`, 'https://*.example.com');
    expect(matched(policy, `https://x.${deep}`)).toBe(`https://*.${deep}`);
    expect(matched(policy, `https://x.y.${deep}`)).toBe(`https://*.${deep}`);
    // 34 and 36 labels share the "32 or more" bit with the domain, but are other domains.
    expect(matched(policy, `https://x.${deep.slice(2)}`)).toBe('https://*.example.com');
    expect(matched(policy, `https://a.${deep}`)).toBe(`https://*.${deep}`);
    expect(matched(policy, `https://${deep}`)).toBe('https://*.example.com');
  });

  it('matches the deepest host a browser sends (253 characters, SPEC §3)', () => {
    const policy = policyOf('https://*.acme.com');
    const host = `${'l.'.repeat(122)}acme.com`;
    expect(host).toHaveLength(252);
    expect(matched(policy, `https://${host}`)).toBe('https://*.acme.com');
    expect(matched(policy, `https://${host.replace('acme', 'acne')}`)).toBeNull();
  });

  it('prefers the entry for the request port over a `:*` one on the same domain', () => {
    const policy = policyOf('https://*.acme.com:*', 'https://*.acme.com:8443');
    expect(matched(policy, 'https://a.acme.com:8443')).toBe('https://*.acme.com:8443');
    expect(matched(policy, 'https://a.acme.com:9443')).toBe('https://*.acme.com:*');
    expect(matched(policy, 'https://a.acme.com')).toBe('https://*.acme.com:*');
  });
});
