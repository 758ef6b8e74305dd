import type { ApiIssue, PolicyInput } from '@corsplane/contracts';
import { formatUtc } from '../../../lib/format-time.js';
import { toFieldIssue } from './validation-by-field.js';

/**
 * Issues (the in-browser engine's, a dry run's, a 422's `details`) name JSON paths
 * (`origins[7].expiresAt`); a person finds a row by its number in the table and its pattern, and a
 * route by its path. This turns one into the other: "Row 8 (old-partner.example.net)",
 * "Route /api/* row 2 (https://a.com)", "Route /api/*".
 */
const LOCATION = /^(?:routes\[(\d+)\])?\.?(?:origins\[(\d+)\])?/;

type OriginRows = readonly { pattern: string }[] | undefined;

const row = (origins: OriginRows, index: number) => {
  const pattern = origins?.[index]?.pattern;
  return `Row ${index + 1}${pattern ? ` (${pattern})` : ''}`;
};

const routeName = (doc: PolicyInput, index: number) =>
  `Route ${doc.routes?.[index]?.path || `#${index + 1} (no path)`}`;

/** Where `path` is, in the words of the editor's tables; null for a top-level setting. */
export function locateIssue(path: string, doc: PolicyInput): string | null {
  const m = LOCATION.exec(path);
  const routeIndex = m?.[1] === undefined ? null : Number(m[1]);
  const originIndex = m?.[2] === undefined ? null : Number(m[2]);
  if (routeIndex === null) return originIndex === null ? null : row(doc.origins, originIndex);
  const route = routeName(doc, routeIndex);
  if (originIndex === null) return route;
  return `${route} ${row(doc.routes?.[routeIndex]?.origins, originIndex).replace(/^Row/, 'row')}`;
}

/**
 * Other paths inside a message (`is already origins[3]`) in the same words. The engine names
 * top-level rows there (a route's duplicate is reported against its own list, see validate.ts).
 */
function rewriteRefs(text: string, doc: PolicyInput): string {
  return text
    .replace(/\borigins\[(\d+)\]/g, (_all, n: string) =>
      row(doc.origins, Number(n)).replace(/^Row/, 'row'),
    )
    .replace(/\broutes\[(\d+)\]\.path\b/g, (_all, n: string) =>
      routeName(doc, Number(n)).replace(/^Route/, 'the path of route'),
    );
}

/**
 * One issue as a sentence a person can act on: "Row 8 (old-partner.example.net) expired on
 * 1 Jan 2025, 00:00 UTC"; "Route /api/*: …"; a top-level setting keeps its field name.
 */
export function describeIssue(issue: ApiIssue, doc: PolicyInput): string {
  const where = locateIssue(issue.path, doc);
  if (issue.reason === 'expired-entry' && typeof issue.value === 'string')
    return `${where ?? issue.path} expired on ${formatUtc(issue.value)}`;
  const text = rewriteRefs(toFieldIssue(issue).text, doc);
  if (where === null) return `${issue.path}: ${text}`;
  const rest = issue.path.replace(LOCATION, '').replace(/^\./, '');
  return rest ? `${where}, ${rest}: ${text}` : `${where}: ${text}`;
}
