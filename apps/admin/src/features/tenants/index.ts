// The tenants feature's public surface: other features and the routes import from here only.
export { tenantKeys } from './api/query-keys.js';
export { useTenant, tenantQueryOptions } from './api/get-tenant.js';
export { useTenants, tenantsQueryOptions, useTenantPages } from './api/get-tenants.js';
export { TenantListPage } from './components/tenant-list-page.js';
export { TenantSummaryCells } from './components/tenant-summary.js';
