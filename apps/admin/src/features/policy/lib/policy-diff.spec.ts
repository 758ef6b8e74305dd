import { describe, expect, it } from '@jest/globals';
import type { PolicyInput } from '@corsplane/contracts';
import { describeChange, diffPolicies } from './policy-diff.js';

const base: PolicyInput = {
  mode: 'enforce',
  origins: [
    { pattern: 'https://app.acme.com', note: 'prod', expiresAt: null },
    { pattern: 'https://*.acme.com', note: null, expiresAt: null },
  ],
  allowedMethods: ['GET', 'PUT'],
  allowedHeaders: ['content-type'],
  exposedHeaders: [],
  allowCredentials: true,
  maxAgeSeconds: 600,
  allowPrivateNetwork: false,
};

describe('diffPolicies', () => {
  it('finds nothing between equal policies, whatever the order of lists', () => {
    const reordered = {
      ...base,
      origins: [...base.origins].reverse(),
      allowedMethods: ['PUT', 'GET'],
    };
    expect(diffPolicies(base, reordered)).toEqual([]);
  });

  it('lists added, removed and edited origins, matched by pattern case-insensitively', () => {
    const after: PolicyInput = {
      ...base,
      origins: [
        {
          pattern: 'HTTPS://APP.ACME.COM',
          note: 'production',
          expiresAt: '2030-01-01T00:00:00.000Z',
        },
        { pattern: 'http://localhost:*', note: 'dev', expiresAt: null },
      ],
    };
    expect(diffPolicies(base, after).map(describeChange)).toEqual([
      '- origin https://*.acme.com',
      '~ origin HTTPS://APP.ACME.COM: note "prod" → "production", expiry never → 2030-01-01T00:00:00.000Z',
      '+ origin http://localhost:* (dev)',
    ]);
  });

  it('treats an empty note like no note and equal instants as equal expiries', () => {
    const before = {
      ...base,
      origins: [{ pattern: 'https://a.com', note: '', expiresAt: '2030-01-01T00:00:00Z' }],
    };
    const after = {
      ...base,
      origins: [{ pattern: 'https://a.com', note: null, expiresAt: '2030-01-01T00:00:00.000Z' }],
    };
    expect(diffPolicies(before, after)).toEqual([]);
  });

  it('compares header names case-insensitively but methods case-sensitively (Fetch)', () => {
    const after = {
      ...base,
      allowedHeaders: ['Content-Type', 'authorization'],
      allowedMethods: ['get', 'PUT'],
    };
    expect(diffPolicies(base, after).map(describeChange)).toEqual([
      '- allowed methods: GET',
      '+ allowed methods: get',
      '+ allowed headers: authorization',
    ]);
  });

  it('reports every scalar setting with readable values', () => {
    const after: PolicyInput = {
      ...base,
      mode: 'report-only',
      allowCredentials: false,
      maxAgeSeconds: null,
      allowPrivateNetwork: true,
    };
    expect(diffPolicies(base, after).map(describeChange)).toEqual([
      '~ mode: enforce → report-only',
      '~ credentials: on → off',
      '~ max age: 600 s → not sent',
      '~ private network access: off → on',
    ]);
  });
});
