import { Navigate } from 'react-router';
import { useMe } from '../../features/auth/api/get-me.js';
import { isPlatformAdmin } from '../../features/auth/lib/permissions.js';
import { UsersPanel } from '../../features/users/components/users-panel.js';

export function UsersRoute() {
  const me = useMe();
  if (me.data && !isPlatformAdmin(me.data)) return <Navigate to="/tenants" replace />;
  return <UsersPanel />;
}
