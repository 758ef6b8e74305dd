import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../../lib/api-client.js';
import { apiKeysKeys, keysPath, type KeyScope } from './keys.js';

export const revokeKey = ({ scope, id }: { scope: KeyScope; id: string }) =>
  api<void>(`${keysPath(scope)}/${seg(id)}`, { method: 'DELETE' });

export function useRevokeKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: revokeKey,
    onSuccess: (_r, { scope }) => qc.invalidateQueries({ queryKey: apiKeysKeys.list(scope) }),
  });
}
