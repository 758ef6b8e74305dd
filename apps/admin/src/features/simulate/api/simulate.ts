import { useMutation } from '@tanstack/react-query';
import type { SimulateRequest, SimulateResponse } from '@corsplane/contracts';
import { api, seg } from '../../../lib/api-client.js';

/**
 * What `GET /resolve` would answer for this request, against the stored policy (or a draft in `policy`), with
 * the refused method or header names and the entry that matched.
 */
export const simulate = ({ slug, body }: { slug: string; body: SimulateRequest }) =>
  api<SimulateResponse>(`/v1/tenants/${seg(slug)}/simulate`, { method: 'POST', body });

export const useSimulate = () => useMutation({ mutationFn: simulate });
