import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';

export const logout = () =>
  api<void>('/v1/auth/logout', { method: 'POST', allowUnauthenticated: true });

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: logout, onSettled: () => qc.clear() });
}
