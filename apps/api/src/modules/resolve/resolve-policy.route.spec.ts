import { emptyPolicy } from '@corsplane/policy';
import { ifNoneMatchHits, policyTagOf } from './resolve-policy.route.js';

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

// While a candidate exists the tag is `<version>.<candidateVersion>` (SPEC §5: it moves with the candidate).
describe('policyTagOf and If-None-Match with a candidate', () => {
  const withCandidate = { version: 7, candidate: emptyPolicy(), candidateVersion: 3 };
  it('names the candidate version only while there is a candidate', () => {
    expect(policyTagOf(withCandidate)).toBe('7.3');
    expect(policyTagOf({ version: 7, candidate: undefined, candidateVersion: 3 })).toBe('7');
  });
  it.each([
    ['"7.3"', true],
    ['W/"7.3"', true],
    ['"7"', false],
    ['"7.2"', false],
    ['*', true],
  ])('%s → %s', (header, hit) => {
    expect(ifNoneMatchHits(header, policyTagOf(withCandidate))).toBe(hit);
  });
});
