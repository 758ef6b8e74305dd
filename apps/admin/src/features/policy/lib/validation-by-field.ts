import { validatePolicy } from '@corsplane/policy';
import type { ApiIssue, PolicyInput } from '@corsplane/contracts';

export interface FieldIssue {
  path: string;
  reason: string;
  /** The message without its leading `path: ` (the field it sits beside already says where). */
  text: string;
  value?: unknown;
}

export interface FieldIssues {
  errors: FieldIssue[];
  warnings: FieldIssue[];
}

/** Errors and warnings of a policy indexed by the path of the value that causes them. */
export interface IssuesByField {
  ok: boolean;
  errorCount: number;
  warningCount: number;
  /** Issues exactly at `path` (`origins[2].pattern`, `maxAgeSeconds`). */
  at(path: string): FieldIssues;
  /** Issues at `path` or below it (`origins[2]` → its pattern, note and expiry). */
  under(path: string): FieldIssues;
  /** Issues of a list's items (`allowedMethods` → `allowedMethods[0]`, `allowedMethods[3]`…). */
  list(field: string): FieldIssues;
  all: FieldIssues;
}

const EMPTY: FieldIssues = Object.freeze({ errors: [], warnings: [] }) as FieldIssues;

export function toFieldIssue(issue: ApiIssue): FieldIssue {
  const prefix = `${issue.path}: `;
  let text = issue.message.startsWith(prefix) ? issue.message.slice(prefix.length) : issue.message;
  // "is not a valid method" reads badly beside a list of several names: say which one.
  if (/^(is|are|has|cannot) /.test(text) && typeof issue.value === 'string' && issue.value !== '')
    text = `“${issue.value}” ${text}`;
  return { path: issue.path, reason: issue.reason, text, value: issue.value };
}

/** Groups issues (from the in-browser engine or a server 422's `details`) by field path. */
export function groupIssues(errors: ApiIssue[], warnings: ApiIssue[] = []): IssuesByField {
  return groupIssuesOf({
    errors: errors.map(toFieldIssue),
    warnings: warnings.map(toFieldIssue),
  });
}

function groupIssuesOf(all: FieldIssues): IssuesByField {
  const pick = (match: (p: string) => boolean): FieldIssues => {
    const e = all.errors.filter((i) => match(i.path));
    const w = all.warnings.filter((i) => match(i.path));
    return e.length || w.length ? { errors: e, warnings: w } : EMPTY;
  };
  return {
    ok: all.errors.length === 0,
    errorCount: all.errors.length,
    warningCount: all.warnings.length,
    at: (path) => pick((p) => p === path),
    under: (path) =>
      pick((p) => p === path || p.startsWith(`${path}.`) || p.startsWith(`${path}[`)),
    list: (field) => pick((p) => p === field || p.startsWith(`${field}[`)),
    all,
  };
}

/** The issues of one route (`routes[1].`), addressed by the paths of a policy (`origins[0].pattern`). */
export function scopedIssues(issues: IssuesByField, prefix: string): IssuesByField {
  const under = issues.under(prefix.slice(0, -1));
  const strip = (list: FieldIssue[]) =>
    list.map((i) => ({ ...i, path: i.path.slice(prefix.length) }));
  return groupIssuesOf({ errors: strip(under.errors), warnings: strip(under.warnings) });
}

/** Runs the same engine as the server (`@corsplane/policy`) over a draft document. */
export function validateDraft(doc: PolicyInput, now: number = Date.now()): IssuesByField {
  const result = validatePolicy(doc, { now });
  return groupIssues(result.errors, result.warnings);
}
