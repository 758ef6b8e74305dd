import { queryOptions, useQuery } from '@tanstack/react-query';
import { getFullPolicy } from '../../policy/index.js';
import { candidateKeys } from './query-keys.js';

/**
 * The whole live document, origins included (`GET …/policy`, the policy feature's fetcher): the
 * candidate page compares it with the candidate, which the API also answers whole, and promotes under
 * its ETag. Both are bounded by the policy limits (SPEC §2.3); the editor never loads them whole.
 */
export const livePolicyQueryOptions = (slug: string) =>
  queryOptions({
    queryKey: candidateKeys.live(slug),
    queryFn: ({ signal }) => getFullPolicy(slug, signal),
  });

export const useLivePolicy = (slug: string, enabled = true) =>
  useQuery({ ...livePolicyQueryOptions(slug), enabled });
