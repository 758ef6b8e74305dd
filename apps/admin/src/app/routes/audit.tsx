import { AuditPanel } from '../../features/audit/components/audit-panel.js';

export function AuditRoute() {
  return <AuditPanel />;
}
