import { lazy, Suspense, useState, type ReactNode } from 'react';
import type { PolicyInput } from '@corsplane/contracts';
import { Alert, Stack } from '@mantine/core';
import { LoadingState } from '../../../components/ui/states.js';
import { canEditTenant, useMe } from '../../auth/index.js';
import { useOrigins } from '../api/get-origins.js';
import { usePolicy } from '../api/get-policy.js';
import { BaselineOrigins } from './baseline-origins.js';
import { OriginsPanel } from './origins-panel.js';

// The settings form and the Allow notice need the policy engine (its public-suffix list is most of the
// page's code): they load beside the origins list instead of before it.
const SettingsSection = lazy(() => import('./settings-section.js'));
const AllowNotice = lazy(() => import('./allow-notice.js'));

interface Props {
  slug: string;
  /** A refused origin to add (from Blocked origins → Allow). */
  allowOrigin: string | null;
  onAllowConsumed: () => void;
  /**
   * Beside "Review and save": the route puts the candidate feature's "Save as candidate" here (features
   * do not import one another's components), given the edited settings and whether saving is possible.
   */
  candidateAction?: CandidateAction;
}

export type CandidateAction = (settings: PolicyInput | null, disabled: boolean) => ReactNode;

/**
 * The policy editor: the origins (paged, searched and written entry by entry) render first; the
 * settings form (state and actions in usePolicyEditor) appears when its code and the settings read
 * have arrived.
 */
export function PolicyEditorPage({ slug, allowOrigin, onAllowConsumed, candidateAction }: Props) {
  const me = useMe();
  // The settings read carries every origin (the SPEC has no settings-only read): it waits for the
  // first page of origins so that it never delays the first rows.
  const firstPage = useOrigins(slug, '');
  const settings = usePolicy(slug, !firstPage.isPending);
  // The notice stays once shown: the route drops `?allow=` as soon as the notice has taken it.
  const [allowShown, setAllowShown] = useState(false);
  if (allowOrigin !== null && !allowShown) setAllowShown(true);
  if (!me.data) return <LoadingState label="Checking your access…" />;
  const readOnly = !canEditTenant(me.data, slug);
  return (
    <Stack>
      {readOnly && (
        <Alert color="gray" variant="light" title="Read-only" data-testid="read-only-notice">
          You can read this policy but not change it: editing needs the editor role on this tenant
          or the platform admin role.
        </Alert>
      )}
      {allowShown && (
        <Suspense fallback={null}>
          <AllowNotice
            slug={slug}
            readOnly={readOnly}
            allowOrigin={allowOrigin}
            onAllowConsumed={onAllowConsumed}
          />
        </Suspense>
      )}
      <OriginsPanel slug={slug} readOnly={readOnly} total={settings.data?.originCount ?? null} />
      <Suspense fallback={<LoadingState label="Loading policy settings…" />}>
        <SettingsSection slug={slug} candidateAction={candidateAction} />
      </Suspense>
      <BaselineOrigins slug={slug} />
    </Stack>
  );
}
