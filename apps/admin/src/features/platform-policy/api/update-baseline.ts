import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Baseline, BaselineInput } from '@corsplane/contracts';
import { request } from '../../../lib/api-client.js';
import { baselineKeys } from './query-keys.js';
import type { BaselineWithEtag } from './get-baseline.js';

export interface UpdateBaselineArgs {
  origins: BaselineInput['origins'];
  /** The ETag of the version the edit started from: a 412 means someone saved in between. */
  ifMatch: string;
}

export async function updateBaseline({
  origins,
  ifMatch,
}: UpdateBaselineArgs): Promise<BaselineWithEtag> {
  const res = await request<Baseline>('/v1/platform/policy', {
    method: 'PUT',
    body: { origins },
    headers: { 'if-match': ifMatch },
  });
  return { baseline: res.data, etag: res.headers.get('etag') ?? `"${res.data.version}"` };
}

export function useUpdateBaseline() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: updateBaseline,
    onSuccess: async (saved) => {
      qc.setQueryData(baselineKeys.platform(), saved);
      // Every tenant's read-only baseline rows change with it.
      await qc.invalidateQueries({
        predicate: (q) => q.queryKey[0] === 'tenants' && q.queryKey.at(-1) === 'baseline',
      });
    },
  });
}
