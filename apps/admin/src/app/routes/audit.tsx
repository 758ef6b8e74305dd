import { AuditPanel } from '../../features/audit/index.js';

export function AuditRoute() {
  return <AuditPanel />;
}
