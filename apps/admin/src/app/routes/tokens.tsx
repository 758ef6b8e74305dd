import { AdminTokensPanel } from '../../features/admin-tokens/components/admin-tokens-panel.js';

export function TokensRoute() {
  return <AdminTokensPanel />;
}
