import { ifNoneMatchHits } from './resolve-policy.route.js';

// If-None-Match against `ETag: "<version>"` (RFC 9110 §13.1.2: weak comparison, lists, `*`).
describe('ifNoneMatchHits', () => {
  it.each([
    ['"7"', true],
    ['7', true],
    ['W/"7"', true],
    ['"3", "7"', true],
    ['"3",W/"7"', true],
    ['*', true],
    [' "7" ', true],
    [undefined, false],
    ['', false],
    ['"70"', false],
    ['"07"', false],
    ['"7-abc"', false],
    ['"3", "8"', false],
    ['"7', false],
    [`${'"1", '.repeat(300)}"7"`, false],
  ])('%s → %s (version 7)', (header, hit) => {
    expect(ifNoneMatchHits(header, 7)).toBe(hit);
  });
});
