import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Policy } from '@corsplane/contracts';
import { api, seg } from '../../../lib/api-client.js';
import { candidateKeys } from './query-keys.js';
import { tenantKeys } from '../../tenants/index.js';

export interface PromoteArgs {
  slug: string;
  /** The live policy's ETag the diff was computed against: 412 if the live policy moved since. */
  liveEtag: string;
  /** The candidate version reviewed: 412 if the candidate was replaced since. */
  candidateVersion: number;
  note?: string;
}

/** `POST …/policy/candidate/promote`: the candidate becomes live in one version; the candidate is cleared. */
export const promoteCandidate = ({ slug, liveEtag, candidateVersion, note }: PromoteArgs) =>
  api<Policy>(`/v1/tenants/${seg(slug)}/policy/candidate/promote`, {
    method: 'POST',
    body: { candidateVersion, ...(note ? { note } : {}) },
    headers: { 'if-match': liveEtag },
  });

/**
 * `onPromoted` runs before the caches change: clearing the candidate unmounts the page that asked, and
 * TanStack Query skips a `mutate(…, { onSuccess })` callback whose component is gone.
 */
export function usePromoteCandidate(onPromoted?: (live: Policy) => void) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: promoteCandidate,
    onSuccess: (live, { slug }) => {
      onPromoted?.(live);
      qc.setQueryData(candidateKeys.document(slug), null);
      // The live policy, its origin pages and versions all moved: refresh everything of the tenant.
      return qc.invalidateQueries({ queryKey: tenantKeys.scope(slug) });
    },
  });
}
