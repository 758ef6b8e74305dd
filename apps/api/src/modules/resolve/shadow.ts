import {
  decide,
  shadowDirection,
  type CompiledPolicy,
  type CorsRequest,
  type Decision,
  type ShadowDirection,
} from '@corsplane/policy';
import type { ShadowVerdict } from '@corsplane/contracts';

/** The candidate's verdict on one request, and how it differs from the live decision (null: it does not). */
export interface ShadowOutcome {
  verdict: ShadowVerdict;
  direction: ShadowDirection | null;
}

/**
 * Shadow evaluation (SPEC §3): the same request decided again with the tenant's compiled candidate. Only the
 * live decision is answered; the candidate's verdict goes in the `/resolve` body's `shadow`, and a difference
 * is counted by the caller (BlockedLogService.recordShadow). Pure and I/O-free: the candidate was compiled
 * into the policy cache entry beside the live policy, so a decision at most doubles in cost.
 */
export function evaluateShadow(
  candidate: CompiledPolicy,
  request: CorsRequest,
  live: Decision,
): ShadowOutcome {
  const d = decide(candidate, request);
  return { verdict: { allowed: d.allowed, reason: d.reason }, direction: shadowDirection(live, d) };
}
