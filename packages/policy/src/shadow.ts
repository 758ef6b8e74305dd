import type { Decision } from './types.js';

/** How a candidate policy's decision differs from the live one's (SPEC §3, shadow evaluation). */
export type ShadowDirection = 'would-block' | 'would-allow';

/**
 * The difference shadow evaluation counts, or null when there is none. It compares what the browser would be
 * let through: `allowed` as each policy answers it. So a report-only policy's would-be refusal (answered as
 * allowed, SPEC §3) counts as let through, like its live effect; a candidate in report-only mode therefore
 * blocks nobody, and "would-block" means exactly: promoting the candidate would refuse this request.
 * The same rule serves `/resolve`, `/resolve/headers` and the SDK.
 */
export function shadowDirection(live: Decision, candidate: Decision): ShadowDirection | null {
  if (live.allowed === candidate.allowed) return null;
  return live.allowed ? 'would-block' : 'would-allow';
}
