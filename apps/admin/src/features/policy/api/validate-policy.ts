import { useMutation } from '@tanstack/react-query';
import type { PolicyInput, PolicyValidationResponse } from '@corsplane/contracts';
import { api, seg } from '../../../lib/api-client.js';

/** The server's dry run of the same engine: nothing is saved. */
export const validatePolicyOnServer = ({ slug, policy }: { slug: string; policy: PolicyInput }) =>
  api<PolicyValidationResponse>(`/v1/tenants/${seg(slug)}/policy/validate`, {
    method: 'POST',
    body: policy,
  });

export const useValidatePolicyOnServer = () => useMutation({ mutationFn: validatePolicyOnServer });
