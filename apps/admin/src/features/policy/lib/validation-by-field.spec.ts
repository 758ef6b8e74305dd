import { describe, expect, it } from '@jest/globals';
import type { PolicyInput } from '@corsplane/contracts';
import { groupIssues, toFieldIssue, validateDraft } from './validation-by-field.js';

const policy = (over: Partial<PolicyInput> = {}): PolicyInput => ({
  mode: 'enforce',
  origins: [],
  allowedMethods: [],
  allowedHeaders: [],
  exposedHeaders: [],
  allowCredentials: false,
  maxAgeSeconds: null,
  allowPrivateNetwork: false,
  ...over,
});

describe('validateDraft (the engine of @corsplane/policy, in the browser)', () => {
  it('puts each origin error on the row that causes it', () => {
    const v = validateDraft(
      policy({
        origins: [
          { pattern: 'https://ok.example.com' },
          { pattern: 'https://example.com/path' },
          { pattern: 'https://*.co.uk' },
        ],
      }),
    );
    expect(v.ok).toBe(false);
    expect(v.errorCount).toBe(2);
    expect(v.at('origins[0].pattern').errors).toEqual([]);
    expect(v.at('origins[1].pattern').errors.map((e) => e.reason)).toEqual(['has-path']);
    expect(v.at('origins[2].pattern').errors.map((e) => e.reason)).toEqual([
      'public-suffix-wildcard',
    ]);
    expect(v.under('origins[2]').errors).toHaveLength(1);
    // The field already says where: the message loses its "origins[1].pattern: " prefix.
    expect(v.at('origins[1].pattern').errors[0]?.text).not.toMatch(/^origins\[1\]/);
  });

  it('names the offending item of a list and keeps warnings apart from errors', () => {
    const v = validateDraft(
      policy({
        allowedMethods: ['GET', 'TRACE'],
        allowedHeaders: ['x ok'],
        maxAgeSeconds: 86_400,
        origins: [{ pattern: 'null' }],
      }),
    );
    const methods = v.list('allowedMethods');
    expect(methods.errors.map((e) => e.path)).toEqual(['allowedMethods[1]']);
    expect(methods.errors[0]?.text).toMatch(/TRACE/);
    expect(v.list('allowedHeaders').errors[0]?.text).toMatch(/^“x ok” /);
    expect(v.at('maxAgeSeconds').errors).toEqual([]);
    expect(v.at('maxAgeSeconds').warnings.map((w) => w.reason)).toEqual([
      'max-age-above-browser-cap',
    ]);
    expect(v.at('origins[0].pattern').warnings.map((w) => w.reason)).toEqual(['null-origin']);
    expect(v.warningCount).toBe(2);
  });

  it('refuses "*" with credentials on the entry itself', () => {
    const v = validateDraft(policy({ allowCredentials: true, origins: [{ pattern: '*' }] }));
    expect(v.at('origins[0].pattern').errors.map((e) => e.reason)).toEqual([
      'wildcard-with-credentials',
    ]);
  });

  it('warns about an expired entry beside its expiry field', () => {
    const v = validateDraft(
      policy({ origins: [{ pattern: 'https://a.com', expiresAt: '2020-01-01T00:00:00Z' }] }),
      Date.parse('2026-01-01'),
    );
    expect(v.at('origins[0].expiresAt').warnings.map((w) => w.reason)).toEqual(['expired-entry']);
    expect(v.ok).toBe(true);
  });

  it('accepts a clean policy', () => {
    expect(
      validateDraft(
        policy({ origins: [{ pattern: 'https://app.acme.com' }], allowedMethods: ['PUT'] }),
      ).ok,
    ).toBe(true);
  });
});

describe('groupIssues (server 422 details)', () => {
  it('groups details from the API by path like local issues', () => {
    const g = groupIssues([
      {
        path: 'origins[3].pattern',
        reason: 'duplicate',
        message: 'origins[3].pattern: "https://a.com" is already origins[0]',
        value: 'https://A.com',
      },
    ]);
    expect(g.at('origins[3].pattern').errors[0]?.text).toBe(
      '"https://a.com" is already origins[0]',
    );
    expect(g.at('origins[2].pattern').errors).toEqual([]);
  });

  it('keeps messages without a path prefix as they are', () => {
    expect(toFieldIssue({ path: 'mode', reason: 'invalid-mode', message: 'bad mode' }).text).toBe(
      'bad mode',
    );
  });
});
