import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { CandidateImpact } from '@corsplane/contracts';
import { api, seg } from '../../../lib/api-client.js';
import { candidateKeys } from './query-keys.js';

export interface ImpactFilter {
  since: string;
  until: string;
  /** Rows per page (1–500); the totals always cover the whole window. */
  limit?: number;
}

/** `GET …/policy/candidate/impact`: the shadow differences over a window, most counted first, and totals. */
export const getCandidateImpact = (slug: string, f: ImpactFilter, signal?: AbortSignal) =>
  api<CandidateImpact>(`/v1/tenants/${seg(slug)}/policy/candidate/impact`, {
    query: { since: f.since, until: f.until, limit: f.limit },
    signal,
  });

export const candidateImpactQueryOptions = (slug: string, f: ImpactFilter) =>
  queryOptions({
    queryKey: candidateKeys.impact(slug, f),
    queryFn: ({ signal }) => getCandidateImpact(slug, f, signal),
    // Keep the table while another window loads, but never another tenant's.
    placeholderData: (prev, prevQuery) =>
      prevQuery?.queryKey[1] === slug ? keepPreviousData(prev) : undefined,
  });

export const useCandidateImpact = (slug: string, f: ImpactFilter) =>
  useQuery(candidateImpactQueryOptions(slug, f));
