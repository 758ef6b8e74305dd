import type { MatchedEntry, SimulateResponse } from '@corsplane/contracts';
import { formatUtc } from '../../../lib/format-time.js';

type Verdict = Pick<
  SimulateResponse,
  'reason' | 'allowed' | 'mode' | 'preflight' | 'refusedName' | 'matchedEntry' | 'route'
>;

/** How a person finds the entry: its pattern, which list it is in, and its note. */
export function entryName(entry: MatchedEntry): string {
  const where = entry.source === 'baseline' ? ' of the platform baseline' : '';
  const note = entry.note ? ` (“${entry.note}”)` : '';
  return `the entry “${entry.pattern}”${where}${note}`;
}

const quoted = (names: string) =>
  names
    .split(', ')
    .map((n) => `“${n}”`)
    .join(', ');

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * The engine's decision in plain words, for people who do not read the Fetch standard: which entry matched
 * (for every reason, the expired one included) and which method or header names were refused.
 */
export function reasonText(r: Verdict): string {
  const entry = r.matchedEntry;
  const allowedBy = entry
    ? `The origin is allowed by ${entry && entryName(entry)}`
    : 'The origin is allowed';
  const where = r.route ? ` of the route ${r.route}` : '';
  const base = (() => {
    switch (r.reason) {
      case 'exact-match':
        return `The origin is listed exactly: ${entry ? entryName(entry) : 'an exact entry'}.`;
      case 'wildcard-match':
        return `The origin matches ${entry ? entryName(entry) : 'a wildcard entry'}.`;
      case 'any-origin':
        return 'The policy allows any origin (“*”).';
      case 'no-origin':
        return 'No Origin header: this is not a cross-origin request, so no CORS headers are needed.';
      case 'malformed-origin':
        return 'The Origin value is malformed (several origins, a path, spaces or non-ASCII), so it is refused and never reflected.';
      case 'origin-not-allowed':
        return 'No allow-list entry matches this origin.';
      case 'method-not-allowed':
        return r.refusedName
          ? `${allowedBy}, but the method “${r.refusedName}” is not in the allowed methods${where}.`
          : `${allowedBy}, but the requested method is not a valid method name.`;
      case 'header-not-allowed': {
        if (!r.refusedName)
          return `${allowedBy}, but the requested header list is malformed or too long (over 8 KiB or 64 names).`;
        const several = r.refusedName.includes(', ');
        return `${allowedBy}, but the header${several ? 's' : ''} ${quoted(r.refusedName)} ${several ? 'are' : 'is'} not in the allowed headers${where}.`;
      }
      case 'private-network-not-allowed':
        return `${allowedBy}, but private network access is off${where}.`;
      case 'expired':
        return entry?.expiresAt
          ? `${capital(entryName(entry))} matches, but it expired on ${formatUtc(entry.expiresAt)}.`
          : 'The entries that match this origin have expired.';
    }
  })();
  if (
    r.mode === 'report-only' &&
    r.reason !== 'exact-match' &&
    r.reason !== 'wildcard-match' &&
    r.reason !== 'any-origin' &&
    r.reason !== 'no-origin'
  ) {
    return `${base} The policy is in report-only mode: the refusal is recorded, but the request is let through without credentials.`;
  }
  return base;
}
