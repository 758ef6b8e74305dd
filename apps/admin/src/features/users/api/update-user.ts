import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { UpdateUser, User } from '@corsplane/contracts';
import { api, seg } from '../../../lib/api-client.js';
import { userKeys } from './query-keys.js';

export const updateUser = ({ id, body }: { id: string; body: UpdateUser }) =>
  api<User>(`/v1/users/${seg(id)}`, { method: 'PATCH', body });

export function useUpdateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: updateUser,
    onSuccess: () => qc.invalidateQueries({ queryKey: userKeys.list() }),
  });
}
