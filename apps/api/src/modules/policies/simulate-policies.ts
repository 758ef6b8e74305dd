import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { CompiledPolicy, PolicyMode } from '@corsplane/policy';

/**
 * Origins `simulate` keeps compiled, over all tenants: two tenants of 100,000 origins (SPEC §2.3). A compiled
 * 100,000-origin policy holds about 57 MB of heap, so this is about 115 MB at most.
 */
export const SIMULATE_MEMO_MAX_ORIGINS = 200_000;

/** An effective policy compiled for `simulate`, and the two versions it was built from. */
export interface SimulatePolicy {
  /** The policy's version, or the candidate's. */
  policyVersion: number;
  baselineVersion: number;
  mode: PolicyMode;
  compiled: CompiledPolicy;
  /** Its origins (the tenant's and the expanded baseline's), for the bound. */
  origins: number;
}

/**
 * The compiled effective policies `POST …/simulate` decides with: each tenant's stored policy and stored
 * candidate (keys `<tenant id>` and `<tenant id>/candidate`). "Test an origin" and the Allow dialog ask again
 * and again about the same policy, and at 100,000 origins reading and compiling it took 0.8–1.2 s a click. An
 * entry is used only while the version it was built from (the policy's or the candidate's) and the baseline's
 * version are current (the caller reads both fresh each time), so a write is seen at once, by every replica,
 * with no invalidation. Bounded by the origins held (SIMULATE_MEMO_MAX_ORIGINS; a policy larger than that is
 * compiled each time and not kept).
 */
@Injectable()
export class SimulatePolicies {
  private readonly byKey = new LRUCache<string, SimulatePolicy>({
    maxSize: SIMULATE_MEMO_MAX_ORIGINS,
    sizeCalculation: (p) => Math.max(1, p.origins),
  });

  /** The compiled policy kept under `key` if it was built from these versions. */
  get(key: string, policyVersion: number, baselineVersion: number): SimulatePolicy | undefined {
    const known = this.byKey.get(key);
    return known?.policyVersion === policyVersion && known.baselineVersion === baselineVersion
      ? known
      : undefined;
  }

  set(key: string, policy: SimulatePolicy): void {
    this.byKey.set(key, policy);
  }
}
