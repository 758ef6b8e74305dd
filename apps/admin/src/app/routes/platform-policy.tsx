import { Navigate } from 'react-router';
import { BaselinePage } from '../../features/platform-policy/index.js';
import { useMe } from '../../features/auth/index.js';
import { LoadingState } from '../../components/ui/states.js';

/** The platform baseline: platform admins edit it, platform viewers read it; others have no such page. */
export function PlatformPolicyRoute() {
  const me = useMe();
  if (!me.data) return <LoadingState />;
  if (!me.data.platformRole) return <Navigate to="/tenants" replace />;
  return <BaselinePage me={me.data} />;
}
