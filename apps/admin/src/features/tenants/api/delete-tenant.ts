import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, seg } from '../../../lib/api-client.js';
import { tenantKeys } from './query-keys.js';

export const deleteTenant = (slug: string) =>
  api<void>(`/v1/tenants/${seg(slug)}`, { method: 'DELETE' });

export function useDeleteTenant() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: deleteTenant,
    onSuccess: (_data, slug) => {
      qc.removeQueries({ queryKey: tenantKeys.scope(slug) });
      return qc.invalidateQueries({ queryKey: tenantKeys.lists() });
    },
  });
}
