import { AdminTokensPanel } from '../../features/admin-tokens/index.js';

export function TokensRoute() {
  return <AdminTokensPanel />;
}
