import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreatedApiKey } from '@corsplane/contracts';
import { api, seg } from '../../../lib/api-client.js';

export const createKey = ({ slug, name }: { slug: string; name: string }) =>
  api<CreatedApiKey>(`/v1/tenants/${seg(slug)}/keys`, { method: 'POST', body: { name } });

export function useCreateKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: createKey,
    onSuccess: (_k, { slug }) => qc.invalidateQueries({ queryKey: ['tenants', slug, 'keys'] }),
  });
}
