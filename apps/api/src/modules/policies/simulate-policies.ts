import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { CompiledPolicy, PolicyMode } from '@corsplane/policy';

/**
 * Origins `simulate` keeps compiled, over all tenants: two tenants of 100,000 origins (SPEC §2.3). A compiled
 * 100,000-origin policy holds about 57 MB of heap, so this is about 115 MB at most.
 */
export const SIMULATE_MEMO_MAX_ORIGINS = 200_000;

/** A tenant's effective policy compiled for `simulate`, and the two versions it was built from. */
export interface SimulatePolicy {
  policyVersion: number;
  baselineVersion: number;
  mode: PolicyMode;
  compiled: CompiledPolicy;
  /** Its origins (the tenant's and the expanded baseline's), for the bound. */
  origins: number;
}

/**
 * The compiled effective policies `POST …/simulate` decides the stored policy with, one per tenant. "Test an
 * origin" and the Allow dialog ask again and again about the same policy, and at 100,000 origins reading and
 * compiling it took 0.8–1.2 s a click. An entry is used only while the tenant's policy version and the
 * baseline's version are the ones it was built from (the caller reads both fresh each time), so a write is
 * seen at once, by every replica, with no invalidation. Bounded by the origins held (SIMULATE_MEMO_MAX_ORIGINS;
 * a policy larger than that is compiled each time and not kept).
 */
@Injectable()
export class SimulatePolicies {
  private readonly byTenant = new LRUCache<string, SimulatePolicy>({
    maxSize: SIMULATE_MEMO_MAX_ORIGINS,
    sizeCalculation: (p) => Math.max(1, p.origins),
  });

  /** The tenant's compiled policy if it was built from these versions. */
  get(
    tenantId: string,
    policyVersion: number,
    baselineVersion: number,
  ): SimulatePolicy | undefined {
    const known = this.byTenant.get(tenantId);
    return known?.policyVersion === policyVersion && known.baselineVersion === baselineVersion
      ? known
      : undefined;
  }

  set(tenantId: string, policy: SimulatePolicy): void {
    this.byTenant.set(tenantId, policy);
  }
}
