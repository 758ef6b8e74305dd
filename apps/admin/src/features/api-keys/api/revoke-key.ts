import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../../lib/api-client.js';

export const revokeKey = ({ slug, id }: { slug: string; id: string }) =>
  api<void>(`/v1/tenants/${seg(slug)}/keys/${seg(id)}`, { method: 'DELETE' });

export function useRevokeKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: revokeKey,
    onSuccess: (_r, { slug }) => qc.invalidateQueries({ queryKey: ['tenants', slug, 'keys'] }),
  });
}
