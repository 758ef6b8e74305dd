// What differs between the policy in the file and the live one: origins added, removed or changed
// (keyed by their normalised pattern) and every other field that changed. Pure; no I/O.

export interface OriginChange {
  pattern: string;
  /** The fields of the entry that differ, file value against live value. */
  fields: Array<{ field: string; live: unknown; file: unknown }>;
}

export interface PolicyDiff {
  added: Array<Record<string, unknown>>;
  removed: Array<Record<string, unknown>>;
  changed: OriginChange[];
  fields: Array<{ field: string; live: unknown; file: unknown }>;
}

type Doc = Record<string, unknown>;

const ENTRY_FIELDS = ['note', 'expiresAt'] as const;

function entriesByPattern(origins: unknown): Map<string, Doc> {
  const map = new Map<string, Doc>();
  for (const entry of Array.isArray(origins) ? origins : []) {
    if (typeof entry === 'object' && entry !== null && typeof (entry as Doc).pattern === 'string')
      map.set((entry as Doc).pattern as string, entry as Doc);
  }
  return map;
}

/** Absent, undefined and null all mean "not set" for a note or an expiry. */
function unset(value: unknown): unknown {
  return value === undefined ? null : value;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(unset(a)) === JSON.stringify(unset(b));
}

export function diffPolicies(file: Doc, live: Doc): PolicyDiff {
  const fileEntries = entriesByPattern(file.origins);
  const liveEntries = entriesByPattern(live.origins);
  const diff: PolicyDiff = { added: [], removed: [], changed: [], fields: [] };
  for (const [pattern, entry] of fileEntries) {
    const current = liveEntries.get(pattern);
    if (current === undefined) {
      diff.added.push(entry);
      continue;
    }
    const fields = ENTRY_FIELDS.filter((field) => !same(entry[field], current[field])).map(
      (field) => ({ field, live: unset(current[field]), file: unset(entry[field]) }),
    );
    if (fields.length > 0) diff.changed.push({ pattern, fields });
  }
  for (const [pattern, entry] of liveEntries)
    if (!fileEntries.has(pattern)) diff.removed.push(entry);
  const keys = new Set([...Object.keys(file), ...Object.keys(live)]);
  keys.delete('origins');
  keys.delete('version');
  for (const field of [...keys].sort()) {
    if (!same(file[field], live[field]))
      diff.fields.push({ field, live: unset(live[field]), file: unset(file[field]) });
  }
  return diff;
}

export function hasChanges(diff: PolicyDiff): boolean {
  return diff.added.length + diff.removed.length + diff.changed.length + diff.fields.length > 0;
}

function show(value: unknown): string {
  return JSON.stringify(value);
}

function describeEntry(entry: Doc): string {
  const extras = ENTRY_FIELDS.filter((field) => unset(entry[field]) !== null).map(
    (field) => `${field} ${show(entry[field])}`,
  );
  return `${entry.pattern as string}${extras.length > 0 ? `  (${extras.join(', ')})` : ''}`;
}

/** Lines in the style of a plan: `+` only in the file (apply adds), `-` only live (apply removes). */
export function formatDiff(diff: PolicyDiff, indent = '  '): string[] {
  const lines: string[] = [];
  for (const entry of diff.added) lines.push(`${indent}+ ${describeEntry(entry)}`);
  for (const entry of diff.removed) lines.push(`${indent}- ${describeEntry(entry)}`);
  for (const change of diff.changed) {
    const parts = change.fields.map((f) => `${f.field} ${show(f.live)} → ${show(f.file)}`);
    lines.push(`${indent}~ ${change.pattern}: ${parts.join(', ')}`);
  }
  for (const f of diff.fields)
    lines.push(`${indent}~ ${f.field}: ${show(f.live)} → ${show(f.file)}`);
  return lines;
}
