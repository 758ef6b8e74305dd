import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateUser, User } from '@corsplane/contracts';
import { api } from '../../../lib/api-client.js';
import { userKeys } from './query-keys.js';

export const createUser = (body: CreateUser) => api<User>('/v1/users', { method: 'POST', body });

export function useCreateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: createUser,
    onSuccess: () => qc.invalidateQueries({ queryKey: userKeys.list() }),
  });
}
