import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Invitation } from '@corsplane/contracts';
import { api } from '../../../lib/api-client.js';
import { invitationKeys } from './query-keys.js';

export const getInvitations = (signal?: AbortSignal) =>
  api<{ items: Invitation[] }>('/v1/invitations', { signal });

export const invitationsQueryOptions = () =>
  queryOptions({
    queryKey: invitationKeys.list(),
    queryFn: ({ signal }) => getInvitations(signal),
  });

export const useInvitations = () => useQuery(invitationsQueryOptions());
