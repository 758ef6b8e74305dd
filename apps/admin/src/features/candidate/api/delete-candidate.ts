import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../../lib/api-client.js';
import { candidateKeys } from './query-keys.js';

/** `DELETE …/policy/candidate` under If-Match of the candidate reviewed: shadow evaluation stops. */
export const deleteCandidate = ({ slug, etag }: { slug: string; etag: string }) =>
  api<{ version: number }>(`/v1/tenants/${seg(slug)}/policy/candidate`, {
    method: 'DELETE',
    headers: { 'if-match': etag },
  });

/** `onDeleted` runs before the caches change (see usePromoteCandidate). */
export function useDeleteCandidate(onDeleted?: () => void) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: deleteCandidate,
    onSuccess: (_r, { slug }) => {
      onDeleted?.();
      qc.setQueryData(candidateKeys.document(slug), null);
      return qc.invalidateQueries({ queryKey: candidateKeys.impacts(slug) });
    },
  });
}
