import { queryOptions, useQuery } from '@tanstack/react-query';
import type { CandidatePolicy } from '@corsplane/contracts';
import { ApiError, request, seg } from '../../../lib/api-client.js';
import { candidateKeys } from './query-keys.js';

export interface CandidateWithEtag {
  candidate: CandidatePolicy;
  /** The candidate's ETag (`"<candidate version>"`), sent back as If-Match to replace or discard it. */
  etag: string;
}

/** `GET …/policy/candidate`: the candidate, or null when the tenant has none (the API's 404). */
export async function getCandidate(
  slug: string,
  signal?: AbortSignal,
): Promise<CandidateWithEtag | null> {
  try {
    const res = await request<CandidatePolicy>(`/v1/tenants/${seg(slug)}/policy/candidate`, {
      signal,
    });
    return { candidate: res.data, etag: res.headers.get('etag') ?? `"${res.data.version}"` };
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

export const candidateQueryOptions = (slug: string) =>
  queryOptions({
    queryKey: candidateKeys.document(slug),
    queryFn: ({ signal }) => getCandidate(slug, signal),
  });

export const useCandidate = (slug: string) => useQuery(candidateQueryOptions(slug));
