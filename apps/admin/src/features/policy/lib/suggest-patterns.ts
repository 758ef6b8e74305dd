import { parseOriginPattern } from '@corsplane/policy';

export interface PatternSuggestion {
  pattern: string;
  label: string;
}

/**
 * Allow-list entries that would admit a refused origin, narrowest first: the exact origin, then each
 * wildcard-subdomain pattern it fits (never on a public suffix: the engine refuses those), and for
 * loopback hosts the any-port pattern developers usually want.
 */
export function suggestPatterns(origin: string): PatternSuggestion[] {
  const parsed = parseOriginPattern(origin.trim());
  if (!parsed.ok) return [];
  const p = parsed.pattern;
  if (p.kind !== 'host') return [{ pattern: p.normalised, label: 'exactly this origin' }];
  const out: PatternSuggestion[] = [{ pattern: p.normalised, label: 'exactly this origin' }];
  if (p.subdomains || p.port === '*') return out;
  const port = p.port === null ? '' : `:${p.port}`;
  if (!p.ip) {
    const labels = p.host.split('.');
    for (let i = 1; i < labels.length - 1; i++) {
      const candidate = `${p.scheme}://*.${labels.slice(i).join('.')}${port}`;
      const check = parseOriginPattern(candidate);
      if (check.ok)
        out.push({
          pattern: check.pattern.normalised,
          label: `any subdomain of ${labels.slice(i).join('.')}`,
        });
    }
  }
  if (p.port !== null && (p.host === 'localhost' || p.host === '127.0.0.1' || p.host === '[::1]')) {
    const any = parseOriginPattern(`${p.scheme}://${p.host}:*`);
    if (any.ok) out.push({ pattern: any.pattern.normalised, label: `${p.host} on any port` });
  }
  return out;
}
