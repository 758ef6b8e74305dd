import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Policy, PolicyInput } from '@corsplane/contracts';
import { ApiError, request, seg } from '../../../lib/api-client.js';
import { tenantKeys } from '../../tenants/index.js';
import { sameSettings, settingsOf } from '../lib/policy-settings.js';
import { getFullPolicy, withoutOrigins, type PolicyWithEtag } from './get-policy.js';
import { policyKeys } from './query-keys.js';

export interface UpdatePolicyArgs {
  slug: string;
  /** The edited settings; its `origins` are ignored (the stored ones are kept). */
  policy: PolicyInput;
  /** The settings the edit started from: a 412 means someone changed them in between. */
  base: PolicyWithEtag;
}

/**
 * Save the settings. `PUT …/policy` replaces the whole document and requires its origins (SPEC §4,
 * `policySchema`); the SPEC has no settings-only write. So the save reads the live document, keeps its
 * origins as they are now (single-origin writes commute and need no If-Match, SPEC §4.1, so they may
 * have moved the version since the editor loaded), and PUTs it with the new settings under If-Match of
 * that read: a write in between is still a 412. If the live *settings* differ from the ones the edit
 * started from, that is a real conflict and is answered as the 412 the server would give.
 * The origins pass through the browser only here, for the duration of the request.
 */
export async function updatePolicy({
  slug,
  policy,
  base,
}: UpdatePolicyArgs): Promise<PolicyWithEtag> {
  const live = await getFullPolicy(slug);
  if (!sameSettings(live.policy, base.policy))
    throw new ApiError(
      412,
      {
        statusCode: 412,
        error: 'Precondition Failed',
        message: `Version ${live.policy.version} changed the settings since you started editing`,
      },
      new Headers(),
    );
  const res = await request<Policy>(`/v1/tenants/${seg(slug)}/policy`, {
    method: 'PUT',
    body: { ...settingsOf(policy), origins: live.policy.origins },
    headers: { 'if-match': live.etag },
  });
  return withoutOrigins({
    policy: res.data,
    etag: res.headers.get('etag') ?? `"${res.data.version}"`,
  });
}

export function useUpdatePolicy() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: updatePolicy,
    onSuccess: (saved, { slug }) => {
      qc.setQueryData(policyKeys.document(slug), saved);
      void qc.invalidateQueries({ queryKey: tenantKeys.lists() });
      return qc.invalidateQueries({ queryKey: policyKeys.versions(slug) });
    },
  });
}
