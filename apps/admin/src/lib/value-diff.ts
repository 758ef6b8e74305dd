/** One leaf that differs between two JSON values, located by a dotted path (`origins[1].note`). */
export interface ValueChange {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

function flatten(value: unknown, path: string, out: Map<string, unknown>): void {
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(path, []);
    value.forEach((v, i) => flatten(v, `${path}[${i}]`, out));
  } else if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) out.set(path, {});
    for (const [k, v] of entries) flatten(v, path ? `${path}.${k}` : k, out);
  } else {
    out.set(path, value);
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Leaf-level differences of two JSON values (audit before/after of any kind of record). */
export function diffValues(before: unknown, after: unknown): ValueChange[] {
  const b = new Map<string, unknown>();
  const a = new Map<string, unknown>();
  if (before !== null && before !== undefined) flatten(before, '', b);
  if (after !== null && after !== undefined) flatten(after, '', a);
  const changes: ValueChange[] = [];
  for (const [path, v] of b) {
    if (!a.has(path)) changes.push({ path, kind: 'removed', before: v });
    else if (!same(v, a.get(path)))
      changes.push({ path, kind: 'changed', before: v, after: a.get(path) });
  }
  for (const [path, v] of a) if (!b.has(path)) changes.push({ path, kind: 'added', after: v });
  return changes;
}
