import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateAdminToken, CreatedAdminToken } from '@corsplane/contracts';
import { api } from '../../../lib/api-client.js';
import { tokenKeys } from './query-keys.js';

export const createToken = (body: CreateAdminToken) =>
  api<CreatedAdminToken>('/v1/auth/tokens', { method: 'POST', body });

export function useCreateToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: createToken,
    onSuccess: () => qc.invalidateQueries({ queryKey: tokenKeys.list() }),
  });
}
