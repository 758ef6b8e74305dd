import { createTenantSchema, policySchema } from './index.js';

const valid = {
  mode: 'enforce',
  origins: [{ pattern: 'https://app.acme.com', note: 'prod', expiresAt: null }],
  allowedMethods: ['GET'],
  allowedHeaders: [],
  exposedHeaders: [],
  allowCredentials: false,
  maxAgeSeconds: null,
  allowPrivateNetwork: false,
};

describe('policySchema (shape only)', () => {
  it('accepts a well-shaped document, with or without the read-only version', () => {
    expect(policySchema.safeParse(valid).success).toBe(true);
    expect(policySchema.safeParse({ ...valid, version: 3 }).success).toBe(true);
  });
  it('refuses unknown fields, wrong types and missing fields', () => {
    expect(policySchema.safeParse({ ...valid, extra: 1 }).success).toBe(false);
    expect(
      policySchema.safeParse({ ...valid, origins: [{ pattern: 'x', color: 'red' }] }).success,
    ).toBe(false);
    expect(policySchema.safeParse({ ...valid, allowCredentials: 'yes' }).success).toBe(false);
    const { mode: _mode, ...withoutMode } = valid;
    expect(policySchema.safeParse(withoutMode).success).toBe(false);
  });
  it('leaves semantic checks to the engine', () => {
    expect(
      policySchema.safeParse({
        ...valid,
        origins: [{ pattern: 'https://*.com/path' }],
        maxAgeSeconds: -1,
      }).success,
    ).toBe(true);
  });
});

describe('createTenantSchema', () => {
  it.each(['acme', 'a', 'acme-eu-1'])('accepts slug %s', (slug) => {
    expect(createTenantSchema.safeParse({ slug, name: 'Acme' }).success).toBe(true);
  });
  it.each(['', 'Acme', '-acme', 'acme-', 'ac me', "acme'; drop table", 'äcme', 'a'.repeat(64)])(
    'refuses slug %j',
    (slug) => {
      expect(createTenantSchema.safeParse({ slug, name: 'Acme' }).success).toBe(false);
    },
  );
});
