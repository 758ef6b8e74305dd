import {
  effectivePolicy,
  expandBaseline,
  MAX_BASELINE_ORIGINS,
  validateBaseline,
  type BaselineDocument,
} from './baseline.js';
import { compilePolicy } from './compile.js';
import { decide } from './decide.js';
import { emptyPolicy, MAX_POLICY_ORIGINS, validatePolicy } from './validate.js';

const get = (origin: string) => ({ method: 'GET', headers: { origin } });

describe('validateBaseline: templates (SPEC §2.2)', () => {
  it.each([
    ['https://{tenant}.app.example', 'https://{tenant}.app.example'],
    ['HTTPS://{tenant}-EU.Example.com:443', 'https://{tenant}-eu.example.com'],
    ['https://*.{tenant}.app.example', 'https://*.{tenant}.app.example'],
    ['https://{tenant}.app.example:*', 'https://{tenant}.app.example:*'],
    ['https://ops.example.com', 'https://ops.example.com'],
  ])('normalises %s to %s', (pattern, normalised) => {
    const result = validateBaseline({ origins: [{ pattern, note: 'n' }] });
    expect(result).toEqual({
      ok: true,
      errors: [],
      baseline: { origins: [{ pattern: normalised, note: 'n' }] },
    });
  });

  it.each([
    ['{tenant}://app.example', 'invalid-tenant-placeholder'],
    ['https://app.example:{tenant}', 'invalid-port'],
    ['https://app.example/{tenant}', 'has-path'],
    ['https://{tenant}-ü.example', 'invalid-tenant-placeholder'],
    ['https://{Tenant}.app.example', 'invalid-host'],
    ['*', 'baseline-any-origin'],
    ['https://*.com', 'public-suffix-wildcard'],
    ['https://*.{tenant}', 'public-suffix-wildcard'],
  ])('refuses %s (%s), naming the entry', (pattern, reason) => {
    const result = validateBaseline({ origins: ['https://ok.example', pattern] });
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([
      expect.objectContaining({ path: 'origins[1].pattern', value: pattern, reason }),
    ]);
  });

  it('refuses duplicates after normalisation, an expiry and unknown fields', () => {
    const result = validateBaseline({
      origins: [
        'https://{tenant}.a.example',
        'HTTPS://{tenant}.A.example',
        { pattern: 'https://b.example', expiresAt: '2030-01-01T00:00:00Z' },
      ],
      mode: 'enforce',
    });
    expect(result.errors.map((e) => [e.path, e.reason])).toEqual([
      ['mode', 'unknown-field'],
      ['origins[1].pattern', 'duplicate'],
      ['origins[2].expiresAt', 'unknown-field'],
    ]);
  });

  it(`refuses more than ${MAX_BASELINE_ORIGINS} entries before parsing any`, () => {
    const origins = Array.from({ length: MAX_BASELINE_ORIGINS + 1 }, () => 'not a pattern');
    const result = validateBaseline({ origins });
    expect(result.errors).toEqual([
      expect.objectContaining({ path: 'origins', reason: 'too-many-origins' }),
    ]);
  });

  it('refuses a document that is not {origins: [...]}', () => {
    for (const input of [null, [], { origins: 'x' }]) {
      expect(validateBaseline(input).errors[0]?.reason).toBe('invalid-type');
    }
  });
});

describe('validateBaseline: expansion for every existing slug', () => {
  const longSlug = 'a'.repeat(61);

  it('names the slug that would make an invalid host', () => {
    const result = validateBaseline(
      { origins: ['https://ops.example', 'https://{tenant}-eu.example.com'] },
      { slugs: ['acme', longSlug] },
    );
    expect(result.ok).toBe(false);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({
      path: 'origins[1].pattern',
      reason: 'invalid-for-tenant',
    });
    expect(result.errors[0]?.message).toContain(`for tenant "${longSlug}"`);
    expect(result.errors[0]?.message).toContain('63');
  });

  it('accepts the same baseline when every slug expands', () => {
    const result = validateBaseline(
      { origins: ['https://{tenant}-eu.example.com'] },
      { slugs: ['acme', 'globex'] },
    );
    expect(result.ok).toBe(true);
  });

  it('reports at most 100 problems however many tenants fail', () => {
    const slugs = Array.from({ length: 500 }, (_, i) => `${'b'.repeat(58)}${i}`);
    const result = validateBaseline({ origins: ['https://{tenant}-eu.example.com'] }, { slugs });
    expect(result.errors).toHaveLength(100);
  });
});

