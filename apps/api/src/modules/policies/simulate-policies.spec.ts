import { describe, expect, it } from '@jest/globals';
import { compilePolicy, emptyPolicy } from '@corsplane/policy';
import {
  SIMULATE_MEMO_MAX_ORIGINS,
  SimulatePolicies,
  type SimulatePolicy,
} from './simulate-policies.js';

const compiled = compilePolicy(emptyPolicy());
const policy = (policyVersion: number, baselineVersion: number, origins = 1): SimulatePolicy => ({
  policyVersion,
  baselineVersion,
  mode: 'enforce',
  compiled,
  origins,
});

describe('SimulatePolicies', () => {
  it('gives a tenant’s policy only for the versions it was built from', () => {
    const memo = new SimulatePolicies();
    const kept = policy(7, 2);
    memo.set('t1', kept);
    expect(memo.get('t1', 7, 2)).toBe(kept);
    expect(memo.get('t1', 8, 2)).toBeUndefined(); // the tenant's policy moved
    expect(memo.get('t1', 7, 3)).toBeUndefined(); // the baseline moved
    expect(memo.get('t2', 7, 2)).toBeUndefined();
  });

  it('holds at most SIMULATE_MEMO_MAX_ORIGINS origins, dropping the least recently used tenant', () => {
    const memo = new SimulatePolicies();
    const half = SIMULATE_MEMO_MAX_ORIGINS / 2;
    memo.set('a', policy(1, 0, half));
    memo.set('b', policy(1, 0, half));
    expect(memo.get('a', 1, 0)).toBeDefined();
    memo.set('c', policy(1, 0, half));
    expect(memo.get('a', 1, 0)).toBeDefined();
    expect(memo.get('b', 1, 0)).toBeUndefined();
    expect(memo.get('c', 1, 0)).toBeDefined();
    // One policy larger than the bound is not kept at all.
    memo.set('huge', policy(1, 0, SIMULATE_MEMO_MAX_ORIGINS + 1));
    expect(memo.get('huge', 1, 0)).toBeUndefined();
  });
});
