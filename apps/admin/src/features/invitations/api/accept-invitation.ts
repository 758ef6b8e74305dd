import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AcceptInvitation, Me } from '@corsplane/contracts';
import { api } from '../../../lib/api-client.js';
import { authKeys } from '../../auth/index.js';

export const acceptInvitation = (body: AcceptInvitation) =>
  api<Me>('/v1/invitations/accept', { method: 'POST', body, allowUnauthenticated: true });

export function useAcceptInvitation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: acceptInvitation,
    onSuccess: (me) => {
      // The browser now holds the new user's session: nothing cached for anyone else may show.
      qc.clear();
      qc.setQueryData(authKeys.me(), me);
    },
  });
}
