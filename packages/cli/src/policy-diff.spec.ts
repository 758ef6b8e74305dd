import { diffPolicies, formatDiff, hasChanges } from './policy-diff.js';

const live = {
  mode: 'enforce',
  origins: [
    { pattern: 'https://a.test', note: 'prod', expiresAt: null },
    { pattern: 'https://b.test' },
  ],
  allowedMethods: ['GET'],
  maxAgeSeconds: null,
  version: 4,
};

describe('diffPolicies', () => {
  it('finds nothing between a policy and itself, whatever the versions say', () => {
    expect(hasChanges(diffPolicies({ ...live, version: 1 }, live))).toBe(false);
  });

  it('treats an absent note or expiry like null', () => {
    const file = {
      ...live,
      origins: [
        { pattern: 'https://a.test', note: 'prod' },
        { pattern: 'https://b.test', note: null },
      ],
    };
    expect(hasChanges(diffPolicies(file, live))).toBe(false);
  });

  it('names origins added, removed and changed, and changed fields, file against live', () => {
    const file = {
      ...live,
      origins: [{ pattern: 'https://a.test', note: 'staging' }, { pattern: 'https://c.test' }],
      allowedMethods: ['GET', 'PUT'],
      maxAgeSeconds: 60,
    };
    const diff = diffPolicies(file, live);
    expect(diff.added).toEqual([{ pattern: 'https://c.test' }]);
    expect(diff.removed).toEqual([{ pattern: 'https://b.test' }]);
    expect(diff.changed).toEqual([
      { pattern: 'https://a.test', fields: [{ field: 'note', live: 'prod', file: 'staging' }] },
    ]);
    expect(diff.fields.map((f) => f.field)).toEqual(['allowedMethods', 'maxAgeSeconds']);
    expect(formatDiff(diff)).toEqual([
      '  + https://c.test',
      '  - https://b.test',
      '  ~ https://a.test: note "prod" → "staging"',
      '  ~ allowedMethods: ["GET"] → ["GET","PUT"]',
      '  ~ maxAgeSeconds: null → 60',
    ]);
  });

  it('sees a field only one side has (e.g. routes added in the file)', () => {
    const diff = diffPolicies({ ...live, routes: [{ path: '/public/*' }] }, live);
    expect(diff.fields).toEqual([{ field: 'routes', live: null, file: [{ path: '/public/*' }] }]);
  });
});
