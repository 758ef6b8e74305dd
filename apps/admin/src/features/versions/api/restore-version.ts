import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Policy } from '@corsplane/contracts';
import { ApiError, request, seg } from '../../../lib/api-client.js';
import { versionKeys } from './query-keys.js';

export interface RestoreArgs {
  slug: string;
  version: number;
  /** The current version the user looked at; a 412 means it changed meanwhile. */
  ifMatch?: string;
}

export async function restoreVersion({ slug, version, ifMatch }: RestoreArgs) {
  const res = await request<Policy>(
    `/v1/tenants/${seg(slug)}/policy/versions/${seg(version)}/restore`,
    {
      method: 'POST',
      headers: ifMatch ? { 'if-match': ifMatch } : {},
    },
  );
  return { policy: res.data, etag: res.headers.get('etag') ?? `"${res.data.version}"` };
}

export function useRestoreVersion() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: restoreVersion,
    onSuccess: (_saved, { slug }) => {
      // The editor caches the policy under its own sub-keys (document, origin pages), so the restored
      // policy is refetched there rather than written to one key.
      void qc.invalidateQueries({ queryKey: versionKeys.policy(slug) });
      return qc.invalidateQueries({ queryKey: versionKeys.all(slug) });
    },
    onError: (e, { slug }) => {
      // Stale list: someone saved meanwhile. Refresh what the user is looking at.
      if (e instanceof ApiError && e.status === 412)
        void qc.invalidateQueries({ queryKey: versionKeys.tenant(slug) });
    },
  });
}
