import type { CandidateImpactQuery } from '@corsplane/contracts';

/**
 * Every query key of the candidate feature, from one place, under the tenant's scope
 * (`['tenants', slug, …]`): switching tenants never shows another's candidate, and invalidating a
 * tenant refreshes them too.
 */
export const candidateKeys = {
  all: (slug: string) => ['tenants', slug, 'candidate'] as const,
  /** The candidate document (null when the tenant has none). */
  document: (slug: string) => [...candidateKeys.all(slug), 'document'] as const,
  /** The whole live document (origins included) the candidate is compared with. */
  live: (slug: string) => [...candidateKeys.all(slug), 'live'] as const,
  impacts: (slug: string) => [...candidateKeys.all(slug), 'impact'] as const,
  impact: (slug: string, q: Pick<CandidateImpactQuery, 'since' | 'until'> & { limit?: number }) =>
    [...candidateKeys.impacts(slug), q] as const,
  /** Under `impacts`: a new candidate invalidates the chart with the table. */
  impactTimeline: (slug: string, f: object) =>
    [...candidateKeys.impacts(slug), 'timeline', f] as const,
};
