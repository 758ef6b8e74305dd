// The platform baseline (SPEC §2.2): origin entries every tenant's policy includes, whose host may
// hold `{tenant}`, replaced by the tenant's slug. Validated with the same pattern parser as a
// tenant's entries, once for the template and once per existing slug, so a slug that would make an
// invalid host is named at write time instead of silently dropping the entry for that tenant.
import { parseOriginPattern } from './origin-pattern.js';
import type { Issue, IssueReason, OriginEntry, PolicyDocument } from './types.js';

/** What a baseline pattern writes where the tenant's slug goes. */
export const TENANT_PLACEHOLDER = '{tenant}';
/**
 * The most entries a baseline holds. Every tenant's compiled policy carries the whole expanded
 * baseline, so its size multiplies by the number of tenants held in memory.
 */
export const MAX_BASELINE_ORIGINS = 1_000;
/** At most this many problems are reported for one write (one per entry and slug otherwise). */
export const MAX_BASELINE_ISSUES = 100;
const MAX_NOTE_LENGTH = 500;
/** Stands for `{tenant}` while a template is parsed: a valid ASCII label no slug pattern produces by chance. */
const SENTINEL = 'zz-corsplane-tenant-zz';

export interface BaselineEntry {
  /** Normalised; may hold `{tenant}` in its host. */
  pattern: string;
  note?: string | null;
}

/** The platform baseline document of `GET/PUT /v1/platform/policy`. */
export interface BaselineDocument {
  origins: BaselineEntry[];
}

export interface BaselineValidationResult {
  ok: boolean;
  errors: Issue[];
  /** The normalised baseline, present when `ok`. */
  baseline?: BaselineDocument;
}

export interface BaselineValidateOptions {
  /** Slugs of the existing tenants: every entry must expand to a valid pattern for each. */
  slugs?: Iterable<string>;
}

const issue = (path: string, value: unknown, reason: IssueReason, message: string): Issue => ({
  path,
  value,
  reason,
  message: `${path || 'baseline'}: ${message}`,
});

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Validates and normalises a baseline document, and its expansion for each of `options.slugs`. */
export function validateBaseline(
  input: unknown,
  options: BaselineValidateOptions = {},
): BaselineValidationResult {
  const errors: Issue[] = [];
  const fail = () => ({ ok: false, errors: errors.slice(0, MAX_BASELINE_ISSUES) });
  if (!isRecord(input) || !Array.isArray(input.origins)) {
    errors.push(issue('', input, 'invalid-type', 'is {"origins": [{"pattern", "note"}]}'));
    return fail();
  }
  for (const key of Object.keys(input)) {
    if (key !== 'origins' && key !== 'version')
      errors.push(issue(key, input[key], 'unknown-field', 'is not a baseline field'));
  }
  const list: unknown[] = input.origins;
  if (list.length > MAX_BASELINE_ORIGINS) {
    errors.push(
      issue(
        'origins',
        list.length,
        'too-many-origins',
        `holds ${list.length.toLocaleString('en-US')} entries; the baseline holds at most ${MAX_BASELINE_ORIGINS.toLocaleString('en-US')}`,
      ),
    );
    return fail();
  }
  const origins: BaselineEntry[] = [];
  const seen = new Map<string, number>();
  list.forEach((raw, index) => {
    const entry = readEntry(raw, `origins[${index}]`, errors);
    if (entry === null) return;
    const path = `origins[${index}].pattern`;
    const template = normaliseTemplate(entry.pattern);
    if (!template.ok) {
      errors.push(issue(path, entry.pattern, template.reason, template.message));
      return;
    }
    const first = seen.get(template.pattern);
    if (first !== undefined) {
      errors.push(
        issue(
          path,
          entry.pattern,
          'duplicate',
          `"${template.pattern}" is already origins[${first}]`,
        ),
      );
      return;
    }
    seen.set(template.pattern, index);
    origins.push({ pattern: template.pattern, note: entry.note });
  });
  if (errors.length === 0) {
    // Templates without `{tenant}` expand to themselves: only the others need checking per slug.
    const templated = origins
      .map((entry, index) => ({
        entry,
        path: `origins[${seen.get(entry.pattern)}].pattern`,
        index,
      }))
      .filter(({ entry }) => entry.pattern.includes(TENANT_PLACEHOLDER));
    for (const slug of options.slugs ?? []) {
      for (const { entry, path } of templated) {
        const expanded = expandPattern(entry.pattern, slug);
        if (!expanded.ok) {
          errors.push(
            issue(
              path,
              entry.pattern,
              'invalid-for-tenant',
              `for tenant "${slug}" it is "${expanded.value}", which is refused: ${expanded.message}`,
            ),
          );
          if (errors.length >= MAX_BASELINE_ISSUES) return fail();
        }
      }
    }
  }
  return errors.length > 0 ? fail() : { ok: true, errors, baseline: { origins } };
}

