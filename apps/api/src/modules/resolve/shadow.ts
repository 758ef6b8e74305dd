import {
  decide,
  shadowDirection,
  type CompiledPolicy,
  type CorsRequest,
  type Decision,
  type DecisionReason,
  type ShadowDirection,
} from '@corsplane/policy';
import type { ShadowVerdict } from '@corsplane/contracts';
import { shadowKey } from './resolve.repository.js';

/** The candidate's verdict on one request, how it differs from the live decision (null: it does not). */
export interface ShadowOutcome {
  readonly verdict: ShadowVerdict;
  readonly direction: ShadowDirection | null;
  /** The shadow log's key of the difference (`direction/reason`), or null. */
  readonly key: string | null;
}

type Outcomes = Map<DecisionReason, ShadowOutcome>;
/** Frozen outcomes by [direction][candidate allowed][reason]: a decision with a candidate allocates nothing. */
const OUTCOMES: Record<ShadowDirection | 'same', [Outcomes, Outcomes]> = {
  same: [new Map(), new Map()],
  'would-block': [new Map(), new Map()],
  'would-allow': [new Map(), new Map()],
};

function outcomeOf(direction: ShadowDirection | null, candidate: Decision): ShadowOutcome {
  const byReason = OUTCOMES[direction ?? 'same'][candidate.allowed ? 1 : 0];
  let outcome = byReason.get(candidate.reason);
  if (outcome === undefined) {
    outcome = Object.freeze({
      verdict: Object.freeze({ allowed: candidate.allowed, reason: candidate.reason }),
      direction,
      key: direction === null ? null : shadowKey(direction, candidate.reason),
    });
    byReason.set(candidate.reason, outcome);
  }
  return outcome;
}

/**
 * Shadow evaluation (SPEC §3): the same request decided again with the tenant's compiled candidate. Only the
 * live decision is answered; the candidate's verdict goes in the `/resolve` body's `shadow`, and a difference
 * is counted by the caller (BlockedLogService.recordShadow). Pure and I/O-free: the candidate was compiled
 * into the policy cache entry beside the live policy, so a decision costs a second `decide` and a table lookup.
 */
export function evaluateShadow(
  candidate: CompiledPolicy,
  request: CorsRequest,
  live: Decision,
): ShadowOutcome {
  const d = decide(candidate, request);
  return outcomeOf(shadowDirection(live, d), d);
}
