import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Login, Me } from '@corsplane/contracts';
import { api } from '../../../lib/api-client.js';
import { authKeys } from './query-keys.js';

export const login = (body: Login) =>
  api<Me>('/v1/auth/login', { method: 'POST', body, allowUnauthenticated: true });

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: login,
    onSuccess: (me) => {
      // A new session may be another user: nothing cached for the previous one may show.
      qc.clear();
      qc.setQueryData(authKeys.me(), me);
    },
  });
}
