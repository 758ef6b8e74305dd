import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { PolicyInput } from '@corsplane/contracts';
import { errorMessage } from '../../../lib/api-client.js';
import { useCandidate } from '../api/get-candidate.js';
import {
  isCandidateConflict,
  useSaveSettingsAsCandidate,
} from '../api/save-settings-as-candidate.js';

/**
 * The policy editor's "Save as candidate": the live policy with the edited settings becomes the
 * candidate (see save-settings-as-candidate.ts), replacing the candidate its title names, and only that one.
 */
export function SaveAsCandidateButton({
  slug,
  settings,
  disabled,
}: {
  slug: string;
  settings: PolicyInput | null;
  disabled: boolean;
}) {
  const existing = useCandidate(slug);
  const save = useSaveSettingsAsCandidate();
  const replaces = existing.data ? existing.data.candidate.version : null;
  return (
    <Button
      size="sm"
      variant="light"
      color="indigo"
      // Until the candidate is known, the save would not know what it replaces.
      disabled={disabled || !settings || existing.isPending}
      loading={save.isPending}
      title={
        replaces !== null
          ? `Replaces candidate version ${replaces}`
          : 'Evaluate these settings beside the live policy without making them live'
      }
      onClick={() =>
        settings &&
        save.mutate(
          { slug, settings, ifMatch: existing.data?.etag },
          {
            onSuccess: (saved) =>
              notifications.show({
                color: 'indigo',
                title: `Candidate version ${saved.candidate.version} saved`,
                // Plain text: notifications render outside the router, so no <Link> here.
                message: 'The Candidate tab shows the traffic it would change.',
              }),
            onError: (e) =>
              notifications.show({
                color: 'red',
                title: 'The candidate was not saved',
                message: isCandidateConflict(e)
                  ? 'Someone saved another candidate since this page showed it: look at it on the Candidate tab, then save again to replace it.'
                  : errorMessage(e),
              }),
          },
        )
      }
    >
      Save as candidate
    </Button>
  );
}
