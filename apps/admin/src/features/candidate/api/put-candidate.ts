import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CandidatePolicy, PolicyInput } from '@corsplane/contracts';
import { request, seg } from '../../../lib/api-client.js';
import type { CandidateWithEtag } from './get-candidate.js';
import { candidateKeys } from './query-keys.js';

export interface PutCandidateArgs {
  slug: string;
  policy: PolicyInput;
  /** The candidate's ETag when replacing one (412 if it moved meanwhile); absent to create one (428 if one exists). */
  ifMatch?: string;
  note?: string;
}

/**
 * `PUT …/policy/candidate`: creates or replaces the candidate (same document and validation as the
 * policy; 422 lists each bad entry). Replacing needs the candidate's ETag (428 without it).
 */
export async function putCandidate({
  slug,
  policy,
  ifMatch,
  note,
}: PutCandidateArgs): Promise<CandidateWithEtag> {
  const { version: _version, ...doc } = policy as PolicyInput & { version?: number };
  const res = await request<CandidatePolicy>(`/v1/tenants/${seg(slug)}/policy/candidate`, {
    method: 'PUT',
    body: note ? { ...doc, note } : doc,
    headers: ifMatch ? { 'if-match': ifMatch } : {},
  });
  return { candidate: res.data, etag: res.headers.get('etag') ?? `"${res.data.version}"` };
}

export function usePutCandidate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: putCandidate,
    onSuccess: (saved, { slug }) => {
      qc.setQueryData(candidateKeys.document(slug), saved);
      // A new candidate counts afresh from here on: the impact so far was the old candidate's.
      return qc.invalidateQueries({ queryKey: candidateKeys.impacts(slug) });
    },
  });
}
