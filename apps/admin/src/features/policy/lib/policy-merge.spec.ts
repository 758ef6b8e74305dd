import { describe, expect, it } from '@jest/globals';
import type { PolicyInput } from '@corsplane/contracts';
import { mergePolicies } from './policy-merge.js';

const base: PolicyInput = {
  mode: 'enforce',
  origins: [{ pattern: 'https://app.acme.com', note: 'prod', expiresAt: null }],
  allowedMethods: ['GET'],
  allowedHeaders: ['content-type'],
  exposedHeaders: [],
  allowCredentials: false,
  maxAgeSeconds: 600,
  allowPrivateNetwork: false,
};

describe('mergePolicies (a 412 explained, nothing lost)', () => {
  it('replays my changes on top of theirs when they touch different things', () => {
    const mine = {
      ...base,
      origins: [...base.origins, { pattern: 'https://mine.acme.com', note: null, expiresAt: null }],
      maxAgeSeconds: 60,
    };
    const theirs = {
      ...base,
      origins: [
        ...base.origins,
        { pattern: 'https://theirs.acme.com', note: null, expiresAt: null },
      ],
      allowedMethods: ['GET', 'PUT'],
      version: 3,
    };
    const r = mergePolicies(base, mine, theirs);
    expect(r.conflicts).toEqual([]);
    expect(r.merged.origins.map((o) => o.pattern)).toEqual([
      'https://app.acme.com',
      'https://theirs.acme.com',
      'https://mine.acme.com',
    ]);
    expect(r.merged.allowedMethods).toEqual(['GET', 'PUT']);
    expect(r.merged.maxAgeSeconds).toBe(60);
    expect(r.merged.version).toBeUndefined();
    expect(r.myChanges).toHaveLength(2);
    expect(r.theirChanges).toHaveLength(2);
  });

  it('keeps my value and names the conflict when both changed the same setting differently', () => {
    const r = mergePolicies(base, { ...base, maxAgeSeconds: 60 }, { ...base, maxAgeSeconds: 7200 });
    expect(r.merged.maxAgeSeconds).toBe(60);
    expect(r.conflicts).toEqual([
      'maxAgeSeconds was set to 7200 by the other edit and to 60 by yours; yours is kept.',
    ]);
  });

  it('is not a conflict when both made the same change', () => {
    const r = mergePolicies(
      base,
      { ...base, mode: 'report-only' },
      { ...base, mode: 'report-only' },
    );
    expect(r.conflicts).toEqual([]);
    expect(r.merged.mode).toBe('report-only');
  });

  it('applies my removals and flags an origin they edited that I removed', () => {
    const mine = { ...base, origins: [] };
    const theirs = {
      ...base,
      origins: [{ pattern: 'https://app.acme.com', note: 'production!', expiresAt: null }],
    };
    const r = mergePolicies(base, mine, theirs);
    expect(r.merged.origins).toEqual([]);
    expect(r.conflicts[0]).toMatch(/changed by the other edit and removed by yours/);
  });

  it('keeps my note when we both edited the same origin', () => {
    const mine = {
      ...base,
      origins: [{ pattern: 'https://app.acme.com', note: 'mine', expiresAt: null }],
    };
    const theirs = {
      ...base,
      origins: [{ pattern: 'https://app.acme.com', note: 'theirs', expiresAt: null }],
    };
    const r = mergePolicies(base, mine, theirs);
    expect(r.merged.origins).toEqual([
      { pattern: 'https://app.acme.com', note: 'mine', expiresAt: null },
    ]);
    expect(r.conflicts[0]).toMatch(/edited by both of you/);
  });

  it('adds and removes list items without duplicating what they added too', () => {
    const mine = { ...base, allowedHeaders: ['authorization'] };
    const theirs = { ...base, allowedHeaders: ['content-type', 'Authorization', 'x-trace'] };
    const r = mergePolicies(base, mine, theirs);
    expect(r.merged.allowedHeaders).toEqual(['Authorization', 'x-trace']);
  });
});