describe('effective policy: tenant ∪ expanded baseline', () => {
  const baseline: BaselineDocument = {
    origins: [
      { pattern: 'https://{tenant}.app.example', note: 'console' },
      { pattern: 'https://*.{tenant}.cdn.example' },
      { pattern: 'https://ops.example.com' },
    ],
  };
  const tenant = {
    ...emptyPolicy(),
    origins: [
      { pattern: 'https://acme.com', note: null, expiresAt: null },
      // Listed by the tenant too, and expired: the baseline entry still applies.
      { pattern: 'https://ops.example.com', note: null, expiresAt: '2020-01-01T00:00:00.000Z' },
    ],
    allowCredentials: true,
  };
  const compiled = compilePolicy(effectivePolicy(tenant, expandBaseline(baseline, 'acme')));

  it('expands {tenant} with the slug and tags the entries', () => {
    expect(expandBaseline(baseline, 'acme')).toEqual([
      { pattern: 'https://acme.app.example', note: 'console', source: 'baseline' },
      { pattern: 'https://*.acme.cdn.example', note: null, source: 'baseline' },
      { pattern: 'https://ops.example.com', note: null, source: 'baseline' },
    ]);
  });

  it.each([
    ['https://acme.com', 'tenant', 'exact-match'],
    ['https://acme.app.example', 'baseline', 'exact-match'],
    ['https://eu.acme.cdn.example', 'baseline', 'wildcard-match'],
    ['https://ops.example.com', 'baseline', 'exact-match'],
  ])('%s matches with matchedSource %s', (origin, source, reason) => {
    expect(decide(compiled, get(origin))).toMatchObject({
      allowed: true,
      reason,
      matchedSource: source,
      headers: { 'access-control-allow-credentials': 'true' },
    });
  });

  it("does not allow another tenant's expansion, and a refusal names no source", () => {
    expect(decide(compiled, get('https://globex.app.example'))).toMatchObject({
      allowed: false,
      matchedPattern: null,
      matchedSource: null,
    });
  });

  it('keeps the tenant document as it is when the baseline is empty', () => {
    expect(effectivePolicy(tenant, [])).toBe(tenant);
  });

  it('an effective document validates with its sources; the origin limit counts only tenant entries', () => {
    const own = Array.from({ length: MAX_POLICY_ORIGINS }, (_, i) => `https://t${i}.example`);
    const doc = effectivePolicy(
      { ...emptyPolicy(), origins: [] },
      expandBaseline(baseline, 'acme'),
    );
    const full = { ...doc, origins: [...own.map((pattern) => ({ pattern })), ...doc.origins] };
    const result = validatePolicy(full);
    expect(result.ok).toBe(true);
    expect(result.policy?.origins.at(-1)).toEqual({
      pattern: 'https://ops.example.com',
      note: null,
      expiresAt: null,
      source: 'baseline',
    });
    expect(
      validatePolicy({ ...emptyPolicy(), origins: [{ pattern: 'https://a.com', source: 'x' }] })
        .errors[0]?.reason,
    ).toBe('invalid-source');
  });
});

describe('validateBaseline: entry shape', () => {
  it.each([
    [42, 'origins[0]', 'invalid-type'],
    [{ pattern: 'https://a.example', expiresAt: null }, 'origins[0].expiresAt', 'unknown-field'],
    [{ pattern: 7 }, 'origins[0].pattern', 'invalid-type'],
    [{ pattern: 'https://a.example', note: 'x'.repeat(5000) }, 'origins[0].note', 'invalid-note'],
    [{ pattern: 'https://a.example', note: 5 }, 'origins[0].note', 'invalid-note'],
  ])('refuses %j at %s (%s)', (entry, path, reason) => {
    const result = validateBaseline({ origins: [entry] });
    expect(result.ok).toBe(false);
    expect(result.errors).toContainEqual(expect.objectContaining({ path, reason }));
  });

  it('expands an entry without a note to note: null', () => {
    expect(
      expandBaseline({ origins: [{ pattern: 'https://{tenant}.app.example' }] }, 'acme'),
    ).toEqual([{ pattern: 'https://acme.app.example', note: null, source: 'baseline' }]);
  });

  it('leaves out an entry that does not expand for a slug (a label over 63 characters)', () => {
    const baseline = {
      origins: [{ pattern: 'https://{tenant}.app.example' }, { pattern: 'https://ops.example' }],
    };
    expect(expandBaseline(baseline, 'a'.repeat(64))).toEqual([
      { pattern: 'https://ops.example', note: null, source: 'baseline' },
    ]);
  });

  it('accepts a pattern written as a plain string', () => {
    expect(validateBaseline({ origins: ['https://a.example'] })).toMatchObject({
      ok: true,
      baseline: { origins: [{ pattern: 'https://a.example', note: null }] },
    });
  });
});
