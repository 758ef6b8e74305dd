import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { PolicyInput } from '@corsplane/contracts';
import { ApiError } from '../../../lib/api-client.js';
import { getFullPolicy, settingsOf } from '../../policy/index.js';
import { putCandidate } from './put-candidate.js';
import { candidateKeys } from './query-keys.js';

/**
 * "Save as candidate" from the policy editor (docs/ARCHITECTURE.md, "Candidate policies in the
 * console"): the editor edits settings only (origins are written entry by entry), so the candidate is
 * the live policy as it is now with the edited settings — its origins read from the live document at
 * the moment of the save, exactly like a settings save (update-policy.ts). It replaces the candidate the
 * button named (`ifMatch`, its ETag; none: there was none), so a candidate someone saved since is never
 * overwritten unseen: 412 (or 428 when one appeared). `PUT …/policy/candidate` is the one write.
 */
export async function saveSettingsAsCandidate({
  slug,
  settings,
  ifMatch,
  note,
}: {
  slug: string;
  settings: PolicyInput;
  /** The ETag of the candidate the user was told this replaces; undefined when there was none. */
  ifMatch: string | undefined;
  note?: string;
}) {
  const live = await getFullPolicy(slug);
  return putCandidate({
    slug,
    policy: { ...settingsOf(settings), origins: live.policy.origins },
    ifMatch,
    note,
  });
}

export function useSaveSettingsAsCandidate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: saveSettingsAsCandidate,
    onSuccess: (saved, { slug }) => {
      qc.setQueryData(candidateKeys.document(slug), saved);
      return qc.invalidateQueries({ queryKey: candidateKeys.impacts(slug) });
    },
    onError: (e, { slug }) => {
      // Another candidate is there now: show it (the button names the version it would replace).
      if (isCandidateConflict(e))
        void qc.invalidateQueries({ queryKey: candidateKeys.document(slug) });
    },
  });
}

/** The candidate changed since the button named it: replaced (412) or newly created (428). */
export const isCandidateConflict = (e: unknown) =>
  e instanceof ApiError && (e.status === 412 || e.status === 428);
