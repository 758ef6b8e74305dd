import { queryOptions, useQuery } from '@tanstack/react-query';
import type { InvitationPreview } from '@corsplane/contracts';
import { api } from '../../../lib/api-client.js';
import { invitationKeys } from './query-keys.js';

/** The public lookup: a POST so the token never sits in an API URL (access logs, proxies). */
export const getInvitationPreview = (token: string, signal?: AbortSignal) =>
  api<InvitationPreview>('/v1/invitations/lookup', {
    method: 'POST',
    body: { token },
    signal,
    allowUnauthenticated: true,
  });

export const invitationPreviewQueryOptions = (token: string) =>
  queryOptions({
    queryKey: invitationKeys.preview(token),
    queryFn: ({ signal }) => getInvitationPreview(token, signal),
    retry: false,
    staleTime: Infinity,
  });

export const useInvitationPreview = (token: string) =>
  useQuery(invitationPreviewQueryOptions(token));
