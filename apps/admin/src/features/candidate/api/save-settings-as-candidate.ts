import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { PolicyInput } from '@corsplane/contracts';
import { getFullPolicy, settingsOf } from '../../policy/index.js';
import { putCandidate } from './put-candidate.js';
import { candidateKeys } from './query-keys.js';

/**
 * "Save as candidate" from the policy editor (docs/ARCHITECTURE.md, "Candidate policies in the
 * console"): the editor edits settings only (origins are written entry by entry), so the candidate is
 * the live policy as it is now with the edited settings — its origins read from the live document at
 * the moment of the save, exactly like a settings save (update-policy.ts). It replaces any candidate
 * there is (the button says so first). `PUT …/policy/candidate` is the one write.
 */
export async function saveSettingsAsCandidate({
  slug,
  settings,
  note,
}: {
  slug: string;
  settings: PolicyInput;
  note?: string;
}) {
  const live = await getFullPolicy(slug);
  return putCandidate({
    slug,
    policy: { ...settingsOf(settings), origins: live.policy.origins },
    ifMatch: 'current',
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
  });
}
