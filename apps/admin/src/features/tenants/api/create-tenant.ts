import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateTenant, Tenant } from '@corsplane/contracts';
import { api } from '../../../lib/api-client.js';
import { tenantKeys } from './query-keys.js';

export const createTenant = (body: CreateTenant) =>
  api<Tenant>('/v1/tenants', { method: 'POST', body });

export function useCreateTenant() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: createTenant,
    onSuccess: () => qc.invalidateQueries({ queryKey: tenantKeys.lists() }),
  });
}