function readEntry(raw: unknown, path: string, errors: Issue[]): Required<BaselineEntry> | null {
  if (typeof raw === 'string') return { pattern: raw, note: null };
  if (!isRecord(raw)) {
    errors.push(issue(path, raw, 'invalid-type', 'is an origin pattern or {pattern, note}'));
    return null;
  }
  let valid = true;
  for (const key of Object.keys(raw)) {
    if (key !== 'pattern' && key !== 'note') {
      errors.push(
        issue(`${path}.${key}`, raw[key], 'unknown-field', 'is not a baseline entry field'),
      );
      valid = false;
    }
  }
  if (typeof raw.pattern !== 'string') {
    errors.push(issue(`${path}.pattern`, raw.pattern, 'invalid-type', 'is a string'));
    valid = false;
  }
  const note = raw.note ?? null;
  if (note !== null && (typeof note !== 'string' || note.length > MAX_NOTE_LENGTH)) {
    errors.push(
      issue(
        `${path}.note`,
        note,
        'invalid-note',
        `is text of at most ${MAX_NOTE_LENGTH} characters`,
      ),
    );
    valid = false;
  }
  return valid ? { pattern: raw.pattern as string, note: note as string | null } : null;
}

type TemplateResult =
  { ok: true; pattern: string } | { ok: false; reason: IssueReason; message: string };

/**
 * Parses a template with a sentinel label in place of `{tenant}` and writes the normalised result
 * back with the placeholder, which must have landed in the host, in labels that stay ASCII (an
 * IDNA label is re-encoded as a whole, so a slug could not be substituted into it).
 */
function normaliseTemplate(input: string): TemplateResult {
  const placeholders = input.split(TENANT_PLACEHOLDER).length - 1;
  const parsed = parseOriginPattern(input.split(TENANT_PLACEHOLDER).join(SENTINEL));
  if (!parsed.ok) return parsed;
  const { pattern } = parsed;
  if (pattern.kind === 'any') {
    // Every tenant would allow every origin, and a tenant with credentials cannot hold `*`.
    return {
      ok: false,
      reason: 'baseline-any-origin',
      message: '"*" cannot be a baseline entry: every tenant would allow every origin',
    };
  }
  // `null` holds no placeholder, so a template that does is a host pattern.
  if (placeholders === 0 || pattern.kind !== 'host')
    return { ok: true, pattern: pattern.normalised };
  const inHost = pattern.host.split(SENTINEL).length - 1 === placeholders;
  const asciiLabels = pattern.host
    .split('.')
    .every((label) => !label.includes(SENTINEL) || !label.startsWith('xn--'));
  if (!inHost || !asciiLabels) {
    return {
      ok: false,
      reason: 'invalid-tenant-placeholder',
      message: `${TENANT_PLACEHOLDER} stands only in the host, in labels of ASCII characters ("https://${TENANT_PLACEHOLDER}.app.example")`,
    };
  }
  return { ok: true, pattern: pattern.normalised.split(SENTINEL).join(TENANT_PLACEHOLDER) };
}

type ExpansionResult =
  | { ok: true; pattern: string }
  | { ok: false; value: string; reason: IssueReason; message: string };

/** A normalised template with `{tenant}` replaced by `slug`, parsed again (slugs may make a bad host). */
export function expandPattern(template: string, slug: string): ExpansionResult {
  if (!template.includes(TENANT_PLACEHOLDER)) return { ok: true, pattern: template };
  const value = template.split(TENANT_PLACEHOLDER).join(slug);
  const parsed = parseOriginPattern(value);
  if (!parsed.ok) return { ok: false, value, reason: parsed.reason, message: parsed.message };
  return { ok: true, pattern: parsed.pattern.normalised };
}

/**
 * The baseline's entries for one tenant, tagged `source: 'baseline'`. An entry that does not expand for
 * this slug (the write-time checks make that impossible for existing tenants) is left out rather than
 * failing the tenant's whole policy.
 */
export function expandBaseline(baseline: BaselineDocument, slug: string): OriginEntry[] {
  const entries: OriginEntry[] = [];
  for (const entry of baseline.origins) {
    const expanded = expandPattern(entry.pattern, slug);
    if (expanded.ok)
      entries.push({ pattern: expanded.pattern, note: entry.note ?? null, source: 'baseline' });
  }
  return entries;
}

/**
 * A tenant's effective policy (SPEC §2.2): its own origins plus the expanded baseline; every other field
 * stays the tenant's. Where both list a pattern the baseline entry is kept: a tenant cannot remove (or
 * expire) a baseline entry by listing it too.
 */
export function effectivePolicy(
  tenant: PolicyDocument,
  baselineEntries: readonly OriginEntry[],
): PolicyDocument {
  if (baselineEntries.length === 0) return tenant;
  const fromBaseline = new Set(baselineEntries.map((entry) => entry.pattern));
  return {
    ...tenant,
    origins: [
      ...tenant.origins.filter((entry) => !fromBaseline.has(entry.pattern)),
      ...baselineEntries,
    ],
  };
}
