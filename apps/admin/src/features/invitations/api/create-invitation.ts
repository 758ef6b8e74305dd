import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateInvitation, CreatedInvitation } from '@corsplane/contracts';
import { api } from '../../../lib/api-client.js';
import { invitationKeys } from './query-keys.js';

export const createInvitation = (body: CreateInvitation) =>
  api<CreatedInvitation>('/v1/invitations', { method: 'POST', body });

export function useCreateInvitation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: createInvitation,
    onSuccess: () => qc.invalidateQueries({ queryKey: invitationKeys.list() }),
  });
}
