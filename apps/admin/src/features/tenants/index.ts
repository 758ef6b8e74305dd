// The tenants feature's public face: other features and the routes import only from here.
export { useTenants } from './api/get-tenants.js';
export { useTenant } from './api/get-tenant.js';
export { CreateTenantModal } from './components/create-tenant-modal.js';
export { DeleteTenantModal } from './components/delete-tenant-modal.js';
export { TenantSummaryCells } from './components/tenant-summary.js';
