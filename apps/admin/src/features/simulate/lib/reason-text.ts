import type { ResolveResponse } from '@corsplane/contracts';

/** The engine's decision reason in plain words, for people who do not read the Fetch standard. */
export function reasonText(
  r: Pick<ResolveResponse, 'reason' | 'allowed' | 'matchedPattern' | 'mode' | 'preflight'>,
): string {
  const pattern = r.matchedPattern ? `“${r.matchedPattern}”` : 'an entry';
  const base = (() => {
    switch (r.reason) {
      case 'exact-match':
        return `The origin is listed exactly (${pattern}).`;
      case 'wildcard-match':
        return `The origin matches the wildcard pattern ${pattern}.`;
      case 'any-origin':
        return 'The policy allows any origin (“*”).';
      case 'no-origin':
        return 'No Origin header: this is not a cross-origin request, so no CORS headers are needed.';
      case 'malformed-origin':
        return 'The Origin value is malformed (several origins, a path, spaces or non-ASCII), so it is refused and never reflected.';
      case 'origin-not-allowed':
        return 'No allow-list entry matches this origin.';
      case 'method-not-allowed':
        return `The origin is allowed (${pattern}), but the requested method is not in the allowed methods.`;
      case 'header-not-allowed':
        return `The origin is allowed (${pattern}), but at least one requested header is not in the allowed headers.`;
      case 'private-network-not-allowed':
        return `The origin is allowed (${pattern}), but private network access is off.`;
      case 'expired':
        return `The matching entry ${pattern} has expired.`;
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
