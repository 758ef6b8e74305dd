import type { PolicyInput } from '@corsplane/contracts';
import { diffPolicies, type PolicyChange } from '../../policy/index.js';

/** How many diff lines the page renders; the rest are counted ("and 1,234 more"). */
export const DIFF_LINES_SHOWN = 300;

export interface CandidateDiff {
  changes: PolicyChange[];
  /** Per-route rules differ (policy-diff compares the top-level fields only). */
  routesChanged: boolean;
  added: number;
  removed: number;
  settingsChanged: number;
}

/** What promoting would change: live → candidate, origins and settings, with counts for headings. */
export function candidateDiff(live: PolicyInput, candidate: PolicyInput): CandidateDiff {
  const changes = diffPolicies(live, candidate);
  let added = 0;
  let removed = 0;
  for (const c of changes) {
    if (c.kind === 'origin-added') added++;
    else if (c.kind === 'origin-removed') removed++;
  }
  const routesChanged =
    JSON.stringify(live.routes ?? []) !== JSON.stringify(candidate.routes ?? []);
  return {
    changes,
    routesChanged,
    added,
    removed,
    settingsChanged: changes.filter((c) => !c.kind.startsWith('origin-')).length,
  };
}

/** A pasted or uploaded JSON document as a policy: the document, or what is wrong with it. */
export function parsePolicyJson(text: string): { doc: unknown } | { error: string } {
  if (!text.trim()) return { error: 'Paste a policy document (JSON) or choose a file.' };
  try {
    const doc: unknown = JSON.parse(text);
    if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
      return { error: 'The document must be a JSON object with origins and settings.' };
    // A policy exported or copied from GET …/policy carries its version: the candidate has its own.
    const { version: _version, ...rest } = doc as Record<string, unknown>;
    return { doc: rest };
  } catch (e) {
    return { error: `Not valid JSON: ${(e as Error).message}` };
  }
}
