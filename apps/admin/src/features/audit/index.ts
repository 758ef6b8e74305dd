// The audit feature's public face: other features and the routes import only from here.
export { AuditPanel } from './components/audit-panel.js';
