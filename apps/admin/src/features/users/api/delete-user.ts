import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../../lib/api-client.js';
import { userKeys } from './query-keys.js';

export const deleteUser = (id: string) => api<void>(`/v1/users/${seg(id)}`, { method: 'DELETE' });

export function useDeleteUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: deleteUser,
    onSuccess: () => qc.invalidateQueries({ queryKey: userKeys.list() }),
  });
}
