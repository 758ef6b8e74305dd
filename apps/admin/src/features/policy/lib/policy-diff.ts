import type { PolicyInput } from '@corsplane/contracts';

type ListField = 'allowedMethods' | 'allowedHeaders' | 'exposedHeaders';
type ScalarField = 'mode' | 'allowCredentials' | 'maxAgeSeconds' | 'allowPrivateNetwork';

export type PolicyChange =
  | { kind: 'origin-added'; pattern: string; note: string | null; expiresAt: string | null }
  | { kind: 'origin-removed'; pattern: string; note: string | null; expiresAt: string | null }
  | {
      kind: 'origin-changed';
      pattern: string;
      note: { before: string | null; after: string | null } | null;
      expiresAt: { before: string | null; after: string | null } | null;
    }
  | { kind: 'list-added' | 'list-removed'; field: ListField; value: string }
  | { kind: 'scalar-changed'; field: ScalarField; before: unknown; after: unknown };

export const FIELD_LABELS: Record<ListField | ScalarField | 'origins', string> = {
  origins: 'Origins',
  allowedMethods: 'Allowed methods',
  allowedHeaders: 'Allowed headers',
  exposedHeaders: 'Exposed headers',
  mode: 'Mode',
  allowCredentials: 'Credentials',
  maxAgeSeconds: 'Max age',
  allowPrivateNetwork: 'Private network access',
};

const LIST_FIELDS: ListField[] = ['allowedMethods', 'allowedHeaders', 'exposedHeaders'];
const SCALAR_FIELDS: ScalarField[] = [
  'mode',
  'allowCredentials',
  'maxAgeSeconds',
  'allowPrivateNetwork',
];

/** Origin patterns compare as the engine stores them: trimmed, scheme and host case-insensitive. */
export const originKey = (pattern: string): string => pattern.trim().toLowerCase();
/** Header names compare case-insensitively; methods are case-sensitive (Fetch). */
const itemKey = (field: ListField, v: string): string =>
  field === 'allowedMethods' ? v.trim() : v.trim().toLowerCase();

const norm = (v: string | null | undefined): string | null =>
  v === undefined || v === null || v === '' ? null : v;
const sameInstant = (a: string | null, b: string | null): boolean =>
  a === b || (a !== null && b !== null && new Date(a).getTime() === new Date(b).getTime());

/**
 * What changes when `before` becomes `after`, in reading order: origins (removed, added, edited), then
 * each list's removed and added names, then scalar settings. Order inside a list does not count as a change.
 */
export function diffPolicies(before: PolicyInput, after: PolicyInput): PolicyChange[] {
  const changes: PolicyChange[] = [];
  const beforeOrigins = new Map(before.origins.map((o) => [originKey(o.pattern), o]));
  const afterOrigins = new Map(after.origins.map((o) => [originKey(o.pattern), o]));
  for (const [k, o] of beforeOrigins) {
    if (!afterOrigins.has(k))
      changes.push({
        kind: 'origin-removed',
        pattern: o.pattern,
        note: norm(o.note),
        expiresAt: norm(o.expiresAt),
      });
  }
  for (const [k, o] of afterOrigins) {
    const old = beforeOrigins.get(k);
    if (!old) {
      changes.push({
        kind: 'origin-added',
        pattern: o.pattern,
        note: norm(o.note),
        expiresAt: norm(o.expiresAt),
      });
      continue;
    }
    const note =
      norm(old.note) === norm(o.note) ? null : { before: norm(old.note), after: norm(o.note) };
    const expiresAt = sameInstant(norm(old.expiresAt), norm(o.expiresAt))
      ? null
      : { before: norm(old.expiresAt), after: norm(o.expiresAt) };
    if (note || expiresAt)
      changes.push({ kind: 'origin-changed', pattern: o.pattern, note, expiresAt });
  }
  for (const field of LIST_FIELDS) {
    const b = new Map(before[field].map((v) => [itemKey(field, v), v]));
    const a = new Map(after[field].map((v) => [itemKey(field, v), v]));
    for (const [k, v] of b) if (!a.has(k)) changes.push({ kind: 'list-removed', field, value: v });
    for (const [k, v] of a) if (!b.has(k)) changes.push({ kind: 'list-added', field, value: v });
  }
  for (const field of SCALAR_FIELDS) {
    if (before[field] !== after[field])
      changes.push({ kind: 'scalar-changed', field, before: before[field], after: after[field] });
  }
  return changes;
}

export function formatScalar(field: ScalarField, v: unknown): string {
  switch (field) {
    case 'maxAgeSeconds':
      return v === null ? 'not sent' : `${String(v)} s`;
    case 'mode':
      return String(v);
    default:
      return v ? 'on' : 'off';
  }
}

/** One line of plain text per change, for summaries, confirmations and tests. */
export function describeChange(c: PolicyChange): string {
  switch (c.kind) {
    case 'origin-added':
      return `+ origin ${c.pattern}${c.note ? ` (${c.note})` : ''}${c.expiresAt ? `, expires ${c.expiresAt}` : ''}`;
    case 'origin-removed':
      return `- origin ${c.pattern}`;
    case 'origin-changed': {
      const parts: string[] = [];
      if (c.note) parts.push(`note "${c.note.before ?? ''}" → "${c.note.after ?? ''}"`);
      if (c.expiresAt)
        parts.push(`expiry ${c.expiresAt.before ?? 'never'} → ${c.expiresAt.after ?? 'never'}`);
      return `~ origin ${c.pattern}: ${parts.join(', ')}`;
    }
    case 'list-added':
      return `+ ${FIELD_LABELS[c.field].toLowerCase()}: ${c.value}`;
    case 'list-removed':
      return `- ${FIELD_LABELS[c.field].toLowerCase()}: ${c.value}`;
    case 'scalar-changed':
      return `~ ${FIELD_LABELS[c.field].toLowerCase()}: ${formatScalar(c.field, c.before)} → ${formatScalar(c.field, c.after)}`;
  }
}
