import { TenantListPage } from '../../features/tenants/index.js';

export function TenantsRoute() {
  return <TenantListPage />;
}
