import type { AuditFilter } from './get-audit.js';

/** Query keys of the audit feature: keyed under the tenant when filtered by one, so tenant data never mixes. */
export const auditKeys = {
  list: (f: AuditFilter) =>
    f.tenant ? (['tenants', f.tenant, 'audit', f] as const) : (['audit', f] as const),
};
