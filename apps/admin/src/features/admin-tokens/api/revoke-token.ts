import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../../lib/api-client.js';
import { tokenKeys } from './query-keys.js';

export const revokeToken = (id: string) =>
  api<void>(`/v1/auth/tokens/${seg(id)}`, { method: 'DELETE' });

export function useRevokeToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: revokeToken,
    onSuccess: () => qc.invalidateQueries({ queryKey: tokenKeys.list() }),
  });
}
