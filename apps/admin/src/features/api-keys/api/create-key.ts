import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreatedApiKey } from '@corsplane/contracts';
import { api } from '../../../lib/api-client.js';
import { apiKeysKeys, keysPath, type KeyScope } from './keys.js';

export const createKey = ({ scope, name }: { scope: KeyScope; name: string }) =>
  api<CreatedApiKey>(keysPath(scope), { method: 'POST', body: { name } });

export function useCreateKey() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: createKey,
    onSuccess: (_k, { scope }) => qc.invalidateQueries({ queryKey: apiKeysKeys.list(scope) }),
  });
}
