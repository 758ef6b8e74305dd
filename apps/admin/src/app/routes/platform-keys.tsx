import { Navigate } from 'react-router';
import { ApiKeysPanel } from '../../features/api-keys/index.js';
import { useMe } from '../../features/auth/index.js';
import { PageHeader } from '../../components/ui/page-header.js';
import { LoadingState } from '../../components/ui/states.js';

/** Platform keys (no tenant; /resolve?tenant=): platform admins manage them, platform viewers see them. */
export function PlatformKeysRoute() {
  const me = useMe();
  if (!me.data) return <LoadingState />;
  if (!me.data.platformRole) return <Navigate to="/tenants" replace />;
  return (
    <>
      <PageHeader
        title="Platform keys"
        description="Keys that resolve for any tenant they name: for gateways and SDKs that serve many tenants."
      />
      <ApiKeysPanel scope={null} />
    </>
  );
}
