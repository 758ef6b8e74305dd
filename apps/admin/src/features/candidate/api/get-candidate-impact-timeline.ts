import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { CandidateImpactTimeline, CandidateImpactTimelineQuery } from '@corsplane/contracts';
import { api, seg } from '../../../lib/api-client.js';
import { candidateKeys } from './query-keys.js';

export type CandidateImpactTimelineFilter = Pick<CandidateImpactTimelineQuery, 'bucket'> &
  Partial<Pick<CandidateImpactTimelineQuery, 'since' | 'until'>>;

/** The shadow differences per hour or UTC day, zero-filled: the candidate page's whole chart in one request. */
export const getCandidateImpactTimeline = (
  slug: string,
  f: CandidateImpactTimelineFilter,
  signal?: AbortSignal,
) =>
  api<CandidateImpactTimeline>(`/v1/tenants/${seg(slug)}/policy/candidate/impact/timeline`, {
    query: { since: f.since, until: f.until, bucket: f.bucket },
    signal,
  });

export const candidateImpactTimelineQueryOptions = (
  slug: string,
  f: CandidateImpactTimelineFilter,
) =>
  queryOptions({
    queryKey: candidateKeys.impactTimeline(slug, f),
    queryFn: ({ signal }) => getCandidateImpactTimeline(slug, f, signal),
    // Keep the bars while another range loads, but never another tenant's.
    placeholderData: (prev, prevQuery) =>
      prevQuery?.queryKey[1] === slug ? keepPreviousData(prev) : undefined,
  });

export const useCandidateImpactTimeline = (slug: string, f: CandidateImpactTimelineFilter) =>
  useQuery(candidateImpactTimelineQueryOptions(slug, f));
