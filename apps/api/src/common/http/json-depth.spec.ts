import { MAX_JSON_DEPTH, nestedDeeperThan } from './json-depth.js';

const nest = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
};

describe('nestedDeeperThan', () => {
  it('accepts documents up to the limit and refuses deeper ones', () => {
    expect(nestedDeeperThan({ origins: [{ pattern: 'x' }] })).toBe(false);
    expect(nestedDeeperThan(nest(MAX_JSON_DEPTH))).toBe(false);
    expect(nestedDeeperThan(nest(MAX_JSON_DEPTH + 1))).toBe(true);
    expect(nestedDeeperThan('x')).toBe(false);
    expect(nestedDeeperThan(null)).toBe(false);
  });

  it('measures 100,000 levels without overflowing the stack', () => {
    expect(nestedDeeperThan(JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`))).toBe(true);
  });
});
