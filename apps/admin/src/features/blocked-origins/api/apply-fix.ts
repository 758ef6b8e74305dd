import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { OriginWriteResult, Policy, PolicyInput, RouteRuleInput } from '@corsplane/contracts';
import { request, seg } from '../../../lib/api-client.js';
import type { AllowFix } from '../lib/allow-fix.js';
import { blockedOriginsKeys } from './query-keys.js';

export type ApplicableFix =
  | Exclude<AllowFix, { kind: 'allowed' } | { kind: 'none' } | { kind: 'renew-entry' }>
  | { kind: 'renew-entry'; pattern: string; expiresAt: string | null };

type ListField = 'allowedMethods' | 'allowedHeaders';

/** Adds names to a list field of the route that decided (when it sets the field) or of the default. */
function addNames(doc: PolicyInput, route: string | null, field: ListField, names: string[]) {
  const add = (list: string[] | undefined) => [
    ...(list ?? []),
    ...names.filter((n) => !(list ?? []).includes(n)),
  ];
  const rule = route === null ? undefined : doc.routes?.find((r) => r.path === route);
  if (rule !== undefined && rule[field] !== undefined) {
    const routes = (doc.routes ?? []).map((r): RouteRuleInput =>
      r === rule ? { ...r, [field]: add(r[field]) } : r,
    );
    return { ...doc, routes };
  }
  return { ...doc, [field]: add(doc[field]) };
}

function withPrivateNetwork(doc: PolicyInput, route: string | null): PolicyInput {
  const rule = route === null ? undefined : doc.routes?.find((r) => r.path === route);
  if (rule !== undefined && rule.allowPrivateNetwork !== undefined)
    return {
      ...doc,
      routes: (doc.routes ?? []).map((r) => (r === rule ? { ...r, allowPrivateNetwork: true } : r)),
    };
  return { ...doc, allowPrivateNetwork: true };
}

/** Read, change, write back with If-Match: a concurrent save is a 412, never a lost update. */
async function editPolicy(slug: string, edit: (doc: PolicyInput) => PolicyInput, note: string) {
  const url = `/v1/tenants/${seg(slug)}/policy`;
  const current = await request<Policy>(url);
  const etag = current.headers.get('etag') ?? `"${current.data.version}"`;
  const { version: _readOnly, ...doc } = current.data;
  const saved = await request<Policy>(url, {
    method: 'PUT',
    body: { ...edit(doc), note },
    headers: { 'if-match': etag },
  });
  return saved.data.version;
}

/** Applies the fix with the narrowest write the API has; resolves to the new policy version. */
export async function applyFix(slug: string, origin: string, fix: ApplicableFix): Promise<number> {
  const note = `Allowed ${origin} from the blocked-origin log`;
  const headers = { 'x-change-note': note };
  const origins = `/v1/tenants/${seg(slug)}/policy/origins`;
  switch (fix.kind) {
    case 'add-origin':
      return (
        await request<OriginWriteResult>(origins, {
          method: 'POST',
          body: { pattern: fix.origin },
          headers,
        })
      ).data.version;
    case 'renew-entry':
      return (
        await request<OriginWriteResult>(`${origins}/${seg(fix.pattern)}`, {
          method: 'PATCH',
          body: { expiresAt: fix.expiresAt },
          headers,
        })
      ).data.version;
    case 'add-method':
      return editPolicy(slug, (d) => addNames(d, fix.route, 'allowedMethods', [fix.method]), note);
    case 'add-headers':
      return editPolicy(slug, (d) => addNames(d, fix.route, 'allowedHeaders', fix.headers), note);
    case 'allow-private-network':
      return editPolicy(slug, (d) => withPrivateNetwork(d, fix.route), note);
  }
}

export function useApplyFix(slug: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ origin, fix }: { origin: string; fix: ApplicableFix }) =>
      applyFix(slug, origin, fix),
    // The policy, its versions and the blocked rows (now marked allowed) all changed.
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: blockedOriginsKeys.all(slug) }),
        qc.invalidateQueries({ queryKey: blockedOriginsKeys.policy(slug) }),
        qc.invalidateQueries({ queryKey: blockedOriginsKeys.versions(slug) }),
      ]),
  });
}
