import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../../lib/api-client.js';
import { invitationKeys } from './query-keys.js';

export const revokeInvitation = (id: string) =>
  api<void>(`/v1/invitations/${seg(id)}`, { method: 'DELETE' });

export function useRevokeInvitation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: revokeInvitation,
    onSuccess: () => qc.invalidateQueries({ queryKey: invitationKeys.list() }),
  });
}
