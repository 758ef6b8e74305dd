import { useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  AddOrigin,
  OriginDeleteResult,
  OriginWriteResult,
  PatchOrigin,
} from '@corsplane/contracts';
import { api, seg } from '../../../lib/api-client.js';
import { tenantKeys } from '../../tenants/index.js';
import { refreshPolicy } from './get-policy.js';
import { policyKeys } from './query-keys.js';

// One entry at a time (SPEC §4.1): no If-Match (these writes commute), one version and one audit row each.
const base = (slug: string) => `/v1/tenants/${seg(slug)}/policy/origins`;

export const addOrigin = ({ slug, entry }: { slug: string; entry: AddOrigin }) =>
  api<OriginWriteResult>(base(slug), { method: 'POST', body: entry });

export const patchOrigin = ({
  slug,
  pattern,
  patch,
}: {
  slug: string;
  pattern: string;
  patch: PatchOrigin;
}) => api<OriginWriteResult>(`${base(slug)}/${seg(pattern)}`, { method: 'PATCH', body: patch });

export const deleteOrigin = ({ slug, pattern }: { slug: string; pattern: string }) =>
  api<OriginDeleteResult>(`${base(slug)}/${seg(pattern)}`, { method: 'DELETE' });

/** After any origin write: the pages, the count and version (settings query), the versions, the tenant list. */
function useAfterOriginWrite() {
  const qc = useQueryClient();
  return ({ slug }: { slug: string }) =>
    Promise.all([
      qc.invalidateQueries({ queryKey: policyKeys.originLists(slug) }),
      refreshPolicy(qc, slug),
      qc.invalidateQueries({ queryKey: tenantKeys.lists() }),
    ]);
}

export function useAddOrigin() {
  const after = useAfterOriginWrite();
  return useMutation({ mutationFn: addOrigin, onSuccess: (_r, v) => after(v) });
}

export function usePatchOrigin() {
  const after = useAfterOriginWrite();
  return useMutation({ mutationFn: patchOrigin, onSuccess: (_r, v) => after(v) });
}

export function useDeleteOrigin() {
  const after = useAfterOriginWrite();
  return useMutation({ mutationFn: deleteOrigin, onSuccess: (_r, v) => after(v) });
}
