import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Invitation } from '@corsplane/contracts';
import { api } from '../../../lib/api-client.js';

export const invitationsQueryKey = ['invitations'] as const;

export const getInvitations = (signal?: AbortSignal) =>
  api<{ items: Invitation[] }>('/v1/invitations', { signal });

export const invitationsQueryOptions = () =>
  queryOptions({ queryKey: invitationsQueryKey, queryFn: ({ signal }) => getInvitations(signal) });

export const useInvitations = () => useQuery(invitationsQueryOptions());
