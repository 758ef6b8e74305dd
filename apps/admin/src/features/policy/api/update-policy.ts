import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Policy, PolicyInput } from '@corsplane/contracts';
import { request, seg } from '../../../lib/api-client.js';
import type { PolicyWithEtag } from './get-policy.js';

export interface UpdatePolicyArgs {
  slug: string;
  policy: PolicyInput;
  /** The ETag of the version the edit started from: a 412 means someone saved in between. */
  ifMatch: string;
}

export async function updatePolicy({
  slug,
  policy,
  ifMatch,
}: UpdatePolicyArgs): Promise<PolicyWithEtag> {
  const { version: _readOnly, ...body } = policy;
  const res = await request<Policy>(`/v1/tenants/${seg(slug)}/policy`, {
    method: 'PUT',
    body,
    headers: { 'if-match': ifMatch },
  });
  return { policy: res.data, etag: res.headers.get('etag') ?? `"${res.data.version}"` };
}

export function useUpdatePolicy() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: updatePolicy,
    onSuccess: (saved, { slug }) => {
      qc.setQueryData(['tenants', slug, 'policy'], saved);
      return qc.invalidateQueries({ queryKey: ['tenants', slug, 'versions'] });
    },
  });
}
