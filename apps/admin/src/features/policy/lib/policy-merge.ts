import type { PolicyInput } from '@corsplane/contracts';
import { diffPolicies, originKey, type PolicyChange } from './policy-diff.js';

export interface MergeResult {
  /** `theirs` with `mine`'s changes (relative to `base`) applied on top. */
  merged: PolicyInput;
  /** Changes both sides made to the same thing, differently; `merged` keeps mine for each. */
  conflicts: string[];
  theirChanges: PolicyChange[];
  myChanges: PolicyChange[];
}

type ListField = 'allowedMethods' | 'allowedHeaders' | 'exposedHeaders';
type ScalarField = 'mode' | 'allowCredentials' | 'maxAgeSeconds' | 'allowPrivateNetwork';

const listKey = (field: ListField, v: string) => (field === 'allowedMethods' ? v : v.toLowerCase());

/**
 * Three-way merge for a 412: someone saved `theirs` while I edited `base` into `mine`. Every change of mine
 * is replayed onto theirs, so neither edit is lost; where we both changed the same entry or setting
 * differently, mine wins and the conflict is named so the user can review it before saving again.
 */
export function mergePolicies(
  base: PolicyInput,
  mine: PolicyInput,
  theirs: PolicyInput,
): MergeResult {
  const myChanges = diffPolicies(base, mine);
  const theirChanges = diffPolicies(base, theirs);
  const conflicts: string[] = [];
  const merged: PolicyInput = {
    ...theirs,
    origins: theirs.origins.map((o) => ({ ...o })),
    allowedMethods: [...theirs.allowedMethods],
    allowedHeaders: [...theirs.allowedHeaders],
    exposedHeaders: [...theirs.exposedHeaders],
  };
  delete merged.version;

  const theirOrigin = new Map(
    theirChanges
      .filter((c) => c.kind.startsWith('origin-'))
      .map((c) => [originKey((c as { pattern: string }).pattern), c]),
  );
  for (const c of myChanges) {
    switch (c.kind) {
      case 'origin-added':
      case 'origin-changed': {
        const k = originKey(c.pattern);
        const mineEntry = mine.origins.find((o) => originKey(o.pattern) === k);
        if (!mineEntry) break;
        const idx = merged.origins.findIndex((o) => originKey(o.pattern) === k);
        const other = theirOrigin.get(k);
        if (other && other.kind !== 'origin-removed') {
          const t = merged.origins[idx];
          if (
            t &&
            ((t.note ?? null) !== (mineEntry.note ?? null) ||
              (t.expiresAt ?? null) !== (mineEntry.expiresAt ?? null))
          ) {
            conflicts.push(
              `Origin ${c.pattern} was edited by both of you; your note and expiry are kept.`,
            );
          }
        } else if (other?.kind === 'origin-removed') {
          conflicts.push(
            `Origin ${c.pattern} was removed by the other edit and changed by yours; yours is kept.`,
          );
        }
        if (idx >= 0) merged.origins[idx] = { ...mineEntry };
        else merged.origins.push({ ...mineEntry });
        break;
      }
      case 'origin-removed': {
        const k = originKey(c.pattern);
        const other = theirOrigin.get(k);
        if (other?.kind === 'origin-changed')
          conflicts.push(
            `Origin ${c.pattern} was changed by the other edit and removed by yours; it is removed.`,
          );
        merged.origins = merged.origins.filter((o) => originKey(o.pattern) !== k);
        break;
      }
      case 'list-added': {
        const list = merged[c.field];
        if (!list.some((v) => listKey(c.field, v) === listKey(c.field, c.value)))
          list.push(c.value);
        break;
      }
      case 'list-removed': {
        merged[c.field] = merged[c.field].filter(
          (v) => listKey(c.field, v) !== listKey(c.field, c.value),
        );
        break;
      }
      case 'scalar-changed': {
        const field: ScalarField = c.field;
        if (theirs[field] !== base[field] && theirs[field] !== mine[field]) {
          conflicts.push(
            `${field} was set to ${String(theirs[field])} by the other edit and to ${String(mine[field])} by yours; yours is kept.`,
          );
        }
        (merged as Record<ScalarField, unknown>)[field] = mine[field];
        break;
      }
    }
  }
  return { merged, conflicts, theirChanges, myChanges };
}
