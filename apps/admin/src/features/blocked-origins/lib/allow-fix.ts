import type { BlockedOrigin, SimulateResponse } from '@corsplane/contracts';

/** What "Allow" changes so that a blocked row's request is allowed: the actual reason, not a new origin row. */
export type AllowFix =
  | { kind: 'add-origin'; origin: string }
  | { kind: 'add-method'; method: string; route: string | null }
  | { kind: 'add-headers'; headers: string[]; route: string | null }
  | { kind: 'allow-private-network'; route: string | null }
  | { kind: 'renew-entry'; pattern: string; expiredAt: string }
  | { kind: 'allowed'; version: number }
  | { kind: 'none'; why: string };

/**
 * The fix for a blocked row, from simulate's answer to the row's request against the live policy (so a row
 * fixed since, or refused for another reason now, gets the fix it needs today).
 */
export function planFix(row: Pick<BlockedOrigin, 'origin'>, verdict: SimulateResponse): AllowFix {
  if (verdict.allowed && verdict.reportOnly !== true)
    return { kind: 'allowed', version: verdict.policyVersion };
  const route = verdict.route;
  switch (verdict.reason) {
    case 'origin-not-allowed':
      return { kind: 'add-origin', origin: row.origin };
    case 'expired': {
      const entry = verdict.matchedEntry;
      if (entry === null || entry.expiresAt === null)
        return { kind: 'none', why: 'The expired entry could not be found.' };
      if (entry.source === 'baseline')
        return {
          kind: 'none',
          why: `The expired entry “${entry.pattern}” is the platform baseline's: a platform admin renews it on the Platform baseline page.`,
        };
      return { kind: 'renew-entry', pattern: entry.pattern, expiredAt: entry.expiresAt };
    }
    case 'method-not-allowed':
      return verdict.refusedName
        ? { kind: 'add-method', method: verdict.refusedName, route }
        : { kind: 'none', why: 'The requested method is not a valid method name.' };
    case 'header-not-allowed':
      return verdict.refusedName
        ? { kind: 'add-headers', headers: verdict.refusedName.split(', '), route }
        : {
            kind: 'none',
            why: 'The requested header list is malformed or too long (over 8 KiB or 64 names).',
          };
    case 'private-network-not-allowed':
      return { kind: 'allow-private-network', route };
    case 'malformed-origin':
      return { kind: 'none', why: 'A malformed Origin is never allowed.' };
    default:
      return { kind: 'none', why: 'Nothing to change.' };
  }
}
