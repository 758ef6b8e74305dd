export function AuditRoute() { return <p>todo</p>; }
